"""A write lock another operator holds too long, or a server that is gone, reaches the
operator as one sentence from storage, the same in the CLI and the console."""

from __future__ import annotations

import importlib

import pytest

from shiptui.cli import main
from shiptui.errors import DatabaseLocked, DatabaseUnavailable
from shiptui.services.fulfillment import mark_shipped
from shiptui.services.orders import OrderTarget, resolve_order_keys
from shiptui.storage import close_database, database, open_database
from shiptui.storage.driver_errors import describe
from tests.storage.test_open_while_writing import writer_holding_the_lock

# The module, not the `database()` that shiptui.storage exports under its name.
storage_database = importlib.import_module("shiptui.storage.database")
LOCKED = "the database stayed locked by another operator for too long: nothing was changed, try again"


@pytest.fixture
def impatient(db_location, make_campaign, monkeypatch) -> str:
    """The location of a campaign's database that gives up waiting for a lock after a second."""
    open_database(db_location)
    make_campaign(3)
    close_database()
    monkeypatch.setattr(storage_database, "SQLITE_BUSY_TIMEOUT_SECONDS", 1)
    if db_location.startswith("postgresql://"):  # shiptui waits as long as the server lets it
        return db_location + "?options=-c%20lock_timeout%3D1000"
    return db_location


def test_a_write_lock_held_too_long_is_database_locked_in_words(impatient, db_location):
    open_database(impatient)
    try:
        campaign_target = OrderTarget.of_ids(resolve_order_keys(_campaign(), ["SO-1"]))
        with writer_holding_the_lock(db_location), pytest.raises(DatabaseLocked) as caught:
            mark_shipped(_campaign(), campaign_target, operator="alice")
        assert describe(caught.value) == LOCKED
    finally:
        close_database()


def test_the_command_line_says_the_same_sentence(impatient, db_location, capsys):
    with writer_holding_the_lock(db_location):
        code = main(["--db", impatient, "ship", "spring-serum-sampling", "SO-1"])
    close_database()
    assert (code, capsys.readouterr().err) == (1, f"shiptui: {LOCKED}\n")


def test_a_lost_postgres_connection_is_database_unavailable(db_location, make_campaign):
    if not db_location.startswith("postgresql://"):
        pytest.skip("a SQLite file has no server to lose")
    open_database(db_location)
    try:
        make_campaign(1)
        backend = database().execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        import psycopg2

        with psycopg2.connect(db_location) as other, other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", (backend,))
        with pytest.raises(DatabaseUnavailable, match="the database server cannot be reached"):
            database().execute_sql("SELECT 1")
    finally:
        close_database()


def _campaign():
    from shiptui.services.campaigns import find_campaign

    return find_campaign("spring-serum-sampling")
