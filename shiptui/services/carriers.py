"""Carriers operators meet in the US and Europe, and what a tracking entry must look like.

URL templates are the carriers' public tracking pages; `{number}` is the tracking number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

from slugify import slugify

from shiptui.errors import RejectedInput
from shiptui.i18n import _, language_of_country, primary_language
from shiptui.services.carrier_detection import detect, fits_carrier, fitting_carriers


@dataclass(frozen=True)
class Carrier:
    name: str
    aliases: tuple[str, ...]
    url_template: str
    url_de: str = ""  # the carrier's German tracking page, where it has one
    countries: tuple[str, ...] = ()  # where it delivers as a home carrier; () = worldwide

    def tracking_url(self, number: str, language: str | None = None) -> str:
        """The page for `number`, in `language` where the carrier has one (else its default)."""
        template = self.url_de if self.url_de and _reads_german(language or "") else self.url_template
        # ASCII letters and digits, what nearly every number is, are the same quoted
        return template.format(number=number if number.isalnum() and number.isascii() else quote(number, safe=""))


@lru_cache(maxsize=64)
def _reads_german(language: str) -> bool:  # a page per order of a file, in few languages
    return primary_language(language) == "de"


_DACH = ("DE", "AT", "CH", "LI")

CARRIERS: tuple[Carrier, ...] = (
    Carrier("UPS", ("United Parcel Service", "UPS Standard", "UPS Ground", "UPS Mail Innovations"),
            "https://www.ups.com/track?tracknum={number}",
            "https://www.ups.com/track?loc=de_DE&tracknum={number}"),
    Carrier("USPS", ("United States Postal Service", "US Postal Service", "US Mail"),
            "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}", countries=("US",)),
    Carrier("FedEx", ("Federal Express", "FedEx Ground", "Fed Ex"),
            "https://www.fedex.com/fedextrack/?trknbr={number}",
            "https://www.fedex.com/fedextrack/?trknbr={number}&locale=de_DE"),
    Carrier("DHL Express", ("DHL", "DHL International"),
            "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={number}",
            "https://www.dhl.com/de-de/home/tracking/tracking-express.html?tracking-id={number}"),
    Carrier("DHL Paket", ("DHL Parcel", "DHL Germany", "DHL Paket Deutschland"),
            "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
            "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
            _DACH),
    Carrier("Deutsche Post", ("Post", "Deutsche Post Brief", "Warenpost"),
            "https://www.deutschepost.de/en/s/sendungsverfolgung.html?piececode={number}",
            "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}", ("DE",)),
    Carrier("DPD", ("Dynamic Parcel Distribution", "DPD Germany"),
            "https://tracking.dpd.de/status/en_US/parcel/{number}",
            "https://tracking.dpd.de/status/de_DE/parcel/{number}", (*_DACH, "GB", "FR", "NL", "BE", "PL")),
    Carrier("Hermes", ("Hermes Germany", "myHermes", "Hermes Einrichtungs Service"),
            "https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation#{number}",
            countries=("DE", "AT")),
    Carrier("GLS", ("General Logistics Systems", "GLS Germany"),
            "https://gls-group.com/EU/en/parcel-tracking?match={number}",
            "https://gls-group.com/DE/de/paketverfolgung?match={number}",
            (*_DACH, "FR", "NL", "BE", "IT", "ES", "DK", "PL")),
    Carrier("Royal Mail", ("Parcelforce", "Royal Mail Tracked"),
            "https://www.royalmail.com/track-your-item#/tracking-results/{number}", countries=("GB",)),
    Carrier("Canada Post", ("Postes Canada", "Canada Post Corporation"),
            "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
            countries=("CA",)),
    Carrier("Amazon Logistics", ("Amazon", "Amazon Shipping", "AMZL"),
            "https://track.amazon.com/tracking/{number}"),
    Carrier("Österreichische Post", ("Austrian Post", "Post AG", "Post.at", "Oesterreichische Post"),
            "https://www.post.at/en/sv/item-details?snr={number}",
            "https://www.post.at/sv/sendungsdetails?snr={number}", ("AT",)),
    Carrier("Swiss Post", ("Die Post", "Schweizerische Post", "La Poste Suisse", "PostCH"),
            "https://service.post.ch/ekp-web/ui/entry/search/{number}?lang=en",
            "https://service.post.ch/ekp-web/ui/entry/search/{number}?lang=de", ("CH", "LI")),
    Carrier("Evri", ("Hermes UK", "Hermes Parcelnet"),
            "https://www.evri.com/track/parcel/{number}", countries=("GB",)),
)

_BY_SLUG: dict[str, Carrier] = {
    slugify(name): carrier
    for carrier in CARRIERS
    for name in (carrier.name, *carrier.aliases)
}

_BY_NAME: dict[str, Carrier] = {carrier.name: carrier for carrier in CARRIERS}

TRACKING_NUMBER_MAX_LENGTH = 40
TRACKING_NUMBER_MIN_LENGTH = 6
SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)  # what a spreadsheet makes of a long number
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
    raw = raw or ""
    # the usual number, ASCII letters and digits: nothing to take off, no character to refuse
    plain = raw.isalnum() and raw.isascii()
    number = raw.upper() if plain else "".join(raw.split()).upper()
    if number.startswith("'"):  # Excel's text marker
        number = number[1:]
    if not number:
        return ""
    if "E" in number and SCIENTIFIC.fullmatch(number):
        raise RejectedInput(
            reason=_("tracking number {number} was turned into scientific notation by a "
                     "spreadsheet and its digits are lost").format(number=repr(raw.strip())),
            fix=_("format the column as Text and enter it again"),
        )
    if not plain and not _TRACKING_CHARS.fullmatch(number):
        raise RejectedInput(
            _("tracking number {number} may hold only letters, digits and hyphens").format(number=repr(raw.strip()))
        )
    if not TRACKING_NUMBER_MIN_LENGTH <= len(number) <= TRACKING_NUMBER_MAX_LENGTH:
        raise RejectedInput(
            _("tracking number {number} has {length} characters; carriers use {least} to {most}").format(
                number=repr(raw.strip()), length=len(number),
                least=TRACKING_NUMBER_MIN_LENGTH, most=TRACKING_NUMBER_MAX_LENGTH)
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
            reason=_("tracking URL {url} is not an absolute http(s) address").format(url=repr(url)),
            fix=_("give one starting with https:// (or leave it empty to use the carrier's page)"),
        )
    return url


@dataclass(frozen=True)
class TrackingInfo:
    number: str
    carrier: str
    url: str
    warning: str = ""  # plausible but unusual: shown, not refused
    detected: str = ""  # how the carrier was told from the number, when it was not typed


# A name that means another carrier in each country: the country's own, else the first.
_BY_COUNTRY: dict[str, dict[str, str]] = {
    "dhl": {"DE": "DHL Paket", "AT": "DHL Paket", "CH": "DHL Paket", "": "DHL Express"},
    "post": {"DE": "Deutsche Post", "AT": "Österreichische Post", "CH": "Swiss Post",
             "LI": "Swiss Post", "US": "USPS", "GB": "Royal Mail", "CA": "Canada Post",
             "": "Deutsche Post"},
    "hermes": {"GB": "Evri", "": "Hermes"},
}


def tracking_url(carrier: str, number: str, language: str | None = None) -> str:
    """The carrier's tracking page for the number (German where asked and it has one);
    "" for a carrier shiptui does not know."""
    known = find_carrier(carrier)
    return known.tracking_url(number, language) if known and number else ""


def _tiers(carrier_names: list[str], country: str) -> list[list[str]]:
    """The fitting carriers by how likely they deliver to the order's country: its own
    carriers, then the worldwide ones, then the rest."""
    country = (country or "").strip().upper()
    if not country:
        return [carrier_names]
    home = [name for name in carrier_names if country in _BY_NAME[name].countries]
    worldwide = [name for name in carrier_names if not _BY_NAME[name].countries]
    rest = [name for name in carrier_names if name not in home and name not in worldwide]
    return [tier for tier in (home, worldwide, rest) if tier]


@dataclass(frozen=True)
class Detected:
    carrier: str  # "" when the number names no single carrier
    candidates: tuple[str, ...]  # the carriers it could be, when it names none
    by_country: bool = False  # several fit and the order's country chose


def detect_carrier(number: str, country: str = "") -> Detected:
    """The carrier a number belongs to: the one whose check digit fits (lacking any, whose
    structure fits); where several do, the one that delivers in the order's country."""
    fits = detect(number) if number else ()
    tiers = _tiers(list(dict.fromkeys(fit.carrier for fit in fits)), country)
    if not tiers:
        return Detected("", ())

    def by_check_digit(carrier_names) -> list[str]:
        checked = [fit.carrier for fit in fits if fit.checked and fit.carrier in carrier_names]
        return list(dict.fromkeys(checked)) or carrier_names

    chosen = by_check_digit(tiers[0])
    if len(chosen) != 1:
        return Detected("", tuple(chosen))
    without_country = by_check_digit([carrier for tier in tiers for carrier in tier])
    return Detected(chosen[0], tuple(chosen), by_country=without_country != chosen)


