"""The audit trail of the order at the cursor (key h): every change to it, oldest first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from shiptui.services import history
from shiptui.services.history import OrderChange
from shiptui.services.orders import OrderRow
from shiptui.storage import Campaign
from shiptui.tui.errors import attempt
from shiptui.tui.text import clean, literal
from shiptui.tui.widgets.fitting_footer import FittingFooter


def change_card(change: OrderChange) -> Text:
    card = Text.assemble(
        (f"{change.at:%m/%d/%Y %H:%M}", "bold"), " · ", literal(change.operator, "bold"), " · ",
        literal(change.action),
    )
    if change.undone_at:
        card.append_text(literal(f"  undone {change.undone_at:%m/%d/%Y %H:%M} by {change.undone_by}", "italic"))
    # wrapped, not cut: a URL change is long
    card.append("\n")
    card.append(clean(history.describe_change(change)))
    return card


class OrderHistoryScreen(Screen[None]):
    CSS_PATH = "order_history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,h", "close", "Back", key_display="esc", tooltip="back to the dashboard"),
    ]

    def __init__(self, campaign: Campaign, row: OrderRow) -> None:
        super().__init__()
        self.campaign = campaign
        self.row = row

    def compose(self) -> ComposeResult:
        title = Text.assemble(
            "History of ", literal(self.row.order_id, "bold"), " · ", literal(self.row.member_name),
            "\n", ("every change: when, who, what it was before → after", "dim"),
        )
        yield Static(title, id="history-title")
        yield VerticalScroll(id="history-changes")
        yield FittingFooter()

    def on_mount(self) -> None:
        changes = attempt(self, lambda: history.order_history(self.campaign, self.row.order_id))
        if changes is None:
            return
        box = self.query_one("#history-changes", VerticalScroll)
        if not changes:
            box.mount(Static("no change recorded for this order yet", id="history-empty"))
            return
        box.mount_all(Static(change_card(change), classes="change-card") for change in changes)
        box.scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
