"""Column mapping: automatic (case, punctuation, English/German names, aliases),
remembered for the next file with the same headers, overridden by --map."""

from __future__ import annotations

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.csv.mapping import (
    ORDERS,
    TRACKING,
    automatic,
    initial_mapping,
    parse_map_options,
    remember,
    require_complete,
)


def mapped(mapping) -> dict[str, str]:
    return {key: mapping.headers[index] for key, index in mapping.columns.items()}


def test_export_headers_map_one_to_one():
    headers = ["Order ID", "Member Name", "Status", "Shipped Date", "Tracking Carrier", "Tracking Number", "Tracking URL"]
    assert mapped(automatic(TRACKING, headers)) == {
        "order_id": "Order ID", "shipped_date": "Shipped Date", "carrier": "Tracking Carrier",
        "tracking_number": "Tracking Number", "tracking_url": "Tracking URL", "status": "Status",
    }


def test_carrier_export_aliases_and_case_and_punctuation():
    headers = ["ORDER #", "ship date", "Shipping Carrier", "Tracking #", "tracking-link"]
    assert mapped(automatic(TRACKING, headers)) == {
        "order_id": "ORDER #", "shipped_date": "ship date", "carrier": "Shipping Carrier",
        "tracking_number": "Tracking #", "tracking_url": "tracking-link",
    }


def test_german_names_from_the_help_page():
    headers = ["Bestellnummer", "Versanddatum (MM/TT/JJJJ)", "Tracking-Versandunternehmen", "Sendungsnummer", "Tracking-URL"]
    assert set(mapped(automatic(TRACKING, headers))) == {
        "order_id", "shipped_date", "carrier", "tracking_number", "tracking_url",
    }


def test_the_label_beats_an_alias_for_the_same_field():
    mapping = automatic(TRACKING, ["Tracking", "Tracking Number", "Order ID"])
    assert mapped(mapping)["tracking_number"] == "Tracking Number"


def test_order_fields_map_from_a_shop_export():
    headers = ["Order No", "Full Name", "E-Mail", "Street", "Apartment", "Town", "State", "ZIP", "Country", "Item", "SKU", "Qty"]
    assert len(automatic(ORDERS, headers).columns) == 12


def test_a_missing_required_field_names_the_field_and_the_map_option():
    mapping = automatic(TRACKING, ["Ref", "Shipped Date"])
    with pytest.raises(RejectedInput) as refused:
        require_complete(mapping, "carrier.csv")
    message = str(refused.value)
    assert "the required field Order ID (order_id) is not mapped" in message
    assert "--map order_id=HEADER" in message and "'Ref'" in message


def test_a_file_with_neither_date_nor_number_cannot_be_imported():
    mapping = automatic(TRACKING, ["Order ID", "Tracking Carrier"])
    with pytest.raises(RejectedInput, match="--map tracking_number=HEADER"):
        require_complete(mapping, "x.csv")


def test_map_options_choose_unmap_and_refuse_unknown_names(db):
    chosen = parse_map_options(TRACKING, ["Tracking Number=Waybill No", "shipped_date="])
    assert chosen == {"tracking_number": "Waybill No", "shipped_date": ""}
    mapping = initial_mapping(TRACKING, ["Order ID", "Shipped Date", "Waybill No"], chosen)
    assert mapped(mapping) == {"order_id": "Order ID", "tracking_number": "Waybill No"}
    with pytest.raises(RejectedInput, match="unknown field 'colour'"):
        parse_map_options(TRACKING, ["colour=Red"])
    with pytest.raises(RejectedInput, match="needs the form FIELD=HEADER"):
        parse_map_options(TRACKING, ["order_id"])
    with pytest.raises(RejectedInput, match="the file has no column 'Nope'"):
        initial_mapping(TRACKING, ["Order ID"], {"tracking_number": "Nope"})


def test_a_confirmed_mapping_is_remembered_for_the_same_headers(db):
    headers = ["Ref", "Dispatch", "Waybill No"]
    mapping = initial_mapping(TRACKING, headers, {"order_id": "Ref", "tracking_number": "Waybill No"})
    remember(mapping, "alice")
    again = initial_mapping(TRACKING, ["REF", "dispatch", "Waybill no"])
    assert mapped(again) == {"order_id": "REF", "tracking_number": "Waybill no"}
    assert set(again.how.values()) == {"remembered"}
    assert initial_mapping(TRACKING, ["Ref", "Waybill No"]).columns == {}
    assert initial_mapping(ORDERS, headers).columns == {}
