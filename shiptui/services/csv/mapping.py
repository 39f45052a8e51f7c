"""Which column of a file holds which field: matched automatically, confirmed by the
operator, and remembered for the next file with the same headers."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, TypeVar

from slugify import slugify

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.i18n import N_, _, pgettext
from shiptui.services.carrier_detection import detect
from shiptui.services.carriers import find_carrier, is_regional_name
from shiptui.services.csv.dates import looks_like_date
from shiptui.services.csv.reading import column_letter
from shiptui.storage import ColumnMapping, database

R = TypeVar("R")

TRACKING = "tracking"
ORDERS = "orders"


@dataclass(frozen=True)
class Field:
    key: str  # as given to --map: order_id
    label: str  # as the export and the help page name it: Order ID
    aliases: tuple[str, ...] = ()  # other names, English and German, best first

    def name(self) -> str:
        """The label in the operator's language, as the export names the column (Versanddatum)."""
        return pgettext("CSV column", self.label)
    required: bool = False


TRACKING_FIELDS: tuple[Field, ...] = (
    Field("order_id", "Order ID", (
        "Order Number", "Order No", "Order #", "Order", "Order Reference", "Reference",
        "Customer Reference", "Bestellnummer", "Bestell-ID", "Bestellung", "Auftragsnummer",
        "Referenz", "Kundenreferenz",
    ), required=True),
    Field("shipped_date", "Shipped Date", (
        "Ship Date", "Shipping Date", "Date Shipped", "Shipped On", "Shipped", "Dispatch Date",
        "Dispatched", "Sent Date", "Versanddatum", "Versendet am", "Versandtag", "Versand",
    )),
    Field("carrier", "Tracking Carrier", (
        "Carrier", "Shipping Carrier", "Shipping Company", "Courier", "Shipping Provider",
        "Tracking-Versandunternehmen", "Versandunternehmen", "Versanddienstleister",
        "Paketdienst", "Zusteller", "Spediteur",
    )),
    Field("tracking_number", "Tracking Number", (
        "Tracking #", "Tracking No", "Tracking Code", "Tracking ID", "Tracking", "Waybill",
        "Waybill Number", "AWB", "Parcel Number", "Consignment Number", "Shipment Number",
        "Trackingnummer", "Tracking-Nummer", "Sendungsnummer", "Sendungsverfolgungsnummer",
        "Paketnummer", "Paketscheinnummer",
    )),
    Field("tracking_url", "Tracking URL", (
        "Tracking Link", "Tracking Page", "URL", "Link", "Tracking-URL", "Sendungsverfolgung",
        "Sendungsverfolgungslink", "Verfolgungslink",
    )),
    # The export's Status: read back, so that "Won't ship" written in the list is not lost.
    Field("status", "Status", ("Order Status", "Shipping Status", "Bestellstatus", "Versandstatus")),
)

ORDER_FIELDS: tuple[Field, ...] = (
    TRACKING_FIELDS[0],
    Field("member_name", "Member Name", (
        "Name", "Full Name", "Recipient", "Recipient Name", "Customer Name", "Member",
        "Empfänger", "Empfaenger", "Mitglied", "Vollständiger Name",
    ), required=True),
    Field("email", "Email", (
        "E-Mail", "Email Address", "E-Mail-Adresse", "Mail", "Emailadresse",
    ), required=True),
    Field("address_line1", "Address Line 1", (
        "Address 1", "Address", "Street", "Street Address", "Adresse", "Anschrift", "Straße",
        "Strasse", "Adresszeile 1",
    )),
    Field("address_line2", "Address Line 2", (
        "Address 2", "Apartment", "Suite", "Adresszusatz", "Adresszeile 2",
    )),
    Field("city", "City", ("Town", "Stadt", "Ort", "Wohnort")),
    Field("region", "State/Region", (
        "State", "Region", "Province", "County", "Bundesland", "Provinz", "Bundesland/Region",
    )),
    Field("postal_code", "Postal Code", (
        "ZIP", "ZIP Code", "Postcode", "Post Code", "PLZ", "Postleitzahl",
    )),
    Field("country", "Country", ("Country Code", "Land", "Ländercode")),
    Field("product", "Product", (
        "Product Name", "Item", "Item Name", "Produkt", "Produktname", "Artikel",
        "Artikelname",
    ), required=True),
    Field("sku", "SKU", (
        "Item SKU", "Product SKU", "Product Code", "Artikelnummer", "Art.-Nr.", "Artikel-Nr",
    ), required=True),
    Field("quantity", "Quantity", ("Qty", "Amount", "Menge", "Anzahl", "Stück")),
    Field("language", "Language", ("Sprache", "Locale", "Lang", "Language Code", "Sprachcode")),
)

FIELDS = {TRACKING: TRACKING_FIELDS, ORDERS: ORDER_FIELDS}

_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "Versanddatum (MM/TT/JJJJ)"


@lru_cache(maxsize=4096)
def normalized(name: str) -> str:
    """A header as compared: no case, punctuation, spaces, accents or (notes)."""
    return slugify(_NOTES.sub(" ", name or ""), separator="")


