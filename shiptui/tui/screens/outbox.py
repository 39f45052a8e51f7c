"""The outbox: a campaign's review reminders, counted by status, with why any failed.

From the dashboard (key o). The sender (`shiptui mail send`) works in another process:
the screen looks again every ten seconds (r: now), and t / T queue failed reminders again.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from shiptui.i18n import N_, _, format_day_month, format_number, ngettext
from shiptui.services import outbox
from shiptui.services.outbox import OutboxRow
from shiptui.storage import Campaign, ReminderStatus
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.screens.help import HelpScreen
from shiptui.tui.text import clean, literal, tell
from shiptui.tui.widgets.fitting_footer import FittingFooter

FILTER_CYCLE = (
    None, ReminderStatus.FAILED, ReminderStatus.QUEUED, ReminderStatus.SENT, ReminderStatus.CANCELLED,
    ReminderStatus.SUPPRESSED,
)
PAGE = 500  # rows read at once; the next page when the cursor reaches the last one read
REFRESH_SECONDS = 10.0  # a refresh reads the counts and the rows read: ~0.2 s for 500 at 40,000 reminders
STATUS_STYLES = {"failed": "bold red", "sent": "green", "cancelled": "dim", "sending": "yellow", "suppressed": "magenta"}
MEMBER_WIDTH = 14
ERROR_WIDTH = 20


def _short(text: str, width: int) -> str:
    text = clean(text)
    return text if len(text) <= width else text[: width - 1] + "…"


class OutboxScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "outbox.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "retry", N_("Retry"), tooltip=N_("queue the failed reminder at the cursor again")),
        Binding("T", "retry_failed", N_("Retry failed"), key_display="T",
                tooltip=N_("queue every failed reminder of this campaign again")),
        Binding("enter", "details", N_("Details"), tooltip=N_("the whole last error and the Message-ID")),
        Binding("f", "cycle_filter", N_("Filter"),
                tooltip=N_("show all reminders, failed, queued, sent, cancelled or suppressed")),
        Binding("r", "reload", N_("Reload"), show=False, tooltip=N_("look again now (it does every few seconds)")),
        Binding("question_mark", "help", N_("Help"), key_display="?", tooltip=N_("every key and what it does")),
        Binding("q,escape,o", "back", N_("Back"), key_display="q", tooltip=N_("back to the dashboard")),
    ]

    def __init__(self, campaign: Campaign, operator: str) -> None:
        super().__init__()
        self.campaign = campaign
        self.operator = operator
        self.status: str | None = None
        self.rows: list[OutboxRow] = []
        self.counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="outbox-title", markup=False)
        yield Static(id="outbox-counts", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=False, id="outbox")
        yield Static(id="outbox-empty", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(_("Order ID"), key="order")
        table.add_column(_("Member"), key="member")
        table.add_column(_("Status"), key="status")
        table.add_column(_("Due / sent"), key="when")
        table.add_column(_("Tries"), key="attempts")
        table.add_column(_("Last error"), key="error")
        self.load()
        table.focus()
        self.set_interval(REFRESH_SECONDS, self.load)

    def load(self) -> None:
        """Read the counts and the rows again: as many as were read before, a page at least."""
        counts = attempt(self, lambda: outbox.outbox_counts(self.campaign))
        rows = attempt(self, lambda: outbox.outbox_rows(
            status=self.status, campaign=self.campaign, limit=max(PAGE, len(self.rows))))
        if counts is None or rows is None:
            return
        self.counts = counts
        self.query_one("#outbox-counts", Static).update(
            " · ".join(f"{format_number(count)} {outbox.status_word(status)}" for status, count in counts.items())
        )
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = []
        self._add(rows)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        table.display = bool(rows)
        empty = self.query_one("#outbox-empty", Static)
        empty.display = not rows
        empty.update(
            "" if rows else
            _("No reminders here yet: they are queued when orders are marked shipped.")
            if self.status is None else
            _("No {status} reminders: press f for another filter.").format(
                status=outbox.status_word(self.status))
        )
        self._title()

    @property
    def total(self) -> int:
        """The reminders of the filter, read or not."""
        return sum(self.counts.values()) if self.status is None else self.counts[self.status]

    def _title(self) -> None:
        shown = _("all reminders") if self.status is None else outbox.status_word(self.status)
        position = " · {at}/{total}".format(
            at=format_number(self.query_one(DataTable).cursor_row + 1), total=format_number(self.total)
        ) if self.rows else ""
        self.query_one("#outbox-title", Static).update(
            _("Outbox · {campaign} · {shown}").format(campaign=clean(self.campaign.name), shown=shown) + position
        )

    def _add(self, rows: list[OutboxRow]) -> None:
        table = self.query_one(DataTable)
        self.rows += rows
        for row in rows:
            when = row.sent_at if row.status == ReminderStatus.SENT else row.due
            table.add_row(
                literal(row.order_id),
                literal(_short(row.member_name, MEMBER_WIDTH)),
                Text(outbox.status_word(row.status), style=STATUS_STYLES.get(row.status, ""), end=""),
                literal(f"{format_day_month(when.date())} {when:%H:%M}" if when else ""),
                format_number(row.attempts),
                literal(_short(row.last_error, ERROR_WIDTH)),
                key=str(row.id),
            )

    @on(DataTable.RowHighlighted)
    def _cursor_moved(self, event: DataTable.RowHighlighted) -> None:
        # The next page is read when the cursor reaches the last row read.
        if event.cursor_row >= len(self.rows) - 1 and len(self.rows) < self.total:
            more = attempt(self, lambda: outbox.outbox_rows(
                status=self.status, campaign=self.campaign, limit=PAGE, offset=len(self.rows)))
            if more:
                self._add(more)
        self._title()

    @property
    def cursor_row(self) -> OutboxRow | None:
        table = self.query_one(DataTable)
        return self.rows[table.cursor_row] if self.rows else None

    def _retried(self, count: int | None) -> None:
        if count is None:
            return
        self.load()
        self.notify(
            ngettext("{count} reminder queued again: the sender delivers it on its next run",
                     "{count} reminders queued again: the sender delivers them on its next run",
                     count).format(count=format_number(count)),
            markup=False,
        )

    def action_retry(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        if row.status != ReminderStatus.FAILED:
            tell(self, _("{order_id}: only a failed reminder is retried (this one is {status})").format(
                order_id=clean(row.order_id), status=outbox.status_word(row.status)), severity="warning")
            return
        self._retried(attempt(self, lambda: outbox.retry([row.id], campaign=self.campaign)))

    def action_retry_failed(self) -> None:
        self._retried(attempt(self, lambda: outbox.retry(campaign=self.campaign)))

    @on(DataTable.RowSelected)
    def action_details(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        lines = [f"{row.order_id} · {row.member_name} <{row.email}> · {outbox.status_word(row.status)}",
                 f"Message-ID {row.message_id}"]
        if row.last_error:
            lines.append(_("last error: {error}").format(error=row.last_error))
        tell(self, "\n".join(clean(line) for line in lines), timeout=10)

    def action_cycle_filter(self) -> None:
        self.status = FILTER_CYCLE[(FILTER_CYCLE.index(self.status) + 1) % len(FILTER_CYCLE)]
        self.query_one(DataTable).move_cursor(row=0)
        self.rows = []  # another list: its first page
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_back(self) -> None:
        self.dismiss(None)
