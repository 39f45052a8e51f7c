"""Opening the database for reads never waits behind another operator's write transaction
(SQLite's write lock, PostgreSQL's row locks and the migration lock)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest

from shiptui.services.campaigns import list_campaigns
from shiptui.storage import close_database, open_database
from shiptui.storage.migrations import _PG_MIGRATION_LOCK

# Far below SQLite's 60 s busy timeout: a command that waited for the lock would not return
# before the writer lets go, which happens only after the command has been waited for.
WAIT_SECONDS = 20


@contextmanager
def writer_holding_the_lock(location: str):
    """Another process's open write transaction, as an operator's bulk ship holds it."""
    if location.startswith("postgresql://"):
        import psycopg2

        connection = psycopg2.connect(location)
        cursor = connection.cursor()  # psycopg2 opens a transaction at the first statement
        cursor.execute("SELECT id FROM campaign FOR UPDATE")
        cursor.execute("UPDATE orders SET version = version + 1")
        # As a process migrating the schema would hold it.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_MIGRATION_LOCK,))
    else:
        connection = sqlite3.connect(location, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE orders SET version = version + 1")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


@pytest.fixture
def campaign_slug(db_location, make_campaign) -> str:
    open_database(db_location)
    slug = make_campaign(3).slug
    close_database()
    return slug


@pytest.mark.parametrize("command", [["campaigns"], ["orders", "{slug}"], ["orders", "{slug}", "--json"]])
def test_a_read_only_command_returns_while_another_process_writes(db_location, campaign_slug, command):
    with writer_holding_the_lock(db_location):
        finished = subprocess.run(
            [sys.executable, "-m", "shiptui", "--db", db_location,
             *(part.format(slug=campaign_slug) for part in command)],
            capture_output=True, text=True, timeout=WAIT_SECONDS,
        )
    assert finished.returncode == 0, finished.stderr
    assert "SO-1" in finished.stdout or campaign_slug in finished.stdout


def test_the_console_start_up_reads_the_campaigns_while_another_process_writes(db_location, campaign_slug):
    """What the console does before its first screen: open the database, list the campaigns."""
    seen: list[str] = []

    def start_up():
        open_database(db_location)
        try:
            seen.extend(summary.slug for summary in list_campaigns())
        finally:
            close_database()

    with writer_holding_the_lock(db_location):
        reader = threading.Thread(target=start_up, daemon=True)
        reader.start()
        reader.join(WAIT_SECONDS)
        returned_while_locked = not reader.is_alive()
    reader.join()
    assert returned_while_locked
    assert seen == [campaign_slug]
