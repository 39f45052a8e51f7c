"""Background work, one way for every screen: a service call runs in a thread worker, the
thread's database connection is always released, and what came of it reaches the node
that asked as a typed message (Textual's workers guide), never as a call into its
private methods from another thread.

    run_in_thread(self, lambda: Exported(export_to_file(...), path), task="export")

The call returns the message to post; an error an operator can meet (bad input, a lock,
a lost connection) is posted as `WorkFailed` with the sentence that explains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from shiptui.services.actions import ActionResult
from shiptui.services.campaigns import StatusCounts
from shiptui.services.csv.orders_import import LoadResult, OrdersPreview
from shiptui.services.csv.tracking_import import ImportResult, TrackingPreview
from shiptui.services.orders import OrderFilter, OrderRow
from shiptui.services.undo import UndoResult
from shiptui.storage import close_database
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED


# The group of the workers that walk the operator through dialogs (push_screen_wait):
# they wait for the operator, not for the database.
FLOW = "flow"

# Messages go to the node that started the work only (bubble=False): a table's page
# never reaches the screen's handlers of the screen's own work.


@dataclass
class ViewLoaded(Message, bubble=False):
    """The ordered ids of a view; `complete` is False for the first matches of a search
    (the rest follow); `counts` and `width` come with a reload; `stopped`: the read ended
    early as another view was wanted (the ids are not all)."""

    view: OrderFilter
    ids: Sequence[int]
    complete: bool = True
    reload: bool = False
    counts: StatusCounts | None = None
    width: int | None = None
    stopped: bool = False


@dataclass
class PageLoaded(Message, bubble=False):
    """Rows of the order table by index (None: the order is gone), for the ids shown
    since `generation`."""

    generation: int
    rows: dict[int, OrderRow | None]


@dataclass
class FileChecked(Message, bubble=False):
    """A file is checked against the orders, nothing written: what the import would do."""

    preview: TrackingPreview | OrdersPreview


@dataclass
class Applied(Message, bubble=False):
    """A change is written (ship, won't ship, undo, an import, a load): what the service says of it."""

    task: str
    result: ActionResult | UndoResult | ImportResult | LoadResult


@dataclass
class Exported(Message, bubble=False):
    """`count` orders written to the file at `path`."""

    count: int
    path: Path


@dataclass
class Progressed(Message, bubble=False):
    """How far the work is, from 0 to 1 (for a progress bar)."""

    task: str
    fraction: float


@dataclass
class WorkFailed(Message, bubble=False):
    """The work stopped and nothing was written; `message` says why, in words."""

    task: str
    message: str


def run_in_thread(node: DOMNode, call: Callable[[], Message], *, task: str, group: str = "default") -> Worker:
    """Run `call` in a thread worker of `node` and post the message it returns to `node`."""

    def job() -> None:
        try:
            message: Message = call()
        except REPORTED as error:
            message = WorkFailed(task, describe(error))
        finally:
            close_database()  # this thread's connection
        node.post_message(message)  # thread-safe: handled on the UI thread

    return node.run_worker(job, name=task, group=group, thread=True)


def progress_of(node: DOMNode, task: str) -> Callable[..., None]:
    """A progress callback for a service, from its thread: a fraction, or done and total."""

    def progressed(done: float, total: float = 1) -> None:
        node.post_message(Progressed(task, done / total if total else 1.0))

    return progressed
