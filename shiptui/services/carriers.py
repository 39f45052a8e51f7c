"""Carriers operators meet in the US and Europe, and what a tracking entry must look like.

URL templates are the carriers' public tracking pages; `{number}` is the tracking number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from slugify import slugify

from shiptui.errors import RejectedInput


@dataclass(frozen=True)
class Carrier:
    name: str
    aliases: tuple[str, ...]
    url_template: str
    number_pattern: str  # a plausible tracking number of this carrier (after normalising)

    def tracking_url(self, number: str) -> str:
        return self.url_template.format(number=quote(number, safe=""))

    def looks_like_its_number(self, number: str) -> bool:
        return re.fullmatch(self.number_pattern, number) is not None


CARRIERS: tuple[Carrier, ...] = (
    Carrier("UPS", ("United Parcel Service", "UPS Standard", "UPS Ground"),
            "https://www.ups.com/track?tracknum={number}",
            r"1Z[0-9A-Z]{16}|[0-9]{9,12}|T[0-9]{10}"),
    Carrier("USPS", ("United States Postal Service", "US Postal Service", "US Mail"),
            "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
            r"[0-9]{20,22}|[0-9]{26,34}|[A-Z]{2}[0-9]{9}US"),
    Carrier("FedEx", ("Federal Express", "FedEx Ground", "Fed Ex"),
            "https://www.fedex.com/fedextrack/?trknbr={number}",
            r"[0-9]{12}|[0-9]{15}|[0-9]{20}|[0-9]{22}|[0-9]{34}"),
    Carrier("DHL Express", ("DHL", "DHL International"),
            "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={number}",
            r"[0-9]{10}|[A-Z]{3}[0-9]{7}|JD[0-9]{18}"),
    Carrier("DHL Paket", ("DHL Parcel", "DHL Germany", "DHL Paket Deutschland"),
            "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
            r"[0-9]{12}|[0-9]{14}|[0-9]{20}|JJD[0-9]{15,21}|[A-Z]{2}[0-9]{9}DE"),
    Carrier("Deutsche Post", ("Post", "Deutsche Post Brief", "Warenpost"),
            "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}",
            r"[A-Z]{2}[0-9]{9}DE|[0-9]{12,20}|[A-Z0-9]{12,20}"),
    Carrier("DPD", ("Dynamic Parcel Distribution", "DPD Germany"),
            "https://tracking.dpd.de/status/de_DE/parcel/{number}",
            r"[0-9]{14}|[0-9]{27,28}"),
    Carrier("Hermes", ("Hermes Germany", "Evri", "myHermes"),
            "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{number}",
            r"[0-9]{14}|[0-9]{16}|H[0-9A-Z]{15,19}"),
    Carrier("GLS", ("General Logistics Systems", "GLS Germany"),
            "https://gls-group.com/DE/de/paketverfolgung?match={number}",
            r"[0-9]{11,12}|[0-9A-Z]{8}|[0-9]{14}"),
    Carrier("Royal Mail", ("Parcelforce", "Royal Mail Tracked"),
            "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
            r"[A-Z]{2}[0-9]{9}GB|[0-9A-Z]{11,16}"),
    Carrier("Canada Post", ("Postes Canada", "Canada Post Corporation"),
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
            r"[0-9]{12}|[0-9]{16}|[A-Z]{2}[0-9]{9}CA"),
    Carrier("Amazon Logistics", ("Amazon", "Amazon Shipping", "AMZL"),
            "https://track.amazon.com/tracking/{number}",
            r"TB[A-Z][0-9]{9,12}|[0-9A-Z]{10,16}"),
)

_BY_SLUG: dict[str, Carrier] = {
    slugify(name): carrier
    for carrier in CARRIERS
    for name in (carrier.name, *carrier.aliases)
}

TRACKING_NUMBER_MAX_LENGTH = 40
TRACKING_NUMBER_MIN_LENGTH = 6
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
_TRACKING_CHARS = re.compile(r"[A-Z0-9-]+")


def find_carrier(name: str) -> Carrier | None:
    """The registry carrier for a name or alias, matched on case and punctuation."""
    return _BY_SLUG.get(slugify(name or ""))


def carrier_names() -> list[str]:
    return [carrier.name for carrier in CARRIERS]


def normalize_carrier(name: str) -> str:
    """The canonical name of a known carrier; any other name as typed, trimmed."""
    name = " ".join((name or "").split())
    carrier = find_carrier(name)
    return carrier.name if carrier else name


def normalize_tracking_number(raw: str) -> str:
    """Spaces gone, upper case; raises RejectedInput saying what is wrong and what to do."""
    number = "".join((raw or "").split()).upper()
    if number.startswith("'"):  # Excel's text marker
        number = number[1:]
    if not number:
        return ""
    if _SCIENTIFIC.fullmatch(number):
        raise RejectedInput(
            f"tracking number {raw.strip()!r} was turned into scientific notation by a "
            "spreadsheet and its digits are lost: format the column as Text and enter it again"
        )
    if not _TRACKING_CHARS.fullmatch(number):
        raise RejectedInput(
            f"tracking number {raw.strip()!r} may hold only letters, digits and hyphens"
        )
    if not TRACKING_NUMBER_MIN_LENGTH <= len(number) <= TRACKING_NUMBER_MAX_LENGTH:
        raise RejectedInput(
            f"tracking number {raw.strip()!r} has {len(number)} characters; carriers use "
            f"{TRACKING_NUMBER_MIN_LENGTH} to {TRACKING_NUMBER_MAX_LENGTH}"
        )
    return number


def validate_tracking_url(url: str) -> str:
    """An absolute http(s) URL, or empty; raises RejectedInput otherwise."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
        ch.isspace() or ord(ch) < 32 for ch in url
    ):
        raise RejectedInput(
            f"tracking URL {url!r} is not an absolute http(s) address: "
            "give one starting with https:// (or leave it empty to use the carrier's page)"
        )
    return url


@dataclass(frozen=True)
class TrackingInfo:
    number: str
    carrier: str
    url: str
    warning: str = ""  # plausible but unusual: shown, not refused


def normalize_tracking(number: str, carrier: str, url: str) -> TrackingInfo:
    """Tracking as stored: canonical carrier, normalised number, URL filled from the carrier."""
    number = normalize_tracking_number(number)
    carrier_name = normalize_carrier(carrier)
    url = validate_tracking_url(url)
    known = find_carrier(carrier_name)
    warning = ""
    if known and number:
        if not url:
            url = known.tracking_url(number)
        if not known.looks_like_its_number(number):
            warning = f"{number} does not look like a {known.name} tracking number"
    return TrackingInfo(number, carrier_name, url, warning)