@dataclass
class Mapping:
    """field key -> 0-based column index, and how each choice was made."""

    kind: str
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)  # automatic, remembered, --map, chosen
    ignored: set[int] = field(default_factory=set)  # columns the operator chose to leave out

    @property
    def fields(self) -> tuple[Field, ...]:
        return FIELDS[self.kind]

    def set(self, key: str, index: int | None, how: str) -> None:
        field_named(self.kind, key)
        if index is None:
            self.columns.pop(key, None)
            self.how.pop(key, None)
            return
        for other, column in list(self.columns.items()):  # a column feeds one field
            if column == index and other != key:
                del self.columns[other]
                self.how.pop(other, None)
        self.columns[key] = index
        self.how[key] = how

    def missing(self) -> list[str]:
        """What keeps this mapping from being used, one sentence per gap."""
        gaps = [
            _("the required field {field} ({key}) is not mapped to a column").format(field=f.name(), key=f.key)
            for f in self.fields
            if f.required and f.key not in self.columns
        ]
        if self.kind == TRACKING and not {"shipped_date", "tracking_number"} & self.columns.keys():
            gaps.append(
                _("neither {shipped_date} (shipped_date) nor {tracking_number} (tracking_number) "
                  "is mapped to a column: map at least one of them").format(
                    shipped_date=field_named(TRACKING, "shipped_date").name(),
                    tracking_number=field_named(TRACKING, "tracking_number").name())
            )
        return gaps

    def describe(self) -> list[tuple[str, str, str]]:
        """(field label, header with column letter or "-", how) for every field."""
        rows = []
        for f in self.fields:
            index = self.columns.get(f.key)
            where = "-" if index is None else f"{self.headers[index]} ({column_letter(index)})"
            rows.append((f.name() + (" *" if f.required else ""), where, _how(self.how.get(f.key, ""))))
        return rows


def _how(how: str) -> str:
    """How a column was chosen, for people; "--map" is the option's name."""
    words = {"automatic": _("automatic"), "remembered": _("remembered"), "chosen": _("chosen")}
    return words.get(how, how)


def field_named(kind: str, name: str) -> Field:
    wanted = normalized(name)
    for f in FIELDS[kind]:
        if wanted in (normalized(f.key), normalized(f.label)):
            return f
    names = ", ".join(f.key for f in FIELDS[kind])
    raise RejectedInput(_("unknown field {name}: the fields are {names}").format(name=repr(name), names=names))


def header_signature(headers: list[str]) -> str:
    return json.dumps([normalized(header) for header in headers])


def automatic(kind: str, headers: list[str]) -> Mapping:
    """Each field gets the header that names it best (its label first, then its aliases)."""
    mapping = Mapping(kind, headers)
    by_name: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_name.setdefault(normalized(header), index)
    for rank in range(1 + max(len(f.aliases) for f in mapping.fields)):
        for f in mapping.fields:
            if f.key in mapping.columns:
                continue
            names = (f.label, *f.aliases)
            if rank >= len(names):
                continue
            index = by_name.get(normalized(names[rank]))
            if index is not None and index not in mapping.columns.values():
                mapping.set(f.key, index, "automatic")
    return mapping


_IGNORED = "-ignored"  # the key of the left-out columns in a remembered mapping


def remembered(kind: str, headers: list[str]) -> Mapping | None:
    saved = ColumnMapping.get_or_none(
        ColumnMapping.kind == kind, ColumnMapping.header_signature == header_signature(headers)
    )
    if saved is None:
        return None
    mapping = Mapping(kind, headers)
    for key, index in json.loads(saved.mapping).items():
        if key == _IGNORED:
            mapping.ignored = {column for column in index if 0 <= column < len(headers)}
        elif 0 <= index < len(headers):
            mapping.set(key, index, "remembered")
    return mapping


def remember(mapping: Mapping, operator: str) -> None:
    """Keep a confirmed mapping for the next file with the same headers."""
    values = {
        ColumnMapping.mapping: json.dumps(
            {**mapping.columns, **({_IGNORED: sorted(mapping.ignored)} if mapping.ignored else {})},
            sort_keys=True,
        ),
        ColumnMapping.updated_at: clock.stored_now(),
        ColumnMapping.updated_by: operator,
    }
    with database().atomic():
        ColumnMapping.insert(
            {ColumnMapping.kind: mapping.kind,
             ColumnMapping.header_signature: header_signature(mapping.headers), **values}
        ).on_conflict(
            conflict_target=[ColumnMapping.kind, ColumnMapping.header_signature], update=values
        ).execute()


def apply_and_remember(apply: Callable[..., R], campaign, preview, *, operator: str, **options) -> R:
    """Apply a checked file with `apply` (the tracking import or the load of orders), then
    remember its mapping for the next file with the same headers: a mapping is kept once
    a file has been imported with it, never for a file that was refused or failed. The
    CLI and the console both import through this."""
    result = apply(campaign, preview, operator=operator, **options)
    remember(preview.mapping, operator)
    return result


