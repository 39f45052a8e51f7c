"""The member view (J5): what the member sees under "Track Item" in their own dashboard,
in the member's language (Sendeverfolgung), with the tracking page in it where the
carrier has one."""

from __future__ import annotations

from gettext import NullTranslations
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from shiptui.i18n import N_, _, format_date, language_name, translation
from shiptui.services import orders
from shiptui.services.orders import OrderRow
from shiptui.services.tracking_pages import member_tracking_url
from shiptui.storage import Campaign, OrderStatus
from shiptui.tui.bindings import SpokenBindings
from shiptui.tui.errors import attempt
from shiptui.tui.text import clean, literal
from shiptui.tui.widgets.fitting_footer import FittingFooter


def status_words(row: OrderRow, member: NullTranslations) -> str:
    if row.status == OrderStatus.SHIPPED:
        return member.gettext("Shipped {date}").format(date=format_date(row.shipped_on, row.language))
    if row.status == OrderStatus.WONT_SHIP:
        return member.gettext("Won't ship")
    return member.gettext("Not shipped yet")


def order_card(row: OrderRow, member: NullTranslations) -> Text:
    """One order as the member sees it, in the words of `member` (their language's catalog)."""
    card = Text.assemble(literal(row.order_id, "bold"), " · ", literal(row.product))
    card.append("\n  ")
    card.append_text(literal(status_words(row, member), "bold"))
    if row.tracking_number:
        card.append("  ")
        carrier = row.carrier or member.gettext("carrier unknown")
        card.append_text(literal(f"{carrier} · {row.tracking_number}"))
    card.append("\n  ")
    url = member_tracking_url(row.carrier, row.tracking_number, row.tracking_url, row.language)
    if url:
        card.append(member.gettext("Track Item") + ": ")
        shown = clean(url)
        # A terminal hyperlink (only of an inert http(s) address: it goes to the terminal
        # as is); the address is also the text, for terminals without links.
        linkable = shown == url and url.lower().startswith(("http://", "https://"))
        card.append(shown, Style(link=url, underline=True) if linkable else "")
    else:
        card.append(member.gettext("Track Item: no tracking link yet"), "dim")
    return card


class MemberScreen(SpokenBindings, Screen[None]):
    CSS_PATH = "member.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,m", "close", N_("Back"), key_display="q", tooltip=N_("back to the dashboard")),
        Binding("r", "reload", N_("Reload"), tooltip=N_("read it again, with others' changes")),
    ]

    def __init__(self, campaign: Campaign, order_id: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        yield Static(id="member-title")
        yield VerticalScroll(id="member-orders")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        found = attempt(self, lambda: orders.member_orders(self.campaign, self.order_id))
        if found is None:
            return
        member = translation(found.language)
        # The member's heading in their words; the rest speaks to the operator.
        before, _name, after = _("what {name} sees, in {language}").partition("{name}")
        title = Text.assemble(
            member.gettext("Track Item"), " · ", before, literal(found.name, "bold"),
            after.format(language=language_name(found.language)), "\n", literal(found.email, "dim"),
        )
        self.query_one("#member-title", Static).update(title)
        cards = self.query_one("#member-orders", VerticalScroll)
        cards.remove_children()
        cards.mount_all(
            Static(order_card(row, translation(row.language)), classes="order-card") for row in found.orders
        )

    def action_close(self) -> None:
        self.dismiss(None)
