"""The audit trail of the order at the cursor (key h): every change to it, oldest first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from shiptui.i18n import N_, _, moment, pgettext
from shiptui.services import history
from shiptui.services.history import OrderChange
from shiptui.services.orders import OrderRow
from shiptui.storage import Campaign
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.text import clean, literal
from shiptui.tui.widgets.fitting_footer import FittingFooter


def action_name(kind: str) -> str:
    """What the operator did, in their language (the stored kind as it is, in English)."""
    names = {
        "ship": pgettext("action", "ship"), "wont_ship": pgettext("action", "wont_ship"),
        "track": pgettext("action", "track"), "import": pgettext("action", "import"),
        "load": pgettext("action", "load"),
    }
    return names.get(kind, kind)


def change_card(change: OrderChange) -> Text:
    card = Text.assemble(
        (moment(change.at), "bold"), " · ", literal(change.operator, "bold"), " · ",
        literal(action_name(change.action)),
    )
    if change.undone_at:
        undone = _("undone {when} by {operator}").format(when=moment(change.undone_at), operator=change.undone_by)
        card.append_text(literal("  " + undone, "italic"))
    # wrapped, not cut: a URL change is long
    card.append("\n")
    card.append(clean(history.describe_change(change)))
    return card


class OrderHistoryScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "order_history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,h", "close", N_("Back"), key_display="q", tooltip=N_("back to the dashboard")),
        Binding("r", "reload", N_("Reload"), tooltip=N_("read it again, with others' changes")),
    ]

    def __init__(self, campaign: Campaign, row: OrderRow) -> None:
        super().__init__()
        self.campaign = campaign
        self.row = row

    def compose(self) -> ComposeResult:
        before, _order, after = _("History of {order_id}").partition("{order_id}")
        title = Text.assemble(
            before, literal(self.row.order_id, "bold"), after, " · ", literal(self.row.member_name),
            "\n", (_("every change: when, who, what it was before → after"), "dim"),
        )
        yield Static(title, id="history-title")
        yield VerticalScroll(id="history-changes")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        changes = attempt(self, lambda: history.order_history(self.campaign, self.row.order_id))
        if changes is None:
            return
        box = self.query_one("#history-changes", VerticalScroll)
        box.remove_children()
        if not changes:
            box.mount(Static(_("no change recorded for this order yet"), id="history-empty"))
            return
        box.mount_all(Static(change_card(change), classes="change-card") for change in changes)
        box.scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
