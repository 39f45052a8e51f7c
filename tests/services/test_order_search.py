"""Search looks in one trigram-indexed column per order (storage/search.py) and the
dashboard lists Order IDs in natural order: both stay right through every change of an
order, and a database of the first schema gets them when it is migrated."""

from __future__ import annotations

from datetime import date

import peewee
import pytest

from shiptui.services import orders
from shiptui.services.csv.mapping import ORDERS, TRACKING, initial_mapping
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file
from shiptui.services.csv.reading import open_csv
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file
from shiptui.services.fulfillment import mark_shipped, update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.orders import OrderFilter, OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Campaign, Member, Order, OrderStatus, close_database, database, open_database
from shiptui.storage import search
from shiptui.storage.search import fold, has_trigram_index, search_text
from shiptui.storage.database import is_postgres
from tests.conftest import ship_to_of
from tests.storage.version_1 import VERSION_1_ROWS, create_version_1

NAMES = ["Jürgen Müller", "Zoë García", "ANNA-LENA SCHÄFER", "Emily O'Brien", "Muller Ltd"]


def found(campaign: Campaign, text: str) -> list[str]:
    """The Order IDs a search shows, as the dashboard lists them."""
    rows = orders.rows_by_id(campaign, orders.order_ids(campaign, OrderFilter(search=text)))
    return [row.order_id for row in rows.values()]


def expected(campaign: Campaign, text: str) -> list[str]:
    """What a search must find, worked out from the orders' fields as they are now."""
    wanted = fold(text.strip())
    return sorted(
        (
            key
            for key, number, name, email in Order.select(
                Order.order_key, Order.tracking_number, Order.ship_name, Member.email
            ).join(Member, on=(Order.member == Member.id)).where(Order.campaign == campaign).tuples()
            if any(wanted in fold(field) for field in (key, number, name, email))
        ),
        key=lambda key: int(key.split("-")[1]),
    )


def assert_index_right(campaign: Campaign, *texts: str) -> None:
    db = database()
    if not is_postgres(db) and has_trigram_index(db):
        # FTS5 compares its index with the orders column (external content). The tracking
        # numbers' index leaves the empty ones out: its check is of the index alone, and
        # every tracking number is searched for below.
        db.execute_sql("INSERT INTO order_search (order_search, rank) VALUES ('integrity-check', 1)")
        db.execute_sql("INSERT INTO order_tracking_search (order_tracking_search) VALUES ('integrity-check')")
    elif has_trigram_index(db):
        # PostgreSQL's indexed copies hold every order's column and tracking number, and no other.
        assert db.execute_sql(
            "SELECT count(*) FROM orders FULL JOIN order_search ON order_search.order_id = orders.id "
            "WHERE orders.search_text IS DISTINCT FROM order_search.search_text").fetchone()[0] == 0
        assert db.execute_sql(
            "SELECT count(*) FROM (SELECT * FROM orders WHERE tracking_number <> '') AS tracked "
            "FULL JOIN order_tracking_search ON order_tracking_search.order_id = tracked.id "
            "WHERE lower(tracked.tracking_number) IS DISTINCT FROM order_tracking_search.search_text"
        ).fetchone()[0] == 0
    # Each order's column as Python folds it, whichever statement (set-based or per row) wrote it.
    for key, name, email, stored in Order.select(
        Order.order_key, Order.ship_name, Member.email, Order.search_text
    ).join(Member, on=(Order.member == Member.id)).tuples():
        assert stored == search_text(key, name, email), key
    numbers = [number for (number,) in Order.select(Order.tracking_number).where(Order.tracking_number != "").tuples()]
    for text in (*texts, *numbers):
        assert found(campaign, text) == expected(campaign, text), text


@pytest.fixture
def campaign(db, make_campaign) -> Campaign:
    return make_campaign(5, members=NAMES)


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def ids(campaign, *keys):
    return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))


def test_search_folds_case_and_accents_and_finds_every_field(campaign):
    assert has_trigram_index(database())  # both test databases can index trigrams
    assert found(campaign, "müller") == ["SO-1", "SO-5"]  # accents folded both ways
    assert found(campaign, "MULLER") == ["SO-1", "SO-5"]
    assert found(campaign, "schäfer") == ["SO-3"]  # stored in capitals
    assert found(campaign, "member4.") == ["SO-4"]  # the email
    assert found(campaign, "so-2") == ["SO-2"]  # the Order ID
    assert found(campaign, "o'b") == ["SO-4"]  # a quote is text
    assert found(campaign, "%") == [] and found(campaign, "_") == []  # LIKE wildcards are text
    assert found(campaign, "e_b") == [] and found(campaign, "%mb") == []  # with the index too ("member")
    assert found(campaign, '"') == [] and found(campaign, 'a"b') == []


