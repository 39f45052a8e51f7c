"""Bulk reads and inserts. Inserts at driver speed: peewee builds one SQL string per row set,
which costs more than the write itself at 100,000 rows. Reads streamed: a listing of a
million orders holds a batch of rows at a time, not all of them."""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import peewee
from playhouse.postgres_ext import ServerSide

from shiptui.storage import search
from shiptui.storage.database import database, is_postgres
from shiptui.storage.models import Order

PAGE_SIZE = 5000


def insert_rows(model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> None:
    """INSERT every row (values in `fields` order) into `model`'s table, inside the caller's transaction."""
    db = database()
    table = f'"{model._meta.table_name}"'
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    cursor = db.cursor()
    if is_postgres(db):
        from psycopg2.extras import execute_values

        execute_values(cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=PAGE_SIZE)
    else:
        placeholders = ", ".join("?" for _ in fields)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def insert_order_rows(fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> None:
    """`insert_rows` into orders, whose search index then takes them in one statement."""
    last = Order.select(peewee.fn.MAX(Order.id)).scalar() or 0
    with search.bulk_reindex(Order.select(Order.id).where(Order.id > last)):
        insert_rows(Order, fields, rows)


def stream(query: peewee.Select) -> Iterator:
    """The rows of `query`, fetched a batch at a time and never all held at once.

    SQLite steps its cursor as rows are taken; PostgreSQL's driver would fetch the whole
    result first, so there the rows come through a server-side cursor.
    """
    if is_postgres(database()):
        yield from ServerSide(query, array_size=PAGE_SIZE)
    else:
        yield from query.iterator()
