"""load-orders: members, products and orders from a shop's or a sheet's CSV file."""

from __future__ import annotations

import threading

import pytest

from shiptui.services.campaigns import create_campaign, status_counts
from shiptui.services.csv.mapping import ORDERS, initial_mapping
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file
from shiptui.services.csv.reading import RejectedFile, open_csv
from shiptui.storage import Member, Order, Product
from shiptui.storage.database import database
from tests.csv.conftest import db_dump

HEADER = "Order ID,Member Name,Email,Address Line 1,City,State/Region,Postal Code,Country,Product,SKU,Quantity\n"
GOOD = HEADER + (
    "A-1,Jürgen Müller,juergen@example.de,Hauptstraße 1,München,Bayern,80331,DE,Hydra Glow Serum,HGS-030,1\n"
    "A-2,Emily O'Brien,emily@example.com,\"12 Oak Street, Apt 4\",Portland,OR,97205,US,Night Cream,NRC-050,2\n"
    "A-3,Jürgen Müller,juergen@example.de,Hauptstraße 1,München,Bayern,80331,DE,Night Cream,NRC-050,\n"
)


def check(campaign, path):
    table = open_csv(path)
    return check_orders_file(campaign, table, initial_mapping(ORDERS, table.headers))


def load(campaign, path):
    return apply_orders_import(campaign, check(campaign, path), operator="alice")


@pytest.fixture
def fresh(db):
    return create_campaign("Winter Sampling")


def test_loading_creates_members_products_and_orders(fresh, write_file):
    result = load(fresh, write_file("orders.csv", GOOD))
    assert result.summary() == ("load of orders.csv: 3 orders added · 0 already loaded · "
                                "2 members added · 0 updated · 2 products added")
    assert status_counts(fresh).pending == 3
    a2 = Order.get(Order.order_key == "A-2")
    assert (a2.member.name, a2.member.address_line1, a2.product.sku, a2.quantity) == (
        "Emily O'Brien", "12 Oak Street, Apt 4", "NRC-050", 2,
    )
    assert Order.get(Order.order_key == "A-3").quantity == 1
    assert Order.get(Order.order_key == "A-1").updated_by == "alice"


def test_loading_the_same_file_twice_adds_nothing(fresh, write_file):
    path = write_file("orders.csv", GOOD)
    load(fresh, path)
    before = db_dump()
    result = load(fresh, path)
    assert (result.orders_added, result.unchanged) == (0, 3)
    assert db_dump() == before


def test_a_known_member_gets_the_new_address_and_a_known_product_is_reused(fresh, write_file):
    load(fresh, write_file("orders.csv", GOOD))
    other = create_campaign("Spring Sampling")
    moved = HEADER + "B-1,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Hydra Glow Serum,HGS-030,1\n"
    result = load(other, write_file("moved.csv", moved))
    assert (result.orders_added, result.members_added, result.members_updated, result.products_added) == (1, 0, 1, 0)
    assert Member.get(Member.email == "juergen@example.de").city == "Köln"
    assert Product.select().count() == 2


def test_a_member_only_on_orders_already_loaded_is_neither_added_nor_updated(fresh, write_file):
    load(fresh, write_file("orders.csv", GOOD))
    again = HEADER + (
        "A-1,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Hydra Glow Serum,HGS-030,1\n"
        "A-4,Ann Lee,ann@example.com,1 Elm St,Boston,MA,02108,US,Night Cream,NRC-050,1\n"
    )
    preview = check(fresh, write_file("again.csv", again))
    assert (preview.new_orders, preview.unchanged, preview.new_members, preview.changed_members) == (1, 1, 1, 0)