def test_short_searches_find_the_same_as_the_index_would(campaign):
    assert found(campaign, "zo") == ["SO-2"]
    assert found(campaign, "ía") == ["SO-2"]  # García
    assert_index_right(campaign, "m", "-5", "mu", "ll")


def test_tracking_entered_shipped_and_undone_is_found_as_it_is_now(campaign):
    update_tracking(campaign, get_order(campaign, "SO-2"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="alice")
    assert found(campaign, "1z999aa1") == ["SO-2"]
    mark_shipped(campaign, ids(campaign, "SO-2", "SO-3"), operator="alice", shipped_on=date(2026, 3, 12))
    update_tracking(campaign, get_order(campaign, "SO-2"), number="9400111899223197428490", carrier="USPS",
                    url="", operator="alice")
    assert found(campaign, "1z999aa1") == [] and found(campaign, "94001118992") == ["SO-2"]
    assert_index_right(campaign, "1z999", "9400", "müller", "so-")
    undo_last(campaign, operator="alice")  # the second tracking
    assert found(campaign, "1z999aa1") == ["SO-2"] and found(campaign, "94001118992") == []
    undo_last(campaign, operator="alice")  # the shipment
    undo_last(campaign, operator="alice")  # the first tracking
    assert found(campaign, "1z999aa1") == []
    assert_index_right(campaign, "1z999", "9400", "müller", "so-")


def test_a_tracking_import_and_its_undo_keep_the_index(campaign, write_file):
    path = write_file("tracking.csv", "Order ID,Tracking Number,Carrier\nSO-1,1Z999AA10123456784,UPS\n"
                                      "SO-4,9400111899223197428490,USPS\n")
    table = open_csv(path)
    apply_tracking_import(campaign, check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers)),
                          operator="alice")
    assert found(campaign, "1z999") == ["SO-1"] and found(campaign, "9400111") == ["SO-4"]
    assert_index_right(campaign, "1z999", "9400", "müller")
    undo_last(campaign, operator="alice")
    assert found(campaign, "1z999") == [] and found(campaign, "9400111") == []
    assert_index_right(campaign, "1z999", "9400", "müller")


def test_a_tracking_import_runs_no_search_trigger_per_order_and_leaves_them_for_the_next_change(
        campaign, write_file):
    """SQLite's FTS5 tables take a bulk statement's orders in one statement: its per-row
    triggers are not run at all for them (told to do nothing, they cost a tenth of an
    import's update), and are back for the next order changed by itself."""
    db = database()
    if is_postgres(db):
        pytest.skip("PostgreSQL's index triggers run once per statement")
    path = write_file("tracking.csv", "Order ID,Tracking Number,Carrier\nSO-1,1Z999AA10123456784,UPS\n"
                                      "SO-4,9400111899223197428490,USPS\nSO-5,1Z999AA10123456795,UPS\n")
    table = open_csv(path)
    preview = check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers))
    runs = []  # SQLite traces a statement once, and once more for every trigger it runs
    db.connection().set_trace_callback(runs.append)
    try:
        apply_tracking_import(campaign, preview, operator="alice")
    finally:
        db.connection().set_trace_callback(None)
    assert sum(run.startswith('UPDATE "orders"') for run in runs) == 1
    assert found(campaign, "1z999aa1") == ["SO-1", "SO-5"]
    update_tracking(campaign, get_order(campaign, "SO-2"), number="1Z999AA10123456806", carrier="UPS",
                    url="", operator="alice")
    assert found(campaign, "1z999aa1") == ["SO-1", "SO-2", "SO-5"]
    assert_index_right(campaign, "1z999", "9400", "müller")


