"""Schema versions. A new database gets the current schema in one step; an older one
is brought forward by the numbered steps, each in the same transaction as its record.

To change the schema: change the models, then add a step under the next number that
makes the same change to an existing database (playhouse.migrate's SchemaMigrator).
"""

from __future__ import annotations

from typing import Callable, Mapping

import peewee
from playhouse.migrate import SchemaMigrator

from shiptui import clock
from shiptui.errors import DatabaseUnavailable
from shiptui.storage.models import MODELS, SchemaVersion

Step = Callable[[SchemaMigrator, peewee.Database], None]

def _add_action_change_after_state(migrator: SchemaMigrator, db: peewee.Database) -> None:
    """The order's state after an undone action, for the audit trail (ActionChange.after_*)."""
    from playhouse.migrate import migrate as run

    run(*(
        migrator.add_column("action_change", f"after_{name}", peewee.DateField(null=True) if name == "shipped_on"
                            else peewee.TextField(null=True))
        for name in ("status", "shipped_on", "carrier", "tracking_number", "tracking_url")
    ))


# version -> the step that brings a database from version-1 to it. Version 1 is the
# first released schema and has no step.
STEPS: Mapping[int, Step] = {2: _add_action_change_after_state}

# Serialises migrations of several processes opening one PostgreSQL database at once.
_PG_MIGRATION_LOCK = 0x5348_4950


def latest_version(steps: Mapping[int, Step]) -> int:
    return max(steps, default=1)


def migrate(db: peewee.Database, steps: Mapping[int, Step] = STEPS) -> int:
    """Bring the schema to the latest version; returns the version it was at (0: new)."""
    latest = latest_version(steps)
    with db.atomic():
        if isinstance(db, peewee.PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_MIGRATION_LOCK,))
        db.create_tables([SchemaVersion], safe=True)
        current = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar() or 0
        if current == 0:
            db.create_tables(MODELS, safe=True)
            SchemaVersion.create(version=latest, applied_at=clock.stored_now(), fresh=True)
            return 0
        if current > latest:
            raise DatabaseUnavailable(
                f"this database has schema version {current}, made by a newer shiptui "
                f"(this one knows up to {latest}): upgrade shiptui"
            )
        migrator = SchemaMigrator.from_database(db)
        for version in range(current + 1, latest + 1):
            steps[version](migrator, db)
            SchemaVersion.create(version=version, applied_at=clock.stored_now())
        return current
