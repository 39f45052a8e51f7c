"""Hostile text through every CLI listing, load-orders and import: what is printed is
inert (escaped), JSON stays valid and gives back the data exactly as stored."""

from __future__ import annotations

import csv
import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiptui import clock
from shiptui.cli import main
from shiptui.storage import Action, Campaign, Member, Order, Product, Reminder
from tests.conftest import ship_to_of
from tests.hostile.corpus import PAYLOADS, SHOWN, hostile_text, unsafe_in

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_numbers = itertools.count(1)

ORDERS_HEADER = ["Order ID", "Member Name", "Email", "Address Line 1", "City", "State/Region",
                 "Postal Code", "Country", "Product", "SKU", "Quantity"]


def run(capsys, db_location: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    assert not unsafe_in(out), f"raw control characters printed: {unsafe_in(out)} in {out!r}"
    assert not unsafe_in(err), f"raw control characters printed: {unsafe_in(err)} in {err!r}"
    return code, out, err


def seed(text: str) -> tuple[Campaign, Order]:
    """A campaign whose every stored text holds `text`, with a failed reminder and an action."""
    number = next(_numbers)
    stamp = clock.stored_now()
    campaign = Campaign.create(name=f"C{text}", slug=f"hostile-{number}", created_at=stamp)
    member = Member.create(name=f"M{text}", email=f"m{number}@example.com", city=f"Y{text}")
    product = Product.create(name=f"P{text}", sku=f"SKU-{number}")
    order = Order.create(
        campaign=campaign, member=member, product=product, order_key=f"O{text}", status="shipped",
        shipped_on=stamp.date(), carrier=f"K{text}", tracking_number=f"T{text}",
        tracking_url=f"https://track.example/{text}", updated_at=stamp, updated_by=f"U{text}",
        **ship_to_of(member),
    )
    Reminder.create(order=order, recipient=member.email, message_id=f"<{number}@shiptui>", status="failed",
                    queued_at=stamp, send_after=stamp, attempts=1, last_error=f"E{text}")
    Action.create(campaign=campaign, operator=f"U{text}", kind="ship", summary=f"S{text}", created_at=stamp)
    return campaign, order


@SETTINGS
@given(text=hostile_text)
def test_every_listing_prints_stored_text_inert_and_json_gives_it_back(db, db_location, capsys, text):
    campaign, order = seed(text)
    slug = campaign.slug
    for args in (["campaigns"], ["orders", slug], ["log", slug], ["mail", "list", "--campaign", slug]):
        code, out, _ = run(capsys, db_location, *args)
        assert code == 0 and out

    _, out, _ = run(capsys, db_location, "campaigns", "--json")
    assert {"slug": slug, "name": f"C{text}"}.items() <= next(
        row for row in json.loads(out) if row["slug"] == slug).items()
    _, out, _ = run(capsys, db_location, "orders", slug, "--json")
    [listed] = json.loads(out)
    assert (listed["order_id"], listed["member_name"], listed["product"], listed["carrier"],
            listed["tracking_number"], listed["tracking_url"]) == (
        order.order_key, order.ship_name, order.product.name, order.carrier,
        order.tracking_number, order.tracking_url)
    _, out, _ = run(capsys, db_location, "log", slug, "--json")
    assert (json.loads(out)[0]["operator"], json.loads(out)[0]["summary"]) == (f"U{text}", f"S{text}")
    _, out, _ = run(capsys, db_location, "mail", "list", "--campaign", slug, "--json")
    [reminder] = json.loads(out)
    assert (reminder["order_id"], reminder["member_name"], reminder["last_error"]) == (
        f"O{text}", f"M{text}", f"E{text}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_table_shows_each_control_character_as_its_escape(db, db_location, capsys, payload):
    campaign, _ = seed(payload)
    _, out, _ = run(capsys, db_location, "orders", campaign.slug)
    assert f"M{SHOWN[payload]}" in out and f"K{SHOWN[payload]}" in out


def write_csv(path, rows) -> str:
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return str(path)


@SETTINGS
@given(cells=st.lists(hostile_text, min_size=4, max_size=4))
def test_load_orders_of_hostile_cells_prints_inert_text_and_stores_them_as_read(
    db, db_location, capsys, tmp_path, cells
):
    number = next(_numbers)
    campaign = Campaign.create(name="Target", slug=f"target-{number}", created_at=clock.stored_now())
    order_id, name, address, product = cells
    path = write_csv(tmp_path / f"orders-{number}.csv", [
        ORDERS_HEADER,
        [f"A{order_id}", f"N{name}", f"x{number}@example.com", f"1{address}", "Portland", "OR", "97205", "US",
         f"P{product}", f"SKU-{number}", "1"],
    ])
    code, _, _ = run(capsys, db_location, "load-orders", f"target-{number}", path)
    if code == 0:  # a file that is refused has printed its inert error table; nothing to list
        _, out, _ = run(capsys, db_location, "orders", f"target-{number}", "--json")
        [listed] = json.loads(out)
        stored = Order.get((Order.campaign == campaign) & (Order.order_key == listed["order_id"]))
        assert (listed["member_name"], listed["product"]) == (stored.member.name, stored.product.name)


@SETTINGS
@given(header=hostile_text, cell=hostile_text)
def test_import_with_hostile_headers_cells_and_file_name_prints_inert_text(
    db, db_location, capsys, tmp_path, header, cell
):
    number = next(_numbers)
    Campaign.create(name="Target", slug=f"import-{number}", created_at=clock.stored_now())
    name = f"{header}-{number}.csv".replace("/", "|").replace("\x00", "")
    path = write_csv(tmp_path / name, [
        ["Order ID", "Ship Date", "Tracking Number", header],
        [f"NO-SUCH{cell}", "03/14/2026", f"1Z{cell}", cell],
    ])
    code, out, err = run(capsys, db_location, "import", f"import-{number}", path)
    assert code == 1 and (out or err)  # the order does not exist: refused, with the error table


def test_a_file_name_that_is_not_utf8_is_printed_escaped(db, db_location, capsys, tmp_path):
    Campaign.create(name="Target", slug="bytes", created_at=clock.stored_now())
    path = os.fsdecode(os.fsencode(tmp_path) + b"/tracking-\xff\x1b[2J.csv")
    write_csv(path, [["Order ID", "Ship Date", "Tracking Number"], ["NO-SUCH", "03/14/2026", "1Z999AA10123456784"]])
    code, out, err = run(capsys, db_location, "import", "bytes", path)
    assert code == 1
    assert "tracking-\\udcff\\x1b[2J.csv" in out + err
