import pytest

from shiptui.errors import RejectedInput
from shiptui.services.carriers import (
    CARRIERS,
    find_carrier,
    normalize_carrier,
    normalize_tracking,
    normalize_tracking_number,
)

REQUIRED = ["UPS", "USPS", "FedEx", "DHL Express", "DHL Paket", "Deutsche Post", "DPD", "Hermes",
            "GLS", "Royal Mail", "Canada Post", "Amazon Logistics", "Österreichische Post", "Swiss Post",
            "Evri"]


def test_the_registry_has_the_carriers_operators_meet_each_with_an_https_page():
    assert [carrier.name for carrier in CARRIERS] == REQUIRED
    for carrier in CARRIERS:
        assert carrier.tracking_url("ABC123456").startswith("https://")
        assert "ABC123456" in carrier.tracking_url("ABC123456")


@pytest.mark.parametrize("typed, canonical", [
    ("ups", "UPS"), ("United Parcel Service", "UPS"), ("  fedex ", "FedEx"), ("Fed-Ex", "FedEx"),
    ("dhl paket", "DHL Paket"), ("DHL", "DHL Express"), ("royal mail", "Royal Mail"),
    ("Postes Canada", "Canada Post"), ("amazon", "Amazon Logistics"), ("Bob's  Courier", "Bob's Courier"),
])
def test_carrier_names_are_normalised_and_unknown_ones_kept(typed, canonical):
    assert normalize_carrier(typed) == canonical


@pytest.mark.parametrize("typed, stored", [
    ("1z 999 aa1 0123 4567 84", "1Z999AA10123456784"),
    ("'00340434161094042557", "00340434161094042557"),
    ("\t9400 1000 0000 0000 0000 00 ", "9400100000000000000000"),
    ("", ""),
])
def test_tracking_numbers_lose_spaces_and_excel_text_markers(typed, stored):
    assert normalize_tracking_number(typed) == stored


@pytest.mark.parametrize("typed, message", [
    ("9.40011E+21", "scientific notation"),
    ("9,4E+21", "only letters, digits and hyphens"),
    ("ABC", "has 3 characters"),
    ("1Z<script>", "only letters, digits and hyphens"),
    ("X" * 41, "has 41 characters"),
    # letters and digits take a shortcut past the character check: these must not
    ("1e21", "scientific notation"),
    ("ÄBC12345", "only letters, digits and hyphens"),
    ("ABC12３45", "only letters, digits and hyphens"),  # a full-width digit
])
def test_implausible_tracking_numbers_are_rejected_with_what_to_do(typed, message):
    with pytest.raises(RejectedInput, match=message):
        normalize_tracking_number(typed)


def test_a_known_carriers_url_is_filled_and_an_odd_number_warned_about_not_refused():
    info = normalize_tracking("12345678", "UPS", "")
    assert info.url == "https://www.ups.com/track?tracknum=12345678"
    assert info.warning == "12345678 does not look like a UPS tracking number"
    assert normalize_tracking("1Z999AA10123456784", "ups", "").warning == ""


def test_a_given_url_wins_over_the_template_and_unknown_carriers_get_none():
    assert normalize_tracking("1Z999AA10123456784", "UPS", "https://example.com/t/1").url == "https://example.com/t/1"
    assert normalize_tracking("ABC123456", "Bob's Courier", "").url == ""
    assert find_carrier("Bob's Courier") is None


def test_a_refused_number_says_what_is_wrong_and_what_to_do_apart_and_as_one_sentence():
    with pytest.raises(RejectedInput) as refused:
        normalize_tracking_number("9.40011E+21")
    assert refused.value.fix == "format the column as Text and enter it again"
    assert str(refused.value) == f"{refused.value.reason}: {refused.value.fix}"
    assert refused.value.reason.endswith("its digits are lost")


def test_a_tracking_page_quotes_a_number_unless_it_is_ascii_letters_and_digits():
    ups = find_carrier("UPS")
    assert ups.tracking_url("1Z999AA10123456784") == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert ups.tracking_url("AB/12 ü&x=1") == "https://www.ups.com/track?tracknum=AB%2F12%20%C3%BC%26x%3D1"
    assert ups.tracking_url("ÄB１2") == "https://www.ups.com/track?tracknum=%C3%84B%EF%BC%912"
