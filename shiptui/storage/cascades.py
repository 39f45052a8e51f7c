"""What the foreign keys of the action log and the outbox did when an order or an action
goes, done by triggers on delete instead.

`action_change` and `reminder` rows are written only by INSERT … SELECT from orders, under
an action begun in the same write transaction (services/actions.py, outbox.py): they name
an existing order and action by construction. A foreign key checks each row all the same
(PostgreSQL probes and locks the order and the action per row: 1.5 s of the 4.4 s that
marking 100,000 orders shipped took), so these tables have none; a delete of orders or
actions (a campaign's delete cascades to both) takes their rows with them here, once per
statement on PostgreSQL, as the keys' ON DELETE did. `order_search` is kept the same way
(storage/search.py).
"""

from __future__ import annotations

import peewee

# (table, what goes with its deleted rows): the ON DELETE of the keys that referenced it.
_CASCADES = (
    ("orders", ("DELETE FROM action_change WHERE order_id {gone}", "DELETE FROM reminder WHERE order_id {gone}")),
    ("action", ("DELETE FROM action_change WHERE action_id {gone}",
                "UPDATE reminder SET queued_by_id = NULL WHERE queued_by_id {gone}")),
)


def install(db: peewee.Database) -> None:
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for table, statements in _CASCADES:
        if postgres:
            body = " ".join(statement.format(gone="IN (SELECT id FROM gone);") for statement in statements)
            db.execute_sql(
                f"CREATE OR REPLACE FUNCTION shiptui_{table}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body} RETURN NULL; END $$")
            db.execute_sql(
                f'CREATE TRIGGER {table}_deleted AFTER DELETE ON "{table}" REFERENCING OLD TABLE AS gone '
                f"FOR EACH STATEMENT EXECUTE FUNCTION shiptui_{table}_deleted()")
        else:
            body = " ".join(statement.format(gone="= old.id;") for statement in statements)
            db.execute_sql(f'CREATE TRIGGER {table}_deleted AFTER DELETE ON "{table}" BEGIN {body} END')
