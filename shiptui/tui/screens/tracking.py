"""The tracking modal (J1): tracking number, carrier and URL of one order."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from shiptui.errors import RejectedInput
from shiptui.i18n import N_, _
from shiptui.services import fulfillment, orders
from shiptui.services.actions import ActionResult
from shiptui.services.carriers import (
    carrier_names,
    detect_carrier,
    find_carrier,
    language_of_country,
    normalize_tracking_number,
    resolve_carrier,
    validate_tracking_url,
)
from shiptui.services.orders import OrderRow
from shiptui.storage import Campaign
from shiptui.tui.dialog import Dialog
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED
from shiptui.tui.text import clean, literal, shortened_in_middle
from shiptui.tui.widgets.inert_input import InertInput
from shiptui.tui.widgets.type_ahead_input import TypeAheadInput

FIELDS = ("number", "carrier", "url")
# What separates the cells of a pasted spreadsheet row (or lines).
PASTED_CELLS = re.compile(r"[\t\r\n]+")


class ScanInput(TypeAheadInput):
    """A field of the tracking dialog: a scanner's Tab moves on in time (TypeAheadInput),
    and a paste lands whole where it belongs."""

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted number replaces the number whole; a pasted row of cells (tab or line
        separated, as a spreadsheet copies them) fills this field and the ones after it."""
        cells = [cell.strip() for cell in PASTED_CELLS.split(event.text.strip())]
        if len(cells) < 2 and self.id != "number":
            return  # Input's own handler, called after this one, inserts it
        event.stop()
        event.prevent_default()
        self.screen.paste_cells(self, cells)


class TrackingScreen(Dialog[ActionResult | None]):
    """Prefilled from the order; enter saves, escape leaves everything unchanged."""

    CSS_PATH = "tracking.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), tooltip=N_("leave everything unchanged")),
        Binding("enter", "save", N_("Save"), show=False, tooltip=N_("save the tracking")),
    ]

    def __init__(self, campaign: Campaign, row: OrderRow, operator: str) -> None:
        super().__init__()
        self.campaign = campaign
        self.row = row
        self.operator = operator
        self.country = orders.get_order(campaign, row.order_id).ship_country

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = literal(_("Update tracking information · {order_id} · {member}").format(
                order_id=self.row.order_id, member=self.row.member_name))
            yield Static(title, id="title")
            yield Label(_("Tracking Number"))
            yield ScanInput(self.row.tracking_number, id="number")
            yield Static(id="number-error", classes="field-error")
            yield Label(_("Carrier (name of the shipping company)"))
            yield ScanInput(
                self.row.carrier,
                id="carrier",
                suggester=SuggestFromList(carrier_names(), case_sensitive=False),
            )
            yield Static(id="carrier-error", classes="field-error")
            yield Label(_("URL (where the member can follow the parcel)"))
            yield ScanInput(self._own_url(), id="url")
            yield Static(id="url-error", classes="field-error")
            yield Static(id="form-error", classes="field-error")
            yield Static(_("enter saves · escape leaves everything unchanged"), id="hint")

    def _own_url(self) -> str:
        """The order's URL, unless it is just the carrier's page for its number: that one
        is left empty, so it follows a corrected number instead of keeping the old one."""
        carrier = find_carrier(self.row.carrier)
        number = self.row.tracking_number
        if carrier and self.row.tracking_url in (carrier.tracking_url(number, "en"), carrier.tracking_url(number, "de")):
            return ""
        return self.row.tracking_url

    def on_mount(self) -> None:
        self._suggest_url()

    def paste_cells(self, field: ScanInput, cells: list[str]) -> None:
        """Pasted cells into `field` and the fields after it, each whole; after a row of
        cells the focus goes to the next field, as a Tab between them would move it."""
        start = FIELDS.index(field.id)
        for name, cell in zip(FIELDS[start:], cells):
            target = self.query_one(f"#{name}", ScanInput)
            target.value = cell
            target.cursor_position = len(cell)
        if len(cells) > 1:
            self.query_one(f"#{FIELDS[min(start + len(cells), len(FIELDS) - 1)]}", ScanInput).focus()

    def _value(self, field: str) -> str:
        """What the field holds: as stored while unedited (see InertInput), else as typed."""
        return self.query_one(f"#{field}", InertInput).entered

    def _number(self) -> str:
        return "".join(self._value("number").split()).upper()

    @on(Input.Changed, "#number, #carrier")
    def _suggest_url(self) -> None:
        """An empty carrier is told by the number, an empty URL becomes the carrier's page
        for it: show which."""
        number = self._number()
        typed = self._value("carrier").strip()
        detected = detect_carrier(number, self.country) if number and not typed else None
        carrier = find_carrier(resolve_carrier(typed, number, self.country) if typed else
                               detected.carrier if detected else "")
        hint = ""
        if detected and detected.carrier:
            hint = _("left empty: {carrier}, told by the number").format(carrier=detected.carrier)
        elif detected and detected.candidates:
            hint = _("the number could be {carriers}: type which").format(carriers=", ".join(detected.candidates))
        self.query_one("#carrier", Input).placeholder = hint
        url = self.query_one("#url", Input)
        if carrier and number:
            page = clean(carrier.tracking_url(number, language_of_country(self.country)))
            # A placeholder longer than the field wraps out of sight: the page's address
            # gives way in its middle, so its end (the number) stays.
            room = url.content_size.width - 1 - cell_len(_("left empty: {url}").format(url=""))
            if room > 0:
                page = shortened_in_middle(page, room)
            url.placeholder = _("left empty: {url}").format(url=page)
        else:
            url.placeholder = _("left empty: the carrier's page")

    def on_resize(self) -> None:
        self._suggest_url()

    def _show_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(literal(message))
        error.set_class(bool(message), "shown")

    @on(Input.Submitted)
    def action_save(self) -> None:
        for field in (*FIELDS, "form"):
            self._show_error(field, "")
        errors = {}
        for field, check in (("number", normalize_tracking_number), ("url", validate_tracking_url)):
            try:
                check(self._value(field))
            except RejectedInput as error:
                errors[field] = str(error)
        number = self._number()
        if "number" not in errors and number and not self._value("carrier").strip():
            candidates = detect_carrier(number, self.country).candidates
            if len(candidates) > 1:  # the operator chooses: never a guess
                errors["carrier"] = _("this number could be {carriers}: type which carrier it is").format(
                    carriers=", ".join(candidates))
        for field, message in errors.items():
            self._show_error(field, message)
        if errors:
            self.query_one(f"#{next(iter(errors))}", Input).focus()
            return
        try:
            order = orders.get_order(self.campaign, self.row.order_id)
            result = fulfillment.update_tracking(
                self.campaign,
                order,
                number=self._value("number"),
                carrier=self._value("carrier"),
                url=self._value("url"),
                operator=self.operator,
                expected_version=self.row.version,
            )
        except REPORTED as error:
            self._show_error("form", describe(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