def test_a_file_checked_on_one_thread_is_loaded_on_another(fresh, write_file):
    # The console checks and applies on two threads, each with its own connection: the
    # checked rows wait where the applying connection can read them (not in a TEMP table).
    load(fresh, write_file("orders.csv", GOOD))
    more = HEADER + (
        "A-1,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Hydra Glow Serum,HGS-030,1\n"
        "A-4,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Eye Gel,EYG-010,3\n"
        "A-5,Ann Lee,ann@example.com,1 Elm St,Boston,MA,02108,US,Night Cream,NRC-050,1\n"
    )
    checked = []

    def check_on_own_connection():
        checked.append(check(fresh, write_file("more.csv", more)))
        database().close()

    worker = threading.Thread(target=check_on_own_connection)
    worker.start()
    worker.join()
    result = apply_orders_import(fresh, checked[0], operator="alice")
    assert (result.orders_added, result.unchanged, result.members_added, result.members_updated,
            result.products_added) == (2, 1, 1, 1, 1)
    a4, a5 = Order.get(Order.order_key == "A-4"), Order.get(Order.order_key == "A-5")
    assert (a4.member.city, a4.ship_city, a4.product.sku, a4.quantity) == ("Köln", "Köln", "EYG-010", 3)
    assert (a5.member.name, a5.ship_address_line1, a5.member.locale) == ("Ann Lee", "1 Elm St", "en_US")
    assert Order.get(Order.order_key == "A-1").ship_city == "München"  # a loaded order keeps its ship-to
    assert status_counts(fresh).pending == 5


@pytest.mark.parametrize("row, line_and_column, reason", [
    (",Ann,ann@example.com,,,,,,P,SKU-1,1", "line 3, column A ('Order ID')", "the Order ID is empty"),
    ("B-9,Ann,ann-at-example.com,,,,,,P,SKU-1,1", "line 3, column C ('Email')",
     "a reminder cannot be sent to this address: an email address must have an @-sign"),
    ('B-9,Ann,"a>b,c<d@x.com",,,,,,P,SKU-1,1', "line 3, column C ('Email'): 'a>b,c<d@x.com'",
     "a reminder cannot be sent to this address: the display name contains invalid characters"),
    ("B-9,Ann,ann@example.com;bob@example.com,,,,,,P,SKU-1,1", "line 3, column C ('Email')", "cannot be sent"),
    ("B-9,Ann,änn@example.com,,,,,,P,SKU-1,1", "line 3, column C ('Email')",
     "internationalized characters before the @-sign are not supported"),
    ("B-9,Ann,ann@shop.invalid,,,,,,P,SKU-1,1", "line 3, column C ('Email')", "special-use or reserved name"),
    ("B-9,Ann,ann@example.com\x1b[2J,,,,,,P,SKU-1,1", "line 3, column C ('Email')", "control character"),
    ("B-9,Ann,ann@example.com,,,,,,P,SKU-1,0", "line 3, column K ('Quantity')", "not a whole number from 1 to 1000"),
    ("B-9,Ann,ann@example.com,,,,,,P,SKU-1,1.5", "line 3, column K ('Quantity')", "not a whole number"),
    ("B-9,Ann,ann@example.com,,,,,,,SKU-1,1", "line 3, column I ('Product')", "the product is empty"),
    ("A-1,Ann,ann@example.com,,,,,,P,SKU-1,1", "line 3, column A ('Order ID')", "also on line 2, with other data"),
    ("B-9,Ann,juergen@example.de,,,,,,P,SKU-1,1", "line 3, column C ('Email')", "also on line 2, with another name"),
    ("B-9,Ann,ann@example.com,,,,,,Other,HGS-030,1", "line 3, column J ('SKU')", "also on line 2, as product 'Hydra Glow Serum'"),
    ("B-9,Ann,ann@example.com,,,,,,P,SKU-1", "line 3:", "this row has 10 cells but the header has 11"),
])
def test_bad_rows_are_refused_with_line_and_column(fresh, write_file, row, line_and_column, reason):
    path = write_file("orders.csv", HEADER + GOOD.splitlines()[1] + "\n" + row + "\n")
    before = db_dump()
    preview = check(fresh, path)
    messages = [p.message() for p in preview.problems]
    assert any(m.startswith(line_and_column) and reason in m for m in messages), messages
    with pytest.raises(RejectedFile):
        apply_orders_import(fresh, preview, operator="alice")
    assert db_dump() == before


