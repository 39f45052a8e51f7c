"""Import, steps 4 and 5: check every row (nothing written) and show what the import
would do, with every rejected cell; then import in one transaction and sum up. The load
of a campaign's orders goes the same way (LoadPreviewScreen), with its own service.

Both run in a worker thread, so the progress bar moves and the console stays responsive.
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, ProgressBar, Static

from shiptui.i18n import N_, _, format_number, ngettext
from shiptui.services.csv import errors_path, order_ids_of_lines, problem_cells, save_problems
from shiptui.services.csv.mapping import Mapping, apply_and_remember
from shiptui.services.csv.orders_import import LoadResult, OrdersPreview, apply_orders_import, check_orders_file
from shiptui.services.csv.reading import CsvFile
from shiptui.services.csv.tracking_import import (
    ImportResult,
    TrackingPreview,
    apply_tracking_import,
    check_tracking_file,
)
from shiptui.storage import Campaign
from shiptui.tui.dialog import Dialog
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED
from shiptui.tui.text import clean, literal, tell
from shiptui.tui.work import Applied, FileChecked, Progressed, WorkFailed, progress_of, run_in_thread

SHOWN = 1000  # rows of the error table; "s" saves them all
COLUMNS = ((N_("Line"), 4), (N_("Column"), 14), (N_("Value"), 14), (N_("Problem"), 32))  # fits 80 columns


class Next(Enum):
    """Where the operator goes from the preview: what the dialog dismisses with."""

    MAPPING = "mapping"
    OTHER_FILE = "other file"
    DASHBOARD = "dashboard"  # imported, or closed without importing


class ImportPreviewScreen(Dialog[Next]):
    """The check and import of tracking data; `result` is what the import did, once done."""

    # What the operator reads of this kind of import (LoadPreviewScreen has its own).
    READY = N_("checked: ready to import")
    NOTHING_TO_DO = N_("nothing to import: every row is as the orders already are")
    WRITING = N_("importing in one transaction…")
    DONE = N_("imported")
    UNDO = N_("u on the dashboard takes the whole import back")
    ENTER = N_("enter: import · m: mapping · f: another file · escape: close")
    # The services that check the file and write it, and the task of the writing.
    CHECK = staticmethod(check_tracking_file)
    APPLY = staticmethod(apply_tracking_import)
    TASK = "import"

    CSS_PATH = "import_preview.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "import", N_("Import"), priority=True,
                tooltip=N_("import the file in one transaction (u takes it back)")),
        Binding("m", "mapping", N_("Mapping"), tooltip=N_("back to the mapping of the fields")),
        Binding("f", "other_file", N_("Other file"), tooltip=N_("choose another file")),
        Binding("s", "save_errors", N_("Save errors"),
                tooltip=N_("save the table of rejected cells as CSV next to the file")),
        Binding("escape,q", "close", N_("Close"), key_display="esc", tooltip=N_("back to the dashboard")),
    ]

    def __init__(self, title: str, campaign: Campaign, table: CsvFile, mapping: Mapping, operator: str) -> None:
        super().__init__()
        self.title_text = title
        self.campaign = campaign
        self.table = table
        self.mapping = mapping
        self.operator = operator
        self.preview: TrackingPreview | OrdersPreview | None = None
        self.result: ImportResult | LoadResult | None = None
        self.busy = True
        self.shown: list = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(f"{self.title_text} · {self.table.path.name}"), id="title")
            yield Static(_("checking every row; nothing is written yet"), id="status")
            yield ProgressBar(total=100, show_eta=False, id="progress")
            yield Static(id="counts")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="problems")
            yield Static(id="detail")
            yield Static(id="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        titles = [_(title) for title, _width in COLUMNS]
        widths = [max(width, cell_len(title)) for title, (_title, width) in zip(titles, COLUMNS)]
        widths[-1] -= sum(widths) - sum(width for _title, width in COLUMNS)  # the Problem column gives way
        for title, width in zip(titles, widths):
            table.add_column(title, width=width)
        table.display = False
        self._hint()
        self.check()

    # --- the work, in a thread ---------------------------------------------------------

    def check(self) -> None:
        run_in_thread(self, lambda: FileChecked(self.CHECK(
            self.campaign, self.table, self.mapping, progress_of(self, "check"))), task="check")

    def apply(self) -> None:
        run_in_thread(self, lambda: Applied(self.TASK, apply_and_remember(
            self.APPLY, self.campaign, self.preview, operator=self.operator,
            progress=progress_of(self, self.TASK))), task=self.TASK)

    def will_change(self) -> bool:
        return self.preview is not None and self.preview.ok and bool(self.preview.changes)

    def counts(self) -> str:
        """What the checked file would do; the carriers the numbers told."""
        told = f"\n{self.preview.carriers_told()}" if self.preview.detected else ""
        return " · ".join(self.preview.counts()) + told

    @on(Progressed)
    def _progressed(self, progressed: Progressed) -> None:
        self.query_one(ProgressBar).update(progress=progressed.fraction * 100)

    # --- what the operator sees ----------------------------------------------------------

    @on(WorkFailed)
    def _failed(self, failed: WorkFailed) -> None:
        self.busy = False
        self.query_one(ProgressBar).display = False
        self.query_one("#status", Static).update(Text(clean(failed.message), style="bold red"))
        self._hint()

    @on(FileChecked)
    def _checked(self, checked: FileChecked) -> None:
        self.busy = False
        self.preview = preview = checked.preview
        self.query_one(ProgressBar).display = False
        status = self.query_one("#status", Static)
        if not preview.ok:
            status.update(Text(
                _("rejected: {rejected} of {rows} rows have problems; nothing will be written until every row is right")
                .format(rejected=format_number(preview.rejected_rows), rows=format_number(preview.rows)),
                style="bold red"))
        elif not self.will_change():
            status.update(_(self.NOTHING_TO_DO))
        else:
            status.update(Text(_(self.READY), style="bold green"))
        self.query_one("#counts", Static).update(Text(self.counts()))
        shown = preview.problems or getattr(preview, "warnings", [])  # a load has no warnings
        self.shown = shown[:SHOWN]
        table = self.query_one(DataTable)
        table.clear()
        for problem in self.shown:
            table.add_row(*(literal(cell) for cell in problem_cells(problem)[:4]))
        table.display = bool(shown)
        self.query_one("#detail", Static).display = bool(shown)
        if shown:
            table.focus()
        if len(shown) > SHOWN:
            self.notify(_("the first {shown} of {count} are listed: s saves them all").format(
                shown=format_number(SHOWN), count=format_number(len(shown))), timeout=5)
        self._hint()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole reason of the row at the cursor, and what to do about it."""
        if 0 <= event.cursor_row < len(self.shown):
            problem = self.shown[event.cursor_row]
            self.query_one("#detail", Static).update(
                Text(clean(f"{problem.where()}: {problem.reason}; {problem.fix}"))
            )

    @on(Applied)
    def _done(self, applied: Applied) -> None:
        self.busy = False
        self.result = result = applied.result
        self.query_one(ProgressBar).display = False
        self.query_one("#status", Static).update(Text(_(self.DONE), style="bold green"))
        lines = [" · ".join(result.parts())]
        if result.action_id is not None:
            lines.append(_(self.UNDO))
        self.query_one("#counts", Static).update(Text("\n".join(clean(line) for line in lines)))
        self.query_one(DataTable).display = False
        self.query_one("#detail", Static).display = False
        self._hint()

    def _hint(self) -> None:
        if self.busy:
            text = _("please wait…")
        elif self.result is not None:
            text = _("enter or escape: back to the dashboard")
        elif self.will_change():
            text = _(self.ENTER)
        elif self.preview is not None and not self.preview.ok:
            text = _("s: save errors as CSV · m: mapping · f: another file · escape: close")
        else:
            text = _("m: mapping · f: another file · escape: close")
        self.query_one("#hint", Static).update(text)

    # --- keys ----------------------------------------------------------------------------

    def action_import(self) -> None:
        if self.result is not None:
            self.dismiss(Next.DASHBOARD)
            return
        if self.busy or not self.will_change():
            return
        self.busy = True
        self.query_one("#status", Static).update(_(self.WRITING))
        bar = self.query_one(ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self._hint()
        self.apply()

    def action_mapping(self) -> None:
        if not self.busy and self.result is None:
            self.dismiss(Next.MAPPING)

    def action_other_file(self) -> None:
        if not self.busy and self.result is None:
            self.dismiss(Next.OTHER_FILE)

    def action_save_errors(self) -> None:
        if self.busy or self.preview is None or self.preview.ok:
            return
        try:
            order_ids = order_ids_of_lines(self.table, self.preview.mapping)
            path = save_problems(self.preview.problems, errors_path(self.table.path), order_ids)
        except REPORTED as error:
            tell(self, describe(error), severity="error")
            return
        count = len(self.preview.problems)
        tell(self, ngettext("saved {count} problem to {path}", "saved {count} problems to {path}", count).format(
            count=format_number(count), path=path))

    def action_close(self) -> None:
        if self.result is not None:
            self.dismiss(Next.DASHBOARD)
        elif not self.busy:
            self.dismiss(Next.DASHBOARD)


class LoadPreviewScreen(ImportPreviewScreen):
    """The check and load of a campaign's orders (members, products, orders)."""

    READY = N_("checked: ready to load")
    NOTHING_TO_DO = N_("nothing to load: every order of the file is already loaded")
    WRITING = N_("loading in one transaction…")
    DONE = N_("loaded")
    UNDO = N_("u on the dashboard puts back the names and addresses the load changed")
    ENTER = N_("enter: load · m: mapping · f: another file · escape: close")

    BINDINGS: ClassVar[list[BindingType]] = [  # in place of the import's enter; its other keys stay
        Binding("enter", "import", N_("Load"), priority=True, tooltip=N_("load the orders in one transaction")),
    ]
    CHECK = staticmethod(check_orders_file)
    APPLY = staticmethod(apply_orders_import)
    TASK = "load"

    def will_change(self) -> bool:
        return self.preview is not None and self.preview.ok and self.preview.new_orders > 0

    def counts(self) -> str:
        return " · ".join(self.preview.counts())
