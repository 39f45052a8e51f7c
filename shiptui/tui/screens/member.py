"""The member view (J5): what the member sees under "Track Item" in their own dashboard."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from shiptui.services import dashboard
from shiptui.services.fulfillment import us_date
from shiptui.services.orders import OrderRow
from shiptui.storage import Campaign, OrderStatus
from shiptui.tui.errors import attempt
from shiptui.tui.text import clean, literal


def status_words(row: OrderRow) -> str:
    if row.status == OrderStatus.SHIPPED:
        return f"Shipped {us_date(row.shipped_on)}"
    if row.status == OrderStatus.WONT_SHIP:
        return "Won't ship"
    return "Not shipped yet"


def order_card(row: OrderRow) -> Text:
    card = Text.assemble(literal(row.order_id, "bold"), " · ", literal(row.product))
    card.append("\n  ")
    card.append_text(literal(status_words(row), "bold"))
    if row.tracking_number:
        card.append("  ")
        card.append_text(literal(f"{row.carrier or 'carrier unknown'} · {row.tracking_number}"))
    card.append("\n  ")
    if row.tracking_url:
        card.append("Track Item: ")
        url = clean(row.tracking_url)
        # A terminal hyperlink (only of an inert http(s) address: it goes to the terminal
        # as is); the address is also the text, for terminals without links.
        linkable = url == row.tracking_url and url.lower().startswith(("http://", "https://"))
        card.append(url, Style(link=url, underline=True) if linkable else "")
    else:
        card.append("Track Item: no tracking link yet", "dim")
    return card


class MemberScreen(Screen[None]):
    CSS_PATH = "member.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,m", "close", "Back", key_display="esc", tooltip="back to the dashboard"),
    ]

    def __init__(self, campaign: Campaign, order_id: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        yield Static(id="member-title")
        yield VerticalScroll(id="member-orders")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        found = attempt(self, lambda: dashboard.member_orders(self.campaign, self.order_id))
        if found is None:
            return
        title = Text.assemble(
            "Track Item · what ", literal(found.name, "bold"), " sees", "\n", literal(found.email, "dim")
        )
        self.query_one("#member-title", Static).update(title)
        self.query_one("#member-orders", VerticalScroll).mount_all(
            Static(order_card(row), classes="order-card") for row in found.orders
        )

    def action_close(self) -> None:
        self.dismiss(None)
