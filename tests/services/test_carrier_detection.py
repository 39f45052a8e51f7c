"""The carrier told from a tracking number: every format's check digit, per carrier.

Published test numbers come from the tracking_number_data project (MIT) and the carriers'
label documentation; the others were made for this table. Each invalid number is a valid
one with its check digit one off.
"""

import pytest

from shiptui.services.carrier_detection import detect, fits_carrier, fitting_carriers
from shiptui.services.carriers import (
    detect_carrier,
    normalize_tracking,
    resolve_carrier,
    tracking_url,
)

VALID = [
    ('UPS', 'UPS 1Z', ['1Z5R89390357567127', '1Z879E930346834440', '1Z410E7W0392751591', '1ZXX3150YW44070023']),
    ('UPS', 'UPS waybill', ['K1506235620', 'K2479825491', 'J4603636537', 'V0490119172']),
    ('USPS', 'USPS 20', ['03071790000523483741', '71123456789123456787', '71969010756003077385']),
    ('USPS', 'USPS IMpb', ['9400111206206406260787', '9405803699300124287899', '92748931507708513018050063', '420787459400111206206406260787', '4201028200009261290113185417468510']),
    ('FedEx', 'FedEx 12', ['986578788855', '477179081230', '799531274483', '790535312317']),
    ('FedEx', 'FedEx Ground 15', ['041441760228964', '568283610012000', '568283610012734']),
    ('FedEx', 'FedEx SSCC 20', ['00005543643828528766', '00098377036868701892', '00045057542273824703']),
    ('FedEx', 'FedEx Ground 96 (22)', ['9611020987654312345672', '9611020654694695224091', '9611020666945667662232']),
    ('FedEx', 'FedEx 34', ['1001921334250001000300779017972697', '1001901781990001000300617767839437', '9622001560001234567100794808390594']),
    ('DHL Express', 'DHL Express waybill', ['3318810025', '8487135506', '1099255990', '73891051146']),
    ('DHL Paket', 'DHL Paket 12', ['201298452277', '566804027519', '686951250316', '610030199098']),
    ('DHL Paket', 'DHL Paket SSCC 20', ['00340433836442636597', '00340434397375685360', '00340434195052417927', '00340434403317656555']),
    ('Deutsche Post', 'UPU S10', ['RR123456785DE', 'CX408871790DE', 'CX906407653DE']),
    ('Österreichische Post', 'UPU S10', ['RR856205188AT', 'LX434648682AT', 'RR045451107AT']),
    ('Swiss Post', 'UPU S10', ['RR219228824CH', 'CX853602477CH', 'EE524046632CH']),
    ('Royal Mail', 'UPU S10', ['RB123456785GB', 'CX095541975GB', 'LX655094882GB']),
    ('USPS', 'UPU S10', ['RB123456785US', 'CX111926549US', 'RR635550574US']),
    ('Canada Post', 'UPU S10', ['CX786532921CA', 'EE721363248CA', 'RR577816638CA']),
    ('DPD', 'DPD 14 with check character', ['09980000020033F', '09980000020034D', '04992874456119F']),
    ('DPD', 'DPD 28', ['008182709980000020033350276C', '008182709980000020045327276N', '012345670998000002004632627K']),
    ('GLS', 'GLS 12', ['558971296353', '959524556083', '581814271422']),
    ('Hermes', 'Hermes 14', ['09133131530724', '07341333413925', '07472767765431']),
    ('Canada Post', 'Canada Post 16', ['0073938000549297', '7035114477138472', '4002847016405018']),
]
OFF_BY_ONE = [
    ('UPS', 'UPS 1Z', ['1Z5R89390357567128', '1Z879E930346834441', '1Z410E7W0392751592', '1ZXX3150YW44070024']),
    ('UPS', 'UPS waybill', ['K1506235621', 'K2479825492', 'J4603636538', 'V0490119173']),
    ('USPS', 'USPS 20', ['03071790000523483742', '71123456789123456788', '71969010756003077386']),
    ('USPS', 'USPS IMpb', ['9400111206206406260788', '9405803699300124287890', '92748931507708513018050064', '420787459400111206206406260788', '4201028200009261290113185417468511']),
    ('FedEx', 'FedEx 12', ['986578788856', '477179081231', '799531274484', '790535312318']),
    ('FedEx', 'FedEx Ground 15', ['041441760228965', '568283610012001', '568283610012735']),
    ('FedEx', 'FedEx SSCC 20', ['00005543643828528767', '00098377036868701893', '00045057542273824704']),
    ('FedEx', 'FedEx Ground 96 (22)', ['9611020987654312345673', '9611020654694695224092', '9611020666945667662233']),
    ('FedEx', 'FedEx 34', ['1001921334250001000300779017972698', '1001901781990001000300617767839438', '9622001560001234567100794808390595']),
    ('DHL Express', 'DHL Express waybill', ['3318810026', '8487135507', '1099255991', '73891051147']),
    ('DHL Paket', 'DHL Paket 12', ['201298452278', '566804027510', '686951250317', '610030199099']),
    ('DHL Paket', 'DHL Paket SSCC 20', ['00340433836442636598', '00340434397375685361', '00340434195052417928', '00340434403317656556']),
    ('Deutsche Post', 'UPU S10', ['RR123456786DE', 'CX408871791DE', 'CX906407654DE']),
    ('Österreichische Post', 'UPU S10', ['RR856205189AT', 'LX434648683AT', 'RR045451108AT']),
    ('Swiss Post', 'UPU S10', ['RR219228825CH', 'CX853602478CH', 'EE524046633CH']),
    ('Royal Mail', 'UPU S10', ['RB123456786GB', 'CX095541976GB', 'LX655094883GB']),
    ('USPS', 'UPU S10', ['RB123456786US', 'CX111926540US', 'RR635550575US']),
    ('Canada Post', 'UPU S10', ['CX786532922CA', 'EE721363249CA', 'RR577816639CA']),
    ('DPD', 'DPD 14 with check character', ['09980000020033G', '09980000020034E', '04992874456119G']),
    ('DPD', 'DPD 28', ['008182709980000020033350276D', '008182709980000020045327276O', '012345670998000002004632627L']),
    ('GLS', 'GLS 12', ['558971296354', '959524556084', '581814271423']),
    ('Hermes', 'Hermes 14', ['09133131530725', '07341333413926', '07472767765432']),
    ('Canada Post', 'Canada Post 16', ['0073938000549298', '7035114477138473', '4002847016405019']),
]

