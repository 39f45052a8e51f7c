"""The tracking page a member is sent to, in the member's language where the carrier has one.

An order stores its carrier's page (or the address an operator typed). A member gets the
carrier's page in their own language instead; an address an operator typed is theirs and
is shown as it is.
"""

from __future__ import annotations

from shiptui.i18n import OPERATOR_LANGUAGES
from shiptui.services.carriers import find_carrier


def member_tracking_url(carrier: str, number: str, stored_url: str, language: str) -> str:
    """The page to show a member of `language` for this parcel."""
    known = find_carrier(carrier)
    if known is None or not number:
        return stored_url
    carriers_pages = {known.tracking_url(number, page_language) for page_language in OPERATOR_LANGUAGES}
    return known.tracking_url(number, language) if stored_url in carriers_pages else stored_url
