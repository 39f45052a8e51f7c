from datetime import date

import peewee
import pytest

from shiptui.errors import DatabaseUnavailable
from shiptui.services.undo import undo_last
from shiptui.services.history import campaign_history, describe_change, order_history
from shiptui.storage import Campaign, Order, close_database, open_database
from shiptui.storage.database import connect, is_postgres
from shiptui.storage.migrations import STEPS, latest_version, migrate
from shiptui.storage.models import SchemaVersion
from shiptui.storage.transactions import write_transaction

from tests.conftest import _reset_postgres
from tests.storage.version_1 import VERSION_1_ROWS, create_version_1

LATEST = latest_version(STEPS)


def test_sqlite_is_set_up_for_several_operators(sqlite_db):
    pragma = lambda name: sqlite_db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 30000


def test_a_new_database_gets_the_latest_schema_and_reopening_changes_nothing(db_location):
    db = open_database(db_location)
    assert [v.version for v in SchemaVersion.select()] == [LATEST]
    assert migrate(db) == LATEST
    close_database()


AFTER_STATE = ["after_status", "after_shipped_on", "after_carrier", "after_tracking_number", "after_tracking_url"]


def test_an_action_undone_before_the_after_state_was_kept_shows_in_the_history_as_not_recorded(db_location):
    create_version_1(
        db_location, *VERSION_1_ROWS,
        "INSERT INTO action (id, campaign_id, operator, kind, summary, created_at, undone_at, undone_by) "
        "VALUES (1, 1, 'alice', 'ship', 'marked 1 order shipped', '2026-01-02 09:00:00', '2026-01-02 09:05:00', 'alice')",
        "INSERT INTO action_change (action_id, order_id, status, shipped_on, carrier, tracking_number, "
        "tracking_url, version) VALUES (1, 1, 'pending', NULL, '', '', '', 1)",
    )
    db = open_database(db_location)
    try:
        assert set(AFTER_STATE) <= {column.name for column in db.get_columns("action_change")}
        [change] = order_history(Campaign.get_by_id(1), "SO-1")
        assert change.after is None and describe_change(change) == "(the state after this change was not recorded)"
        assert (change.undone_by, change.undone_at.date()) == ("alice", date(2026, 1, 2))
    finally:
        close_database()


def test_an_older_database_is_migrated_forward_on_open(db):
    added = peewee.TextField(default="")

    def add_note(migrator, database):
        from playhouse.migrate import migrate as run

        run(migrator.add_column("campaign", "note", added))

    steps = {**STEPS, LATEST + 1: add_note}
    assert migrate(db, steps=steps) == LATEST
    assert sorted(v.version for v in SchemaVersion.select()) == [LATEST, LATEST + 1]
    assert "note" in [column.name for column in db.get_columns("campaign")]
    assert migrate(db, steps=steps) == LATEST + 1  # applied once only


def test_a_database_from_a_newer_shiptui_is_refused_with_advice(db):
    SchemaVersion.create(version=LATEST + 1, applied_at=SchemaVersion.select().first().applied_at)
    with pytest.raises(DatabaseUnavailable, match=f"schema version {LATEST + 1}, made by a newer shiptui"):
        migrate(db)


