"""A German member is sent to the carrier's German tracking page; an address an operator
typed is shown as it is."""

import pytest

from shiptui.services.carriers import find_carrier
from shiptui.services.tracking_pages import member_tracking_url

NUMBER = "1Z999AA10123456784"
UPS_PAGE = find_carrier("UPS").tracking_url(NUMBER)


@pytest.mark.parametrize(("carrier", "stored", "language", "shown"), [
    ("UPS", UPS_PAGE, "de", f"https://www.ups.com/track?loc=de_DE&tracknum={NUMBER}"),
    ("UPS", UPS_PAGE, "de-AT", f"https://www.ups.com/track?loc=de_DE&tracknum={NUMBER}"),
    ("UPS", UPS_PAGE, "en", UPS_PAGE),
    # The German page a German address was given: an English member gets the English one.
    ("UPS", f"https://www.ups.com/track?loc=de_DE&tracknum={NUMBER}", "en", UPS_PAGE),
    ("UPS", "https://shop.example/track/42", "de", "https://shop.example/track/42"),
    ("Royal Mail", find_carrier("Royal Mail").tracking_url(NUMBER), "de", find_carrier("Royal Mail").tracking_url(NUMBER)),
    ("Kurier Meier", "https://meier.example/t", "de", "https://meier.example/t"),
    ("UPS", "", "de", ""),
])
def test_the_page_a_member_is_sent_to(carrier, stored, language, shown):
    assert member_tracking_url(carrier, NUMBER, stored, language) == shown
