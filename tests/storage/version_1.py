"""A database of the first released schema (version 1) as shiptui 0.1 made it, the
starting point of the migration tests. The schema is kept as the SQL that version wrote
(`schema_v1/`), not as models, so that later changes to the models cannot change it."""

from __future__ import annotations

from pathlib import Path

import peewee
from playhouse.db_url import connect

SCHEMA = Path(__file__).parent / "schema_v1"


def create_version_1(location: str, *rows: str) -> None:
    """Make the empty database at `location` (a SQLite path or a PostgreSQL URL) a
    version-1 database, holding what the `rows` statements insert."""
    db = connect(location) if "://" in location else peewee.SqliteDatabase(location)
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    sql = (SCHEMA / ("postgresql.sql" if postgres else "sqlite.sql")).read_text()
    db.connect()
    try:
        if postgres:
            with db.atomic():
                db.cursor().execute(sql)
        else:
            db.connection().executescript(sql)
        db.execute_sql(
            "INSERT INTO schema_version (version, applied_at, fresh) "
            "VALUES (1, '2026-01-01 00:00:00', FALSE)"
        )
        for statement in rows:
            db.execute_sql(statement)
    finally:
        db.close()
