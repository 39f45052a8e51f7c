"""Schema versions. A new database gets the current schema in one step; an older one
is brought forward by the numbered steps, each in the same transaction as its record.

To change the schema: change the models, then add a step under the next number that
makes the same change to an existing database (playhouse.migrate's SchemaMigrator).
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

import peewee
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from shiptui import clock
from shiptui.errors import DatabaseUnavailable
from shiptui.i18n import _, language_of_country
from shiptui.storage import cascades, search
from shiptui.storage.models import MODELS, Member, MemberChange, Order, Reminder, ReminderText, SchemaVersion

Step = Callable[[SchemaMigrator, peewee.Database], None]


def _add_mail_suppression_and_pace(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """The suppression list and the shared send slot (the `suppressed` reminder status is a value only).

    The tables as they were at this version, not as the models may be later.
    """

    class Suppression(peewee.Model):
        address = peewee.TextField(unique=True)
        reason = peewee.TextField()
        since = peewee.DateTimeField()
        suppressed_by = peewee.TextField()

        class Meta:
            database = db
            table_name = "suppression"

    class SendPace(peewee.Model):
        id = peewee.IntegerField(primary_key=True)
        next_slot = peewee.DoubleField()

        class Meta:
            database = db
            table_name = "send_pace"

    db.create_tables([Suppression, SendPace], safe=True)


def _add_languages(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Campaigns get a language and a review URL, orders their member's language (German
    where the member's country reads German, else the campaign's: English), and the
    reminder template moves to one row per language (the old one becomes the English)."""
    for table, column, default in (
        ("campaign", "language", "en"), ("campaign", "review_url", ""), ("orders", "language", "en"),
    ):
        # One statement, not migrator.add_column: for NOT NULL that rebuilds a SQLite table,
        # and dropping the old campaign table inside this transaction (foreign keys stay
        # on) would delete every order with it.
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT '{default}'")
    countries = [country for (country,) in Member.select(Member.country).distinct().tuples()]
    for country in countries:
        language = language_of_country(country)
        if language:
            Order.update(language=language).where(
                Order.member.in_(Member.select(Member.id).where(Member.country == country))
            ).execute()
    db.create_tables([ReminderText])
    db.execute_sql(
        "INSERT INTO reminder_text (campaign_id, language, subject, body) "
        "SELECT id, 'en', reminder_subject_template, reminder_body_template FROM campaign "
        "WHERE reminder_subject_template IS NOT NULL OR reminder_body_template IS NOT NULL"
    )
    run_operations(
        migrator.drop_column("campaign", "reminder_subject_template"),
        migrator.drop_column("campaign", "reminder_body_template"),
    )