def test_a_file_that_is_not_a_database_gives_a_message(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
        open_database(str(path))


def test_unknown_url_schemes_are_refused():
    with pytest.raises(DatabaseUnavailable, match="unsupported database URL 'mysql://x/y'"):
        connect("mysql://x/y")


def test_an_unreachable_postgres_server_is_named_without_its_password():
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database("postgresql://bob:s3cret@127.0.0.1:9/shiptui")
    assert "postgresql://bob:***@127.0.0.1:9/shiptui" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_first_release_database_is_brought_forward_and_its_orders_keep_their_ship_to(db_location):
    create_version_1(db_location, *VERSION_1_ROWS)
    db = open_database(db_location)
    try:
        assert sorted(v.version for v in SchemaVersion.select())[-1] == LATEST
        order = Order.get(Order.order_key == "SO-2")
        assert (order.ship_name, order.ship_address_line1, order.ship_city, order.ship_country) == (
            "M2", "1 Main St", "Town", "AT",
        )
        assert "member_change" in db.get_tables()
        assert "fresh" not in {column.name for column in db.get_columns("schema_version")}
        assert sorted(v.version for v in SchemaVersion.select()) == list(range(1, LATEST + 1))
    finally:
        close_database()


def test_an_action_of_the_first_release_keeps_its_words_in_the_log_and_can_be_undone(db_location):
    create_version_1(
        db_location, *VERSION_1_ROWS,
        "UPDATE orders SET status = 'shipped', shipped_on = '2026-01-02', version = 2 WHERE id = 1",
        "INSERT INTO action (id, campaign_id, operator, kind, summary, created_at) "
        "VALUES (1, 1, 'alice', 'ship', 'marked 1 order shipped', '2026-01-02 09:00:00')",
        "INSERT INTO action_change (action_id, order_id, status, shipped_on, carrier, tracking_number, "
        "tracking_url, version) VALUES (1, 1, 'pending', NULL, '', '', '', 1)",
    )
    open_database(db_location)
    try:
        campaign = Campaign.get_by_id(1)
        assert [entry.summary for entry in campaign_history(campaign)] == ["marked 1 order shipped"]
        assert undo_last(campaign, operator="alice").undone == "marked 1 order shipped"
        assert Order.get_by_id(1).status == "pending"
    finally:
        close_database()


def test_a_first_release_database_indexes_reminders_only_while_a_sender_may_claim_them(db_location):
    """A status change of a sent or cancelled reminder writes no index of due times."""
    create_version_1(db_location, *VERSION_1_ROWS)
    db = open_database(db_location)
    try:
        indexes = {index.name: index for index in db.get_indexes("reminder")}
        assert "reminder_status_send_after" not in indexes
        assert "WHERE" in indexes["reminder_claimable"].sql
    finally:
        close_database()


def schema_objects(db: peewee.Database) -> dict[str, set]:
    """The indexes (by table) and triggers of a database, as its server keeps them."""
    if is_postgres(db):
        return {
            "indexes": set(db.execute_sql("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'").fetchall()),
            "triggers": set(db.execute_sql(
                "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
            ).fetchall()),
        }
    return {
        "indexes": set(db.execute_sql("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'").fetchall()),
        "triggers": set(db.execute_sql("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()),
    }


def test_a_first_release_database_is_migrated_to_the_indexes_and_triggers_of_a_new_one(db_location):
    """What every write maintains is the same however old the database: no index a new one
    lacks (a reminder's Message-ID is unique without one), no trigger of another shape."""
    create_version_1(db_location, *VERSION_1_ROWS)
    migrated = schema_objects(open_database(db_location))
    close_database()
    if is_postgres(connect(db_location)):
        _reset_postgres(db_location)
    else:
        db_location += ".new"
    try:
        new = schema_objects(open_database(db_location))
    finally:
        close_database()
    assert ("reminder", "reminder_message_id") not in new["indexes"]
    assert migrated == new


def test_a_write_transaction_on_postgres_compiles_no_statement_with_jit(db, make_campaign):
    """A bulk statement runs its expressions once per row: compiling them (0.2-0.5 s a
    statement at 100,000 orders) cost more than it saved. Only for the transaction."""
    if not is_postgres(db):
        pytest.skip("SQLite compiles nothing")
    campaign = make_campaign(1)
    server_default = db.execute_sql("SHOW jit").fetchone()[0]
    with write_transaction(campaign):
        assert db.execute_sql("SHOW jit").fetchone()[0] == "off"
    assert db.execute_sql("SHOW jit").fetchone()[0] == server_default