def test_a_bulk_change_that_fails_leaves_the_index_kept_row_by_row(campaign):
    db = database()
    with pytest.raises(RuntimeError):
        with db.atomic():
            with search.tracking_reindex(Order.select(Order.id)):
                Order.update(tracking_number="1Z999AA10123456784").execute()
                raise RuntimeError("the bulk change fails")
    assert found(campaign, "1z999aa1") == []
    update_tracking(campaign, get_order(campaign, "SO-3"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="alice")
    assert found(campaign, "1z999aa1") == ["SO-3"]
    assert_index_right(campaign, "1z999", "müller")


def test_a_load_of_orders_keeps_the_index(campaign, write_file):
    path = write_file(
        "orders.csv",
        "Order ID,Member Name,Email,Address Line 1,City,State/Region,Postal Code,Country,Product,SKU,Quantity\n"
        "SO-10,Jürgen Müller,juergen@example.de,Hauptstraße 1,München,Bayern,80331,DE,Night Cream,NRC-050,1\n"
        "SO-100,Åsa Öberg,asa@example.se,Storgatan 1,Malmö,,21122,SE,Night Cream,NRC-050,1\n",
    )
    table = open_csv(path)
    apply_orders_import(campaign, check_orders_file(campaign, table, initial_mapping(ORDERS, table.headers)),
                        operator="alice")
    assert found(campaign, "oberg") == ["SO-100"] and found(campaign, "juergen@") == ["SO-10"]
    assert found(campaign, "müller") == ["SO-1", "SO-5", "SO-10"]  # natural order
    assert_index_right(campaign, "oberg", "example", "so-1", "müller")


def test_order_ids_list_in_natural_order(db, make_campaign):
    campaign = make_campaign(12)
    for key in ("SO-100001", "SO-1000000", "SO-007", "A-2", "A-10"):
        first = Order.get(Order.campaign == campaign, Order.order_key == "SO-1")
        Order.create(campaign=campaign, member=first.member, product=first.product, order_key=key,
                     updated_at=first.updated_at, updated_by="seed")
    listed = [row.order_id for row in orders.rows_by_id(campaign, orders.order_ids(campaign)).values()]
    assert listed == [
        "A-2", "A-10", "SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6", "SO-007", "SO-7", "SO-8", "SO-9",
        "SO-10", "SO-11", "SO-12", "SO-100001", "SO-1000000",
    ]
    assert list(orders.order_ids(campaign, limit=3)) == resolve_order_keys(campaign, ["A-2", "A-10", "SO-1"])


def test_a_database_of_the_first_schema_gets_its_search_index_and_sort_keys(db_location):
    create_version_1(
        db_location, *VERSION_1_ROWS,
        "INSERT INTO orders (id, campaign_id, member_id, product_id, quantity, order_key, status, shipped_on, "
        "carrier, tracking_number, tracking_url, version, updated_at, updated_by) VALUES (4, 1, 3, 1, 1, 'SO-10', "
        "'shipped', '2026-01-02', 'UPS', '1Z999AA10123456784', '', 1, '2026-01-01 00:00:00', 'seed')",
    )
    open_database(db_location)
    try:
        campaign = Campaign.get_by_id(1)
        assert has_trigram_index(database())
        if is_postgres(database()):  # on a table of its own, not on orders
            assert database().execute_sql("SELECT to_regclass('orders_search_trgm')").fetchone()[0] is None
        assert found(campaign, "m2@example") == ["SO-2"]
        assert found(campaign, "1Z999AA") == ["SO-10"]
        assert found(campaign, "m3") == ["SO-3", "SO-10"]  # ship-to name and email, natural order
        assert_index_right(campaign, "example", "so-1", "m", "1z9")
        update_tracking(campaign, get_order(campaign, "SO-1"), number="9400111899223197428490", carrier="USPS",
                        url="", operator="alice")
        assert found(campaign, "94001118") == ["SO-1"]
        undo_last(campaign, operator="alice")
        assert found(campaign, "94001118") == [] and found(campaign, "1z999aa") == ["SO-10"]
        assert_index_right(campaign, "9400", "1z9", "so-1")
    finally:
        close_database()


def test_one_statement_that_gives_changes_and_clears_tracking_numbers_keeps_the_index(campaign):
    """Orders given their first tracking number, a new one, the same in other case, or none,
    by one statement (as an import writes them): each is indexed by what it has now."""
    Order.update(tracking_number="1Z999AA10123456784").where(Order.order_key.in_(["SO-2", "SO-3", "SO-4"])).execute()
    new_numbers = peewee.Case(Order.order_key, (
        ("SO-1", "9400111899223197428490"),  # its first
        ("SO-2", "00340434161094042557"),  # another
        ("SO-3", "1z999aa10123456784"),  # the same, in lower case
        ("SO-4", ""),  # none any more
    ), Order.tracking_number)
    Order.update(tracking_number=new_numbers).where(Order.campaign == campaign).execute()
    assert found(campaign, "94001118") == ["SO-1"] and found(campaign, "003404341") == ["SO-2"]
    assert found(campaign, "1z999aa") == ["SO-3"]
    assert_index_right(campaign, "1z9", "9400", "0034", "so-4")


def test_a_database_of_an_older_schema_keeps_its_tracking_index_as_a_new_one_does(db_location):
    """The first schema migrated forward: its trigger of updated orders is the one a new
    database gets (it adds an order's first tracking number by a plain INSERT)."""
    create_version_1(db_location, *VERSION_1_ROWS)
    db = open_database(db_location)
    try:
        migrated = _update_trigger_source(db)
        campaign = Campaign.get_by_id(1)
        update_tracking(campaign, get_order(campaign, "SO-1"), number="9400111899223197428490", carrier="USPS",
                        url="", operator="alice")
        assert found(campaign, "94001118") == ["SO-1"]
        assert_index_right(campaign, "9400", "so-1")
    finally:
        close_database()
    if is_postgres(db):
        db = open_database(db_location)  # the schema the migration left, then a new one
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
        close_database()
        assert migrated == _update_trigger_source(open_database(db_location))
        close_database()


def _update_trigger_source(db: peewee.Database) -> str | None:
    if not is_postgres(db):
        return None
    return db.execute_sql("SELECT prosrc FROM pg_proc WHERE proname = 'shiptui_order_search_update'").fetchone()[0]


def test_an_order_written_by_one_statement_is_found_by_its_tracking_number_until_deleted(campaign):
    """Row by row, as a script or another program writes orders: the tracking number is
    indexed apart from the other fields (storage/search.py)."""
    first = Order.get(Order.campaign == campaign, Order.order_key == "SO-1")
    Order.create(campaign=campaign, member=first.member, product=first.product, order_key="SO-6",
                 tracking_number="1Z999AA10123456784", carrier="UPS", updated_at=first.updated_at,
                 updated_by="seed", **ship_to_of(first.member))
    assert found(campaign, "1z999aa") == ["SO-6"] and found(campaign, "müller") == ["SO-1", "SO-5", "SO-6"]
    assert_index_right(campaign, "1z999", "so-6")
    Order.update(tracking_number="").where(Order.order_key == "SO-6").execute()
    assert found(campaign, "1z999aa") == [] and found(campaign, "so-6") == ["SO-6"]
    Order.update(tracking_number="9400111899223197428490").where(Order.order_key == "SO-6").execute()
    assert found(campaign, "94001118") == ["SO-6"]
    Order.delete().where(Order.order_key == "SO-6").execute()
    assert found(campaign, "94001118") == [] and found(campaign, "so-6") == []
    assert_index_right(campaign, "1z999", "9400", "so-")


def test_deleted_orders_leave_the_index(db, make_campaign):
    kept, gone = make_campaign(3, members=NAMES[:3]), make_campaign(2, name="Autumn Kit", members=NAMES[3:])
    Campaign.delete().where(Campaign.id == gone.id).execute()  # its orders go by the foreign key's cascade
    assert_index_right(kept, "müller", "example", "so-")


def test_a_status_change_leaves_the_search_index_as_it_is(campaign):
    """PostgreSQL writes every index of a row it updates: the trigram index is kept off orders,
    so marking orders shipped does not rewrite their trigrams (storage/search.py)."""
    db = database()
    if is_postgres(db):
        assert db.execute_sql("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders' "
                              "AND indexdef ~ 'USING gin'").fetchone()[0] == 0
    mark_shipped(campaign, ids(campaign, "SO-1", "SO-2", "SO-3", "SO-4", "SO-5"), operator="alice")
    assert_index_right(campaign, "müller", "so-3", "garc")


@pytest.mark.parametrize("few_matches", [0, 4, 1_000])
def test_a_first_page_of_a_search_is_the_start_of_all_its_matches_however_it_is_found(
        db, make_campaign, monkeypatch, few_matches):
    # A first page is found one of two ways, by how many orders match (search.first_matching):
    # with 0 every search walks the orders in natural order, with 1,000 each sorts its
    # matches, with 4 "example" (24 matches) walks and "1z999" (1) sorts.
    monkeypatch.setattr(search, "FEW_MATCHES", few_matches)
    make_campaign(12, name="Other campaign")  # its orders match too
    campaign = make_campaign(12, name="Winter Cream Trial")
    update_tracking(campaign, get_order(campaign, "SO-11"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="alice")
    mark_shipped(campaign, ids(campaign, "SO-3", "SO-10", "SO-12"), operator="alice", shipped_on=date(2026, 3, 12))
    for text in ("example", "member1", "1Z999", "MEMBER", "nothing at all"):
        for status in (None, OrderStatus.SHIPPED):
            view = OrderFilter(status=status, search=text)
            every = [order_id for order_id in orders.order_ids(campaign, view)]
            assert list(orders.order_ids(campaign, view, limit=5)) == every[:5], (text, status)
    assert [row.order_id for row in orders.rows_by_id(
        campaign, orders.order_ids(campaign, OrderFilter(search="example"), limit=5)).values()
    ] == ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5"]
    assert found(campaign, "member1") == ["SO-1", "SO-10", "SO-11", "SO-12"] == expected(campaign, "member1")
    assert found(campaign, "1z999aa1") == ["SO-11"]


def test_a_search_with_many_matches_walks_the_orders_and_one_with_few_sorts_them(db, make_campaign, monkeypatch):
    monkeypatch.setattr(search, "FEW_MATCHES", 4)
    make_campaign(12)
    walked = search.first_matching("example")
    sorted_ids = search.first_matching("member1")
    assert "LIKE" in Order.select().where(walked).sql()[0]
    assert Order.select(Order.order_key).where(sorted_ids).order_by(Order.sort_key).tuples()[:] == [
        ("SO-1",), ("SO-10",), ("SO-11",), ("SO-12",)]