def is_regional_name(name: str) -> bool:
    """Whether a carrier name means another carrier in each country ("DHL", "Post", "Hermes")."""
    return slugify(name or "") in _BY_COUNTRY


def resolve_carrier(name: str, number: str = "", country: str = "") -> str:
    """A typed carrier name as stored: "DHL", "Post" and "Hermes" become the carrier the
    number belongs to, else the one of the order's country; other names as normalize_carrier."""
    family = _BY_COUNTRY.get(slugify(name or ""))
    if family is None:
        return normalize_carrier(name)
    members = set(family.values())
    fitting = [carrier for carrier in fitting_carriers(number) if carrier in members] if number else []
    if len(fitting) == 1:
        return fitting[0]
    return family.get((country or "").strip().upper(), family[""])


def _joined(names) -> str:
    names = list(names)
    if len(names) == 1:
        return names[0]
    return _("{names} or {last}").format(names=", ".join(names[:-1]), last=names[-1])


def mismatch_warning(number: str, carrier: str) -> str:
    """What is odd about a known carrier's number that is not one it issues ("" if it is)."""
    if carrier not in _BY_NAME or fits_carrier(carrier, number):
        return ""
    others = fitting_carriers(number)
    if others:
        return _("{number} does not look like a {carrier} tracking number (its check digit fails); "
                 "it is a valid {others} number: check the carrier").format(
            number=number, carrier=carrier, others=_joined(others))
    return _("{number} does not look like a {carrier} tracking number").format(number=number, carrier=carrier)