@pytest.mark.parametrize("address, reason", [
    ('"ann smith"@example.com', "quoting the part before the @-sign is not allowed"),
    ("ann..smith@example.com", "two periods in a row"),
    (".ann@example.com", "cannot start with a period"),
    ("ann@bob@example.com", "cannot be sent"),
    ("a" * 243 + "@example.com", "too long (1 character too many)"),
    ("Ann <ann@example.com>", "display name"),
])
def test_an_address_is_refused_on_a_domain_accepted_on_earlier_lines(fresh, write_file, address, reason):
    # The domain's verdict is kept after emily@example.com: the rest of the address is still checked.
    rows = [f"B-{number},Ann {number},ann{number}@example.com,,,,,,P,SKU-1,1" for number in range(3)]
    path = write_file("orders.csv", GOOD + "\n".join(rows) + f'\nB-9,Ann,"{address.replace(chr(34), chr(34) * 2)}",,,,,,P,SKU-1,1\n')
    messages = [problem.message() for problem in check(fresh, path).problems]
    assert len(messages) == 1 and messages[0].startswith("line 8, column C ('Email')") and reason in messages[0], messages


def test_an_internationalised_domain_is_stored_as_the_sender_can_use_it(fresh, write_file):
    load(fresh, write_file("orders.csv", HEADER + "I-1,Anna,anna@bücher.de,,,,,,P,SKU-1,1\n"))
    assert Order.get(Order.order_key == "I-1").member.email == "anna@xn--bcher-kva.de"
    result = load(fresh, write_file("again.csv", HEADER + "I-1,Anna,anna@bücher.de,,,,,,P,SKU-1,1\n"))
    assert (result.orders_added, result.unchanged) == (0, 1)


def test_an_ascii_address_is_stored_as_written(fresh, write_file):
    load(fresh, write_file("orders.csv", HEADER + "C-1,Cat,Cat.Smith@Example.COM,,,,,,P,SKU-1,1\n"))
    assert Order.get(Order.order_key == "C-1").member.email == "Cat.Smith@Example.COM"


def test_a_loaded_order_with_other_data_is_refused(fresh, write_file):
    load(fresh, write_file("orders.csv", GOOD))
    changed = HEADER + "A-1,Jürgen Müller,juergen@example.de,Hauptstraße 1,München,Bayern,80331,DE,Hydra Glow Serum,HGS-030,3\n"
    preview = check(fresh, write_file("changed.csv", changed))
    assert preview.problems[0].message().startswith(
        "line 2, column A ('Order ID'): 'A-1': order A-1 is already loaded, for juergen@example.de, SKU HGS-030, quantity 1"
    )


def test_a_stored_sku_under_another_name_is_refused(fresh, write_file):
    load(fresh, write_file("orders.csv", GOOD))
    renamed = HEADER + "C-1,Ann,ann@example.com,,,,,,Serum Deluxe,HGS-030,1\n"
    message = check(fresh, write_file("renamed.csv", renamed)).problems[0].message()
    assert message.startswith("line 2, column I ('Product'): 'Serum Deluxe': SKU HGS-030 is already the product 'Hydra Glow Serum'")


def test_each_order_gets_its_members_language_from_the_file_the_country_or_the_campaign(db, write_file):
    campaign = create_campaign("Herbst-Sampling", language="de")
    path = write_file("orders.csv", (
        "Order ID,Member Name,Email,Country,Product,SKU,Locale\n"
        "L-1,Anna Gruber,anna@example.at,AT,Serum,HGS-030,\n"
        "L-2,Kim Lee,kim@example.com,US,Serum,HGS-030,en_US\n"
        "L-3,Marie Dupont,marie@example.ch,CH,Serum,HGS-030,fr-CH\n"
        "L-4,Jo Doe,jo@example.com,,Serum,HGS-030,\n"
        "L-5,Lena Frei,lena@example.de,Deutschland,Serum,HGS-030,Deutsch\n"
    ))
    load(campaign, path)
    assert dict(Order.select(Order.order_key, Order.language).tuples()) == {
        "L-1": "de-AT", "L-2": "en-US", "L-3": "fr-CH", "L-4": "de", "L-5": "de",
    }


def test_an_unknown_language_rejects_the_file_naming_row_and_column(fresh, write_file):
    path = write_file("orders.csv", HEADER.replace("Quantity", "Sprache") + (
        "A-1,Jürgen Müller,juergen@example.de,Hauptstraße 1,München,Bayern,80331,DE,Serum,HGS-030,Klingonisch\n"
    ))
    preview = check(fresh, path)
    assert not preview.ok
    [problem] = preview.problems
    assert (problem.line, problem.column, problem.value) == (2, "Sprache", "Klingonisch")
    assert "not a language" in problem.reason and "de-AT" in problem.fix
    assert Order.select().count() == 0


