"""Bulk reads and inserts. Inserts at driver speed: peewee builds one SQL string per row set,
which costs more than the write itself at 100,000 rows. Reads streamed: a listing of a
million orders holds a batch of rows at a time, not all of them."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from itertools import islice
from typing import Iterable, Iterator, Sequence, TextIO

import peewee
from playhouse.postgres_ext import ServerSide

from shiptui.storage import search
from shiptui.storage.database import database, is_postgres
from shiptui.storage.models import BaseModel, Order, TargetId

PAGE_SIZE = 5000
COPY_ROWS = 5000  # rows per COPY: one buffer of text at a time (20,000 rows of orders hold 30 MB)


def insert_rows(model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> None:
    """INSERT every row (values in `fields` order) into `model`'s table, inside the caller's transaction."""
    db = database()
    if is_postgres(db):
        # COPY: the driver formats no SQL, the server parses no statement per page.
        rows = iter(rows)
        while chunk := list(islice(rows, COPY_ROWS)):
            copy_in(model, fields, io.StringIO(copy_lines(chunk)))
    else:
        table = f'"{model._meta.table_name}"'
        columns = ", ".join(f'"{field.column_name}"' for field in fields)
        placeholders = ", ".join("?" for _ in fields)
        db.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def copy_in(model: type[peewee.Model], fields: Sequence[peewee.Field], text: TextIO) -> None:
    """COPY `text` (lines of `copy_lines`, values in `fields` order) into `model`'s table (PostgreSQL)."""
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    database().cursor().copy_expert(f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN', text)


def copy_lines(rows: Iterable[Sequence]) -> str:
    """Rows in COPY's text format."""
    return "".join(map(_copy_line, rows))


def _copy_line(row: Sequence) -> str:
    """A row in COPY's text format. Most of its texts need no escaping and its numbers none:
    they are taken as they are, without a call each."""
    return "\t".join([
        value if type(value) is str and "\\" not in value and "\t" not in value and "\n" not in value
        and "\r" not in value else str(value) if type(value) is int else _copy_field(value) for value in row
    ]) + "\n"


def _copy_field(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def analyze(model: type[peewee.Model]) -> None:
    """Give PostgreSQL the size of a just-filled staging table: without it a join with a
    million staged rows is planned as one row (a million index lookups). Temporary tables
    are never analysed by autovacuum."""
    db = database()
    if is_postgres(db):
        db.execute_sql(f'ANALYZE "{model._meta.table_name}"')


def analyze_if_grown(model: type[peewee.Model]) -> None:
    """PostgreSQL: ANALYZE `model`'s table if it has grown by a tenth since its statistics
    were taken (autovacuum's rule, but now rather than a minute later). Rows of a new
    action are unknown to them: an undo of a ship of 1,000,000 orders, right after it,
    planned its look for later changes as a loop over the whole log for each change
    (stopped after 19 minutes); analysed, it is one hash join."""
    db = database()
    if not is_postgres(db):
        return
    table = model._meta.table_name
    (grown,) = db.execute_sql(
        "SELECT pg_relation_size(oid) / current_setting('block_size')::int > relpages * 1.1 + 1 "
        "FROM pg_class WHERE oid = %s::regclass", (table,)).fetchone()
    if grown:
        db.execute_sql(f'ANALYZE "{table}"')


class StagedKey(BaseModel):
    """Per-connection scratch table of keys (Order IDs, emails, SKUs) to join with."""

    key = peewee.TextField(primary_key=True)

    class Meta:
        table_name = "staged_key"
        temporary = True


def staged_keys(keys: Iterable[str]) -> type[StagedKey]:
    """`keys` (no repeats) staged to join with: PostgreSQL plans `IN (5000 values)` as a scan
    of the whole table, a join with an analysed table by the index. A key with a NUL names
    nothing stored (PostgreSQL text cannot hold one) and is left out."""
    # One transaction: outside one (a check), SQLite commits each row of the temporary
    # table on its own (5,000 keys: 117 ms instead of 17 ms).
    with database().atomic():
        stage(StagedKey, [StagedKey.key], ((key,) for key in keys if "\x00" not in key))
    return StagedKey


def staged_ids(order_ids: Iterable[int]) -> type[TargetId]:
    """Order ids staged in TargetId to join with, as `staged_keys` stages keys (inside
    the caller's write transaction)."""
    stage(TargetId, [TargetId.order_id], ((order_id,) for order_id in order_ids))
    return TargetId


def staged_ids_from(query: peewee.Select, leaving_out: Sequence[int] = ()) -> type[TargetId]:
    """The ids `query` selects, but `leaving_out`, staged in TargetId as `staged_ids` stages them."""
    with restaged(TargetId):
        TargetId.insert_from(query, [TargetId.order_id]).execute()
        for start in range(0, len(leaving_out), PAGE_SIZE):
            TargetId.delete().where(TargetId.order_id.in_(list(leaving_out[start : start + PAGE_SIZE]))).execute()
    return TargetId


def stage(table: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> None:
    """`rows` (values in `fields` order) in place of what the scratch `table` held (COPY on
    PostgreSQL), analysed for the planner."""
    with restaged(table):
        insert_rows(table, fields, rows)


@contextmanager
def restaged(table: type[peewee.Model]) -> Iterator[None]:
    """The scratch `table` (made if need be) emptied for the rows the body puts in, and
    analysed once they are in."""
    table.create_table(safe=True)
    table.delete().execute()
    yield
    analyze(table)


class KeyList(peewee.Source):
    """Keys (Order IDs, emails, SKUs) as a table `keys` of one column, `keys.value`, sent as
    one parameter: a JSON array read by json_each on SQLite, a text[] unnested on
    PostgreSQL. A check looks up its rows a batch at a time; a staged table costs each
    batch a write (and on PostgreSQL an ANALYZE) that outweighs the lookup.

    Join it first (`.from_(keys).join(Model, JOIN.CROSS)`): SQLite keeps a CROSS JOIN's
    order, so each key is looked up by index instead of every stored row being scanned
    once per batch. A key with a NUL names nothing stored (PostgreSQL text cannot hold
    one) and is left out."""

    def __init__(self, keys: Iterable[str]):
        super().__init__(alias="keys")
        kept = [key for key in keys if "\x00" not in key]
        db = database()
        if is_postgres(db):
            self._function = peewee.SQL(f"unnest({db.param}::text[]) AS keys (value)", [kept])
        else:
            self._function = peewee.SQL(f"json_each({db.param}) AS keys", [json.dumps(kept)])
        self.value = peewee.SQL("keys.value")

    def __sql__(self, ctx):
        return ctx.sql(self._function)


def fetched_by_keys(query: peewee.Select) -> list[tuple]:
    """The rows of a query that joins a KeyList first. PostgreSQL plans it with
    random_page_cost 1.1 (for this transaction only): at the default 4, a disk seek per
    page, 5,000 index look-ups seem dearer than a hash of every order of the campaign,
    once per batch (at 100,000 orders 207 ms a batch against 28 ms by the index)."""
    db = database()
    if not is_postgres(db):
        return db.execute(query).fetchall()
    with db.atomic():
        db.execute_sql("SET LOCAL random_page_cost = 1.1")
        return db.execute(query).fetchall()


def insert_order_rows(fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> None:
    """`insert_rows` into orders, whose search index then takes them in one statement."""
    with _reindexing_new_orders():
        insert_rows(Order, fields, rows)


def insert_orders_from(fields: Sequence[peewee.Field], query: peewee.Select) -> None:
    """INSERT INTO orders (`fields`) SELECT `query`; the search index takes them in one statement."""
    with _reindexing_new_orders():
        Order.insert_from(query, fields).execute()


def _reindexing_new_orders():
    last = Order.select(peewee.fn.MAX(Order.id)).scalar() or 0
    return search.bulk_reindex(Order.select(Order.id).where(Order.id > last))


def stream(query: peewee.Select) -> Iterator:
    """The rows of `query`, fetched a batch at a time and never all held at once.

    SQLite steps its cursor as rows are taken; PostgreSQL's driver would fetch the whole
    result first, so there the rows come through a server-side cursor.
    """
    if is_postgres(database()):
        yield from ServerSide(query, array_size=PAGE_SIZE)
    else:
        yield from query.iterator()
