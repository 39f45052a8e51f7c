"""The tracking page a member is sent to, in the member's language where the carrier has one.

An order stores the carrier's default page (or the address an operator typed). A German
member gets the carrier's German page instead of the default one; an address an operator
typed is theirs and is shown as it is.
"""

from __future__ import annotations

from urllib.parse import quote

from shiptui.i18n import primary_language
from shiptui.services.carriers import find_carrier

# Carrier name -> its German tracking page. The carriers whose default page is German
# already (DHL Paket, Deutsche Post, DPD, Hermes, GLS) need no entry.
GERMAN_PAGES: dict[str, str] = {
    "UPS": "https://www.ups.com/track?loc=de_DE&tracknum={number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}&locale=de_DE",
    "DHL Express": "https://www.dhl.com/de-de/home/tracking/tracking-express.html?tracking-id={number}",
    "Amazon Logistics": "https://www.amazon.de/progress-tracker/package?trackingId={number}",
}
_PAGES = {"de": GERMAN_PAGES}


def member_tracking_url(carrier: str, number: str, stored_url: str, language: str) -> str:
    """The page to show a member of `language` for this parcel."""
    known = find_carrier(carrier)
    if known is None or not number or stored_url != known.tracking_url(number):
        return stored_url
    page = _PAGES.get(primary_language(language), {}).get(known.name)
    return page.format(number=quote(number, safe="")) if page else stored_url