def _add_order_ship_to(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Each order keeps the name and address it ships to: today's member's, for existing ones."""
    copied = ("name", "address_line1", "address_line2", "city", "region", "postal_code", "country")
    for column in copied:
        # One ALTER with a default: peewee's add_column would rebuild the SQLite table per column.
        db.execute_sql(f"ALTER TABLE orders ADD COLUMN ship_{column} TEXT NOT NULL DEFAULT ''")
    assignments = ", ".join(f"ship_{column} = member.{column}" for column in copied)
    db.execute_sql(f"UPDATE orders SET {assignments} FROM member WHERE member.id = orders.member_id")


def _track_partial_undo(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Undo remembers which orders of an action it put back, and actions it could not finish."""
    run_operations(
        migrator.add_column("action_change", "restored_at", peewee.DateTimeField(null=True)),
        migrator.add_column("action", "partly_undone_at", peewee.DateTimeField(null=True)),
    )
    # Until now an undo marked its whole action undone: its changes count as put back.
    db.execute_sql(
        'UPDATE action_change SET restored_at = "action".undone_at FROM "action" '
        'WHERE "action".id = action_change.action_id AND "action".undone_at IS NOT NULL'
    )


def _record_member_changes(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """A load of orders records the member names and addresses it changes, for undo."""
    db.create_tables([MemberChange])


def _add_action_change_after_state(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """The order's state after an undone action, for the audit trail (ActionChange.after_*)."""
    run_operations(*(
        migrator.add_column("action_change", f"after_{name}", peewee.DateField(null=True) if name == "shipped_on"
                            else peewee.TextField(null=True))
        for name in ("status", "shipped_on", "carrier", "tracking_number", "tracking_url")
    ))


def _add_order_search_and_sort_key(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Orders get their search column (trigram-indexed) and natural sort key, filled for
    existing orders and kept by triggers from now on (storage/search.py)."""
    for column in ("search_text", "sort_key"):
        db.execute_sql(f"ALTER TABLE orders ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    search.install(db)
    db.execute_sql("CREATE INDEX orders_campaign_id_sort_key ON orders (campaign_id, sort_key)")


def _store_action_counts(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Actions keep what they did as counts and a file name, told in each reader's language;
    the summaries of older actions stay as they were written."""
    run_operations(
        migrator.add_column("action", "counts", peewee.TextField(null=True)),
        migrator.add_column("action", "file_name", peewee.TextField(null=True)),
    )


def _drop_schema_version_fresh(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """schema_version.fresh (whether a database was made new at that version) was written, never read."""
    run_operations(migrator.drop_column("schema_version", "fresh"))


def _fewer_index_writes_per_status_change(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """PostgreSQL's trigram index moves from orders to a table of its own (storage/search.py),
    and reminders are indexed by status and due time only while a sender may claim them:
    a status change writes neither index then."""
    search.move_trigram_index_off_orders(db)
    db.execute_sql("DROP INDEX reminder_status_send_after")
    db.create_tables([Reminder])  # its missing index (models.CLAIMABLE)


def _index_tracking_numbers_apart(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """The search column leaves the tracking number to a trigram index of its own, so a
    change of tracking re-indexes only it (storage/search.py)."""
    search.reinstall(db)


def _cascade_log_and_outbox_by_triggers(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """The action log and the outbox lose their foreign keys (checked row by row on every
    insert); triggers on deleted orders and actions do what the keys' ON DELETE did
    (storage/cascades.py)."""
    for table in ("action_change", "reminder"):
        if isinstance(db, peewee.PostgresqlDatabase):
            for (name,) in db.execute_sql(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", (table,)
            ).fetchall():
                db.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            continue
        # SQLite drops no constraint: the table is made again from its own CREATE statement
        # without its FOREIGN KEY clauses, its rows copied and its indexes made again.
        [(create,)] = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchall()
        indexes = [sql for (sql,) in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        unchecked = re.sub(r',\s*FOREIGN KEY\s*\([^)]*\)\s*REFERENCES\s*"?\w+"?\s*\([^)]*\)(\s*ON DELETE (CASCADE|SET NULL))?',
                           "", create, flags=re.IGNORECASE)
        db.execute_sql(re.sub(rf'^CREATE TABLE\s+"?{table}"?', f'CREATE TABLE "{table}_unchecked"', unchecked))
        db.execute_sql(f'INSERT INTO "{table}_unchecked" SELECT * FROM "{table}"')
        db.execute_sql(f'DROP TABLE "{table}"')
        db.execute_sql(f'ALTER TABLE "{table}_unchecked" RENAME TO "{table}"')
        for sql in indexes:
            db.execute_sql(sql)
    cascades.install(db)


def _fewer_writes_per_queued_reminder_and_tracking_change(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """Reminders lose the unique index of their Message-ID (unique by what it is made of,
    and never looked up: models.Reminder); SQLite's per-row search triggers lose their WHEN
    that called a Python function on every row of a bulk statement, which now runs
    without them (storage/search.py)."""
    db.execute_sql("DROP INDEX reminder_message_id")
    search.drop_per_row_pause(db)


def _index_first_tracking_numbers_by_plain_insert(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """PostgreSQL's update trigger adds the tracking numbers of orders that had none with a
    plain INSERT, not an INSERT … ON CONFLICT (storage/search.py)."""
    search.reinstall_postgres_update_trigger(db)


# version -> the step that brings a database from version-1 to it. Version 1 is the
# first released schema and has no step.
STEPS: Mapping[int, Step] = {
    2: _add_mail_suppression_and_pace,
    3: _add_languages,
    4: _add_order_ship_to,
    5: _track_partial_undo,
    6: _record_member_changes,
    7: _add_action_change_after_state,
    8: _add_order_search_and_sort_key,
    9: _store_action_counts,
    10: _drop_schema_version_fresh,
    11: _fewer_index_writes_per_status_change,
    12: _index_tracking_numbers_apart,
    13: _cascade_log_and_outbox_by_triggers,
    14: _fewer_writes_per_queued_reminder_and_tracking_change,
    15: _index_first_tracking_numbers_by_plain_insert,
}

# Serialises migrations of several processes opening one PostgreSQL database at once.
_PG_MIGRATION_LOCK = 0x5348_4950


def latest_version(steps: Mapping[int, Step]) -> int:
    return max(steps, default=1)


def stored_version(db: peewee.Database) -> int:
    """The schema version the database is at (0: new), by a plain read that takes no lock."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    return SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar() or 0


def migrate(db: peewee.Database, steps: Mapping[int, Step] = STEPS) -> int:
    """Bring the schema to the latest version; returns the version it was at (0: new).

    Opening an up-to-date database only reads: the write transaction (SQLite's write lock,
    PostgreSQL's migration lock) is taken only when a migration is due, so opening never
    waits behind another operator's write.
    """
    latest = latest_version(steps)
    current = stored_version(db)
    if current == latest:
        return current
    _refuse_newer(current, latest)
    with db.atomic():
        if isinstance(db, peewee.PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_MIGRATION_LOCK,))
        db.create_tables([SchemaVersion], safe=True)
        # Another process may have migrated while this one waited for the lock.
        current = stored_version(db)
        if current == 0:
            db.create_tables(MODELS, safe=True)
            search.install(db)
            cascades.install(db)
            SchemaVersion.create(version=latest, applied_at=clock.stored_now())
            return 0
        _refuse_newer(current, latest)
        migrator = SchemaMigrator.from_database(db)
        versions = range(current + 1, latest + 1)
        for version in versions:
            steps[version](migrator, db)
        # Recorded once every step has run (in the same transaction): a step may change
        # the schema_version table itself, as dropping its `fresh` column did.
        applied_at = clock.stored_now()
        SchemaVersion.insert_many([{"version": version, "applied_at": applied_at} for version in versions]).execute()
        return current


def _refuse_newer(current: int, latest: int) -> None:
    if current > latest:
        raise DatabaseUnavailable(
            _("this database has schema version {version}, made by a newer shiptui "
              "(this one knows up to {latest}): upgrade shiptui").format(version=current, latest=latest)
        )