# Formats without a check digit: the structure alone; invalid ones are one character off.
STRUCTURE_ONLY = [
    ("Amazon Logistics", "Amazon TBA", ["TBA000000000000", "TBC502887274000", "TBM502887274000"],
     ["TBB000000000000", "TBA50288727400", "TBA5028872740001"]),
    ("DHL Paket", "DHL Paket JJD", ["JJD1410302937991", "JJD000390007882710", "JJD01490120001234567"],
     ["JJX1410302937991", "JJD1410302937", "JJD1410302937991234567890"]),
    ("DHL Express", "DHL Express piece", ["JJD0099999999", "JVGL0999999990", "JVGL0999999991"],
     ["XJD0099999999", "JJD00999999", "J1D0099999999"]),
    ("UPS", "UPS Mail Innovations", ["MI123456000123456789", "MI654321ABCDEF", "MI000001999999999999"],
     ["MX123456000123456789", "MI12345", "MI1234A6000123456789"]),
]


def _cases(table):
    return [(carrier, fmt, number) for carrier, fmt, numbers in table for number in numbers]


@pytest.mark.parametrize("carrier, fmt, number", _cases(VALID))
def test_a_valid_number_is_known_by_its_format_and_check_digit(carrier, fmt, number):
    fits = detect(number)
    assert any(fit.carrier == carrier and fit.format == fmt and fit.checked for fit in fits)
    assert carrier in fitting_carriers(number)


@pytest.mark.parametrize("carrier, fmt, number", _cases(OFF_BY_ONE))
def test_a_number_one_digit_off_is_not_the_carriers(carrier, fmt, number):
    assert not any(fit.carrier == carrier and fit.format == fmt for fit in detect(number))


@pytest.mark.parametrize("carrier, fmt, number", [
    (carrier, fmt, number) for carrier, fmt, valid, _ in STRUCTURE_ONLY for number in valid
])
def test_formats_without_check_digit_fit_by_structure(carrier, fmt, number):
    assert any(fit.carrier == carrier and fit.format == fmt and not fit.checked for fit in detect(number))


@pytest.mark.parametrize("carrier, fmt, number", [
    (carrier, fmt, number) for carrier, fmt, _, invalid in STRUCTURE_ONLY for number in invalid
])
def test_a_structure_one_character_off_does_not_fit(carrier, fmt, number):
    assert not any(fit.format == fmt for fit in detect(number))


def test_every_carrier_and_format_has_three_valid_and_three_invalid_numbers():
    for table in (VALID, OFF_BY_ONE):
        assert all(len(numbers) >= 3 for _, _, numbers in table)
    assert all(len(valid) >= 3 and len(invalid) >= 3 for _, _, valid, invalid in STRUCTURE_ONLY)