def parse_map_options(kind: str, options: list[str] | None) -> dict[str, str]:
    """--map FIELD=HEADER options -> {field key: header}; an empty header unmaps the field."""
    chosen: dict[str, str] = {}
    for option in options or []:
        name, sep, header = option.partition("=")
        if not sep:
            raise RejectedInput(
                _("--map {option} needs the form FIELD=HEADER, e.g. --map tracking_number='Tracking #'").format(
                    option=repr(option))
            )
        chosen[field_named(kind, name.strip()).key] = header.strip()
    return chosen


def find_header(headers: list[str], wanted: str) -> int:
    for index, header in enumerate(headers):
        if header == wanted:
            return index
    for index, header in enumerate(headers):
        if normalized(header) and normalized(header) == normalized(wanted):
            return index
    shown = ", ".join(repr(header) for header in headers if header)
    raise RejectedInput(_("the file has no column {header}; its headers are {headers}").format(
        header=repr(wanted), headers=shown))


def initial_mapping(
    kind: str, headers: list[str], chosen: dict[str, str] | None = None, ignored: list[str] | None = None
) -> Mapping:
    """The remembered mapping for these headers, else the automatic one; `chosen` (--map)
    and `ignored` (--ignore: headers to leave out) on top."""
    mapping = remembered(kind, headers) or automatic(kind, headers)
    for key, header in (chosen or {}).items():
        if not header and key in mapping.columns:  # FIELD= leaves its column out on purpose
            mapping.ignored.add(mapping.columns[key])
        mapping.set(key, find_header(headers, header) if header else None, "--map")
    mapping.ignored |= {find_header(headers, header) for header in ignored or []}
    return mapping


def require_complete(mapping: Mapping, file_name: str) -> None:
    """Raise, naming each unmapped field and the --map that maps it."""
    gaps = mapping.missing()
    if not gaps:
        return
    shown = ", ".join(repr(header) for header in mapping.headers if header)
    wanted = [f for f in mapping.fields if f.required and f.key not in mapping.columns]
    if not wanted:
        wanted = [field_named(mapping.kind, "tracking_number")]
    hints = " ".join(f"--map {f.key}=HEADER" for f in wanted)
    raise RejectedInput(
        _("{file}: {gaps}. Its headers are {headers}: name the column with {hints}; nothing was changed").format(
            file=file_name, gaps="; ".join(gaps), headers=shown, hints=hints)
    )


# Headers of plainly other data: what the export writes besides the tracking fields (names,
# addresses, products, status) under any of their names. Such columns are never reported.
_OTHER_DATA = {
    normalized(name)
    for f in ORDER_FIELDS[1:]
    for name in (f.key, f.label, *f.aliases)
}


@dataclass(frozen=True)
class UnmappedColumn:
    """A column no field reads whose values look like one of the fields' data."""

    index: int
    header: str
    samples: tuple[str, ...]
    field: Field  # the field its values fit: proposed for it
    holds: str  # "tracking numbers", "dates", "carriers", "URLs" (English: shown as _(holds))

    def where(self) -> str:
        return _("column {column} {header}").format(column=column_letter(self.index), header=repr(self.header))


def _is_tracking_number(value: str) -> bool:
    number = "".join(value.split()).upper()
    # a check digit that fits, or a carrier's letter prefix (TBA, JJD): not just any digits
    return any(fit.checked or not number[:1].isdigit() for fit in detect(number))


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "www."))


def _is_carrier(value: str) -> bool:
    return find_carrier(value) is not None or is_regional_name(value)


_LOOKS_LIKE = (  # (field key, what the column holds, test of one value)
    ("tracking_url", N_("URLs"), _is_url),
    ("shipped_date", N_("dates"), looks_like_date),
    ("carrier", N_("carriers"), _is_carrier),
    ("tracking_number", N_("tracking numbers"), _is_tracking_number),
)


def unmapped_columns(mapping: Mapping, samples: list[list[str]]) -> list[UnmappedColumn]:
    """The tracking file's columns that no field reads and the operator has not left out,
    whose sample values (most of them) look like tracking numbers, dates, carriers or URLs."""
    if mapping.kind != TRACKING:
        return []
    found = []
    used = set(mapping.columns.values()) | mapping.ignored
    for index, header in enumerate(mapping.headers):
        values = samples[index] if index < len(samples) else []
        if index in used or not values or normalized(header) in _OTHER_DATA:
            continue
        for key, holds, looks in _LOOKS_LIKE:
            if 2 * sum(1 for value in values if looks(value)) > len(values):
                found.append(UnmappedColumn(index, header, tuple(values), field_named(TRACKING, key), holds))
                break
    return found


def require_decided(unmapped: list[UnmappedColumn], file_name: str) -> None:
    """Raise, naming each column that looks like data no field reads and the --map or
    --ignore that decides it."""
    if not unmapped:
        return
    told = "; ".join(
        _("{column} is not mapped but holds {holds} ({samples}): import it with "
          "--map {key}={header}, or leave it out with --ignore {header}").format(
            column=column.where(), holds=_(column.holds), samples=", ".join(repr(value) for value in column.samples),
            key=column.field.key, header=shlex.quote(column.header))
        for column in unmapped
    )
    raise RejectedInput(_("{file}: {told}; nothing was changed").format(file=file_name, told=told))