def _many_rows(count: int, start: int = 0) -> str:
    return "".join(f"M-{i},Member {i},m{i}@example.com,{i} Maple Ave,Portland,OR,97205,US,Night Cream,NRC-050,1\n"
                   for i in range(start, start + count))


def test_a_member_given_again_thousands_of_rows_later_with_another_address_is_named(fresh, write_file):
    # the two rows are checked in different batches of rows
    text = HEADER + _many_rows(1) + _many_rows(6000, start=1) + "M-9999,Member 0,m0@example.com,1 Elm St,Portland,OR,97205,US,Night Cream,NRC-050,1\n"
    preview = check(fresh, write_file("orders.csv", text))
    assert [problem.message() for problem in preview.problems] == [
        "line 6003, column C ('Email'): 'm0@example.com': this member is also on line 2, with another "
        "name or address; give both rows the same name and address"
    ]


def test_a_repeated_order_thousands_of_rows_later_is_loaded_once(fresh, write_file):
    text = HEADER + _many_rows(6000) + _many_rows(1)
    result = load(fresh, write_file("orders.csv", text))
    assert (result.orders_added, result.members_added) == (6000, 6000)
    assert Order.select().count() == 6000


@pytest.mark.slow
def test_a_big_file_is_checked_and_loaded_in_little_memory(fresh, write_file):
    import tracemalloc

    path = write_file("orders.csv", HEADER + _many_rows(40_000))
    tracemalloc.start()
    result = load(fresh, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.orders_added == 40_000
    assert peak < 20_000_000


def test_stored_members_and_orders_are_found_in_every_batch_of_rows(fresh, write_file):
    """A file is checked a batch of 5,000 rows at a time: a stored order or member on a
    later row, and one named again in a later batch, is compared like one on the first."""
    load(fresh, write_file("orders.csv", GOOD))
    filler = "".join(f"F-{i},Fill {i},fill{i}@example.com,,,,,,Night Cream,NRC-050,1\n" for i in range(5500))
    moved = "A-9,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Hydra Glow Serum,HGS-030,1\n"
    later = HEADER + (
        "A-2,Emily O'Brien,emily@example.com,\"12 Oak Street, Apt 4\",Portland,OR,97205,US,Night Cream,NRC-050,2\n"
        + filler + moved
        + "A-1,Jürgen Müller,juergen@example.de,Lindenweg 5,Köln,NRW,50667,DE,Hydra Glow Serum,HGS-030,3\n"
        + "A-2,Emily O'Brien,emily@example.com,\"12 Oak Street, Apt 4\",Portland,OR,97205,US,Night Cream,NRC-050,2\n"
    )
    preview = check(fresh, write_file("later.csv", later))
    assert [problem.message() for problem in preview.problems] == [
        "line 5504, column A ('Order ID'): 'A-1': order A-1 is already loaded, for juergen@example.de, SKU HGS-030, "
        "quantity 1; give this order another Order ID, or correct the row to match"]
    assert (preview.new_orders, preview.unchanged, preview.new_members, preview.changed_members) == (5501, 1, 5500, 1)


def test_an_internationalised_address_in_two_batches_of_rows_is_one_member(fresh, write_file):
    """The second batch of 5,000 rows finds the member the first batch gave by the address
    as stored (IDNA-encoded), not as written: one member, compared row by row."""
    filler = "".join(f"F-{i},Fill {i},fill{i}@example.com,,,,,,Night Cream,NRC-050,1\n" for i in range(5000))
    path = write_file("idn.csv", HEADER + "I-1,Anna,anna@bücher.de,,,,,,P,SKU-1,1\n" + filler
                      + "I-2,Anna,anna@bücher.de,,,,,,P,SKU-1,1\nI-3,Anne,anna@bücher.de,,,,,,P,SKU-1,1\n")
    preview = check(fresh, path)
    assert [problem.message() for problem in preview.problems] == [
        "line 5004, column C ('Email'): 'anna@xn--bcher-kva.de': this member is also on line 2, with another name "
        "or address; give both rows the same name and address"]
    assert (preview.new_orders, preview.new_members) == (5002, 5001)
