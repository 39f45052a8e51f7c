import peewee
import pytest

from shiptui.errors import DatabaseUnavailable
from shiptui.storage import close_database, open_database
from shiptui.storage.database import connect
from shiptui import clock
from shiptui.storage.migrations import STEPS, latest_version, migrate
from shiptui.storage.models import SchemaVersion


def test_sqlite_is_set_up_for_several_operators(sqlite_db):
    pragma = lambda name: sqlite_db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 30000


def test_a_new_database_gets_the_latest_schema_and_reopening_changes_nothing(db_location):
    db = open_database(db_location)
    assert [v.version for v in SchemaVersion.select()] == [latest_version(STEPS)]
    assert migrate(db) == latest_version(STEPS)
    close_database()


AFTER_STATE = ["after_status", "after_shipped_on", "after_carrier", "after_tracking_number", "after_tracking_url"]


def test_a_first_version_database_gets_the_after_state_of_undone_actions(db):
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run

    run(*(SchemaMigrator.from_database(db).drop_column("action_change", name) for name in AFTER_STATE))
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=1, applied_at=clock.stored_now())
    assert migrate(db) == 1
    assert set(AFTER_STATE) <= {column.name for column in db.get_columns("action_change")}


def test_an_older_database_is_migrated_forward_on_open(db):
    added = peewee.TextField(default="")

    def add_note(migrator, database):
        from playhouse.migrate import migrate as run

        run(migrator.add_column("campaign", "note", added))

    latest = latest_version(STEPS)
    steps = {**STEPS, latest + 1: add_note}
    assert migrate(db, steps=steps) == latest
    assert sorted(v.version for v in SchemaVersion.select()) == [latest, latest + 1]
    assert "note" in [column.name for column in db.get_columns("campaign")]
    assert migrate(db, steps=steps) == latest + 1  # applied once only


def test_a_database_from_a_newer_shiptui_is_refused_with_advice(db):
    SchemaVersion.create(version=9, applied_at=SchemaVersion.select().first().applied_at)
    with pytest.raises(DatabaseUnavailable, match="schema version 9, made by a newer shiptui"):
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
    assert "postgresql://bob@127.0.0.1:9/shiptui" in str(caught.value)
    assert "s3cret" not in str(caught.value)
