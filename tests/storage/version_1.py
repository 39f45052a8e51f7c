"""A database of the first released schema (version 1) as shiptui 0.1 made it, the
starting point of the migration tests. The schema is kept as the SQL that version wrote
(`schema_v1/`), not as models, so that later changes to the models cannot change it."""

from __future__ import annotations

from pathlib import Path

import peewee
from playhouse.db_url import connect

SCHEMA = Path(__file__).parent / "schema_v1"

# One campaign with its own reminder template, three members (US, AT, DE), an order each.
VERSION_1_ROWS = (
    "INSERT INTO campaign (id, name, slug, reminder_delay_days, created_at, "
    "reminder_subject_template, reminder_body_template) "
    "VALUES (1, 'Spring', 'spring', 7, '2026-01-01 00:00:00', 'Review $product', 'Hi $member_name')",
    "INSERT INTO product (id, name, sku) VALUES (1, 'Hydra Glow Serum', 'HGS-030')",
    *(
        "INSERT INTO member (id, name, email, address_line1, address_line2, city, region, "
        f"postal_code, country, locale) VALUES ({n}, 'M{n}', 'm{n}@example.com', '1 Main St', '', "
        f"'Town', '', '12345', '{country}', '')"
        for n, country in ((1, "US"), (2, "AT"), (3, "DE"))
    ),
    *(
        "INSERT INTO orders (id, campaign_id, member_id, product_id, quantity, order_key, status, "
        "shipped_on, carrier, tracking_number, tracking_url, version, updated_at, updated_by) "
        f"VALUES ({n}, 1, {n}, 1, 1, 'SO-{n}', 'pending', NULL, '', '', '', 1, '2026-01-01 00:00:00', 'seed')"
        for n in (1, 2, 3)
    ),
)


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