def test_a_check_digit_fit_outranks_a_bare_structure():
    # 14 digits fit DPD's structure; the check digit makes it Hermes'
    assert fitting_carriers("09133131530724") == ["Hermes"]
    assert fits_carrier("DPD", "09133131530724")
    assert fitting_carriers("09133131530725") == ["DPD"]


def test_the_s10_suffix_names_the_postal_operator_and_an_unknown_one_none():
    assert fitting_carriers("RR123456785DE") == ["Deutsche Post"]
    assert fitting_carriers("RB123456785CV") == []


@pytest.mark.parametrize("number, country, carrier, by_country", [
    ("1Z5R89390357567127", "", "UPS", False),
    ("201298452277", "US", "FedEx", True),  # FedEx, DHL Paket and GLS fit; in the US, FedEx
    ("201298452277", "DE", "", False),  # DHL Paket and GLS both deliver in Germany: ask
    ("201298452277", "", "", False),
    ("0073938000549297", "DE", "Hermes", True),  # Canada Post's check digit, a German order
    ("0073938000549297", "CA", "Canada Post", False),
])
def test_several_fitting_carriers_are_decided_by_the_orders_country(number, country, carrier, by_country):
    found = detect_carrier(number, country)
    assert (found.carrier, found.by_country) == (carrier, by_country)


def test_an_empty_carrier_is_told_by_the_number_with_its_page():
    info = normalize_tracking("1z5r 8939 0357 5671 27", "", "")
    assert (info.carrier, info.warning) == ("UPS", "")
    assert info.url == "https://www.ups.com/track?tracknum=1Z5R89390357567127"
    assert info.detected == "carrier UPS told by the number"


def test_a_number_of_several_carriers_is_kept_without_carrier_and_names_them():
    info = normalize_tracking("201298452277", "", "")
    assert (info.carrier, info.url) == ("", "")
    assert info.warning == "201298452277 could be a FedEx, DHL Paket or GLS number: give the carrier"
    # a German order: FedEx is less likely than the two German carriers, still two
    german = normalize_tracking("201298452277", "", "", country="DE")
    assert german.warning == "201298452277 could be a DHL Paket or GLS number: give the carrier"


def test_a_number_no_carrier_issues_is_kept_with_a_warning():
    info = normalize_tracking("1Z5R89390357567128", "", "")
    assert (info.number, info.carrier) == ("1Z5R89390357567128", "")
    assert "fits no carrier shiptui knows" in info.warning


def test_a_typed_carrier_whose_check_digit_fails_names_the_carrier_that_fits():
    info = normalize_tracking("1Z5R89390357567127", "FedEx", "")
    assert info.carrier == "FedEx"
    assert info.warning == (
        "1Z5R89390357567127 does not look like a FedEx tracking number (its check digit "
        "fails); it is a valid UPS number: check the carrier"
    )


@pytest.mark.parametrize("typed, number, country, carrier", [
    ("dhl", "00340434397375685360", "", "DHL Paket"),  # a number only DHL Paket issues
    ("DHL", "00340434397375685360", "US", "DHL Paket"),
    ("DHL", "3318810025", "DE", "DHL Express"),  # an Express waybill, even to Germany
    ("DHL", "", "DE", "DHL Paket"),
    ("DHL", "", "AT", "DHL Paket"),
    ("DHL", "", "CH", "DHL Paket"),
    ("DHL", "", "US", "DHL Express"),
    ("Post", "", "DE", "Deutsche Post"),
    ("post", "", "AT", "Österreichische Post"),
    ("Post", "", "CH", "Swiss Post"),
    ("Post", "RR856205188AT", "DE", "Österreichische Post"),  # the S10 suffix says which post
    ("Hermes", "", "DE", "Hermes"),
    ("Hermes", "", "GB", "Evri"),
    ("DHL Express", "", "DE", "DHL Express"),  # a full name is taken as typed
])
def test_dhl_post_and_hermes_mean_the_carrier_of_the_number_else_of_the_country(typed, number, country, carrier):
    assert resolve_carrier(typed, number, country) == carrier


def test_the_stored_url_is_the_resolved_carriers_in_the_orders_language():
    info = normalize_tracking("00340434397375685360", "DHL", "", country="DE")
    assert (info.carrier, info.warning) == ("DHL Paket", "")
    assert info.url == "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434397375685360"


def test_tracking_url_gives_the_german_page_where_the_carrier_has_one():
    assert tracking_url("DHL Paket", "00340434397375685360", language="de").startswith("https://www.dhl.de/de/")
    assert tracking_url("DHL Paket", "00340434397375685360").startswith("https://www.dhl.de/en/")
    assert tracking_url("USPS", "9400111206206406260787", language="de") == (
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206206406260787"
    )
    assert tracking_url("Bob's Courier", "X123456") == ""