def detection_warning(number: str, found: Detected) -> str:
    """Why no carrier was told by the number ("" when one was)."""
    if found.carrier:
        return ""
    if found.candidates:
        return _("{number} could be a {carriers} number: give the carrier").format(
            number=number, carriers=_joined(found.candidates))
    return _("{number} fits no carrier shiptui knows (no check digit matches): check it (it is kept as given)").format(
        number=number)


def normalize_tracking(number: str, carrier: str, url: str, country: str = "") -> TrackingInfo:
    """Tracking as stored: the carrier (typed, or told by the number), the normalised number,
    and the URL filled from the carrier's page; `country` is the order's (ISO code)."""
    number = normalize_tracking_number(number)
    url = validate_tracking_url(url)
    carrier_name = resolve_carrier(carrier, number, country)
    warning = detected = ""
    if number and not carrier_name:
        found = detect_carrier(number, country)
        if found.carrier:
            carrier_name = found.carrier
            detected = (_("carrier {carrier} told by the number and the order's country {country}") if found.by_country
                        else _("carrier {carrier} told by the number")).format(carrier=found.carrier, country=country)
        warning = detection_warning(number, found)
    elif number:
        warning = mismatch_warning(number, carrier_name)
    if carrier_name in _BY_NAME and number and not url:
        url = _BY_NAME[carrier_name].tracking_url(number, language_of_country(country))
    return TrackingInfo(number, carrier_name, url, warning, detected)
