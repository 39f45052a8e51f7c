"""The columns an order is found and sorted by, kept by the database itself.

`orders.search_text` holds the Order ID, ship-to name and the member's email, case- and
accent-folded, one per line; a search looks in it and in the tracking number (letters,
digits and hyphens: folding it is lower case) instead of joining members and scanning four
columns. `orders.sort_key` is the Order ID with every run of digits zero-padded, so SO-2
sorts before SO-10 by an index.

Both are written by triggers, so every statement that inserts an order or changes these
fields (ship, track, import, load, undo, a test's Order.create) keeps them right in the same
statement. Each of the two searched columns is indexed by trigrams in a table of its own:
`order_search` and `order_tracking_search`, pg_trgm's GIN on PostgreSQL, FTS5 trigram
tables on SQLite; where they are missing the columns are scanned. Two, because ship, track,
import and undo change tracking numbers only: they re-index those (none at all for the
orders that had none, as pending orders have) and leave the Order IDs, names and emails
as they were indexed. Tables of their own, because PostgreSQL writes a new entry in every
index of a row on each update of it: with the GIN on orders, marking 100,000 orders shipped
took 8.7 s instead of 2.9 s, for a column the status change leaves as it was.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import AbstractContextManager, contextmanager
from typing import Iterator
import unicodedata

import peewee

from shiptui.storage.models import Order, database_proxy

# Accented Latin letters -> their base letter (the characters of both cases, so a C-locale
# PostgreSQL, whose lower() leaves them, folds the same as Python).
_ACCENTED = "".join(
    char for char in map(chr, range(0xC0, 0x250))
    if len(base := unicodedata.normalize("NFKD", char)[:1]) == 1 and base != char and base.isascii()
    and base.isalpha()
)
_PLAIN = "".join(unicodedata.normalize("NFKD", char)[0].lower() for char in _ACCENTED)
_FOLD = str.maketrans(_ACCENTED, _PLAIN)

DIGIT_RUN_WIDTH = 20  # wider than any number in an Order ID; longer runs sort as they are
MIN_INDEXED = 3  # a trigram index answers queries of 3 characters and more
SEARCH_SEPARATOR = "\n"  # between the fields: a typed query never matches across two


def fold(text: str) -> str:
    """`text` in lower case without accents, as the search column holds it."""
    lower = text.lower()
    # translate() looks every character up (2 us an order): ASCII has no accents to drop.
    return lower if lower.isascii() else lower.translate(_FOLD)


def search_text(order_key: str, ship_name: str, email: str | None) -> str:
    return fold(SEARCH_SEPARATOR.join((order_key, ship_name, email or "")))


def derived_columns(order_key: str, ship_name: str, email: str) -> tuple[str, str]:
    """search_text and sort_key of a new order, for bulk inserts that give them (the
    triggers then skip working them out row by row)."""
    return search_text(order_key, ship_name, email), sort_key(order_key)


def sort_key(order_key: str) -> str:
    """The Order ID with its numbers zero-padded: compares in natural order as text."""
    return _DIGIT_RUN.sub(_padded, order_key)


_DIGIT_RUN = re.compile(r"\d+")


def _padded(run: re.Match) -> str:
    return run.group().rjust(DIGIT_RUN_WIDTH, "0")


# The SQLite functions the triggers call: a connection that writes orders needs them (the
# sqlite3 command-line tool cannot insert orders or change their searched fields). They
# stay: SQLite's SQL has no regular expressions for the sort key's padding and folds only
# ASCII case, so a pure-SQL trigger could not work either column out. The bulk statements
# do not pay for the calls: inserts give both columns (`derived_columns`), a change of status
# or tracking fires none, and FTS5 takes a bulk statement's orders at once (`bulk_reindex`).
# What bulk writes pay is FTS5's trigram index itself (see bench_bulk's build step against a
# bare insert without it).
_SQLITE_FUNCTIONS = (
    ("shiptui_search_text", 3, search_text, True), ("shiptui_sort_key", 1, sort_key, True),
)


def register_functions(db: peewee.SqliteDatabase) -> None:
    """On every connection peewee opens."""
    for name, arguments, function, deterministic in _SQLITE_FUNCTIONS:
        db.register_function(function, name, arguments, deterministic=deterministic)


def register_sqlite_functions(connection: sqlite3.Connection) -> None:
    """On a plain sqlite3 connection (a benchmark's, a script's) that writes orders."""
    for name, arguments, function, deterministic in _SQLITE_FUNCTIONS:
        connection.create_function(name, arguments, function, deterministic=deterministic)


def install(db: peewee.Database) -> None:
    """Create the functions, triggers and index, and fill both columns of existing orders."""
    if isinstance(db, peewee.PostgresqlDatabase):
        _install_postgres(db)
    else:
        _install_sqlite(db)


_TRIGGERS = (
    "orders_derived_insert", "orders_derived_update", "order_search_insert", "order_search_update",
    "order_search_delete", "order_tracking_search_insert", "order_tracking_search_update",
)


def reinstall(db: peewee.Database) -> None:
    """The index of an older schema, whatever its shape, made again as `install` makes it."""
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for trigger in _TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON orders" if postgres else ""))
    if postgres:
        db.execute_sql("DROP INDEX IF EXISTS orders_search_trgm")
    db.execute_sql("DROP TABLE IF EXISTS order_search")
    db.execute_sql("DROP TABLE IF EXISTS order_tracking_search")
    install(db)


def has_trigram_index(db: peewee.Database) -> bool:
    if isinstance(db, peewee.PostgresqlDatabase):
        return bool(db.execute_sql("SELECT to_regclass('order_search_trgm')").fetchone()[0])
    return db.table_exists("order_search")


_DERIVE = (
    "UPDATE orders SET search_text = shiptui_search_text(new.order_key, new.ship_name, "
    "(SELECT email FROM member WHERE id = new.member_id)), sort_key = shiptui_sort_key(new.order_key) "
    "WHERE id = new.id;"
)
# The FTS5 tables index an orders column each, without a copy of it (external content): the
# triggers tell them each old and new value. An empty value has nothing to index and is left
# out, so a pending order's tracking number costs neither an entry nor its removal.
# Each index as (FTS5 table, orders column):
_SEARCHED = ("order_search", "search_text")
_TRACKED = ("order_tracking_search", "tracking_number")


def _fts_remove(table: str, column: str) -> str:
    return (f"INSERT INTO {table} ({table}, rowid, {column}) "
            f"SELECT 'delete', old.id, old.{column} WHERE old.{column} <> '';")


def _fts_add(table: str, column: str) -> str:
    return f"INSERT INTO {table} (rowid, {column}) SELECT new.id, new.{column} WHERE new.{column} <> '';"


# Only a row whose fields changed is worked out again.
_CHANGED = "(" + " OR ".join(
    f"old.{column} {{different}} new.{column}" for column in ("order_key", "ship_name", "member_id")
) + ")"


def _sqlite_triggers(fts: bool) -> list[str]:
    triggers = [
        # A bulk insert gives both columns (see `derived_columns`).
        f"CREATE TRIGGER orders_derived_insert AFTER INSERT ON orders WHEN new.sort_key = '' BEGIN {_DERIVE} END",
        "CREATE TRIGGER orders_derived_update AFTER UPDATE OF order_key, ship_name, member_id ON orders "
        f"WHEN {_CHANGED.format(different='IS NOT')} BEGIN {_DERIVE} END",
    ]
    if fts:
        # Row by row, FTS5 flushes its buffer at every trigger's savepoint (~40 us a row):
        # bulk statements go without these and index their orders in one statement
        # (`bulk_reindex`). The names are `_PER_ROW`'s.
        triggers += [
            # An order inserted without its columns is indexed when the trigger above sets them.
            "CREATE TRIGGER order_search_insert AFTER INSERT ON orders "
            f"WHEN new.sort_key <> '' BEGIN {_fts_add(*_SEARCHED)} END",
            "CREATE TRIGGER order_search_update AFTER UPDATE OF search_text ON orders "
            f"BEGIN {_fts_remove(*_SEARCHED)} {_fts_add(*_SEARCHED)} END",
            "CREATE TRIGGER order_tracking_search_insert AFTER INSERT ON orders WHEN new.tracking_number <> '' "
            f"BEGIN {_fts_add(*_TRACKED)} END",
            "CREATE TRIGGER order_tracking_search_update AFTER UPDATE OF tracking_number ON orders "
            "WHEN old.tracking_number IS NOT new.tracking_number "
            f"BEGIN {_fts_remove(*_TRACKED)} {_fts_add(*_TRACKED)} END",
            f"CREATE TRIGGER order_search_delete AFTER DELETE ON orders "
            f"BEGIN {_fts_remove(*_SEARCHED)} {_fts_remove(*_TRACKED)} END",
        ]
    return triggers


def bulk_reindex(order_ids: peewee.Select) -> AbstractContextManager[None]:
    """Around a statement that inserts many orders or changes any of their searched fields
    (`order_ids`: a query of their ids, the same before and after): SQLite's FTS indexes
    take them in one statement each way instead of a row at a time. PostgreSQL's GIN
    indexes need nothing."""
    return _reindexing(order_ids, (_SEARCHED, _TRACKED))


def tracking_reindex(order_ids: peewee.Select) -> AbstractContextManager[None]:
    """`bulk_reindex` around a statement that changes tracking numbers and no other
    searched field: only they are indexed again."""
    return _reindexing(order_ids, (_TRACKED,))


# The triggers that index each FTS5 table a row at a time (`_sqlite_triggers`).
_PER_ROW = {
    "order_search": ("order_search_insert", "order_search_update"),
    "order_tracking_search": ("order_tracking_search_insert", "order_tracking_search_update"),
}


@contextmanager
def _reindexing(order_ids: peewee.Select, indexes: tuple[tuple[str, str], ...]) -> Iterator[None]:
    db = database_proxy.obj
    if isinstance(db, peewee.PostgresqlDatabase) or not has_trigram_index(db):
        yield
        return
    sql, parameters = order_ids.sql()
    names = [name for table, _ in indexes for name in _PER_ROW[table]]
    # The bulk statement runs without the per-row triggers, dropped in its transaction and
    # made again from their own text before it ends (a rollback restores them too; other
    # connections never see them gone). Merely told to do nothing (a WHEN calling a Python
    # flag), they still ran for every row: a tenth of the CPU time of an import's UPDATE
    # of 100,000 orders (0.31 -> 0.27 s).
    with db.atomic():
        triggers = db.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' * len(names))})",
            names).fetchall()
        for table, column in indexes:
            _buffer_bulk_statements(db, table)
            db.execute_sql(f"INSERT INTO {table} ({table}, rowid, {column}) SELECT 'delete', id, {column} "
                           f"FROM orders WHERE id IN ({sql}) AND {column} <> ''", parameters)
        for name, _ in triggers:
            db.execute_sql(f"DROP TRIGGER {name}")
        yield
        for _, trigger in triggers:
            db.execute_sql(trigger)
        for table, column in indexes:
            db.execute_sql(f"INSERT INTO {table} (rowid, {column}) SELECT id, {column} FROM orders "
                           f"WHERE id IN ({sql}) AND {column} <> ''", parameters)


def drop_per_row_pause(db: peewee.Database) -> None:
    """SQLite's per-row FTS triggers of an older schema, which asked a Python function on
    every row whether a bulk statement paused them, made again without it."""
    if isinstance(db, peewee.PostgresqlDatabase) or not has_trigram_index(db):
        return
    per_row = {name for names in _PER_ROW.values() for name in names}
    for trigger in _sqlite_triggers(True):
        if (name := trigger.split()[2]) in per_row:
            db.execute_sql(f"DROP TRIGGER {name}")
            db.execute_sql(trigger)


# The terms FTS5 gathers in memory before it writes them out as a segment (its default 1 MB):
# a bulk statement's orders in a few segments instead of dozens, which it then merges.
# 100,000 new orders indexed in 0.24-0.32 s instead of 0.37-0.48 s.
FTS_BUFFER_BYTES = 16 * 1024 * 1024


def _buffer_bulk_statements(db: peewee.Database, table: str) -> None:
    """FTS5 keeps the setting in its own config table (set again, it writes nothing new)."""
    try:
        db.execute_sql(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {FTS_BUFFER_BYTES})")
    except peewee.OperationalError:  # an SQLite older than the setting: its default buffer
        pass


def _sqlite_has_trigram(db: peewee.Database) -> bool:
    try:
        db.execute_sql("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except peewee.OperationalError:  # built without FTS5, or older than 3.34
        return False
    db.execute_sql("DROP TABLE temp.trigram_probe")
    return True


def _install_sqlite(db: peewee.Database) -> None:
    fts = _sqlite_has_trigram(db)
    db.execute_sql(
        "UPDATE orders SET search_text = shiptui_search_text(order_key, ship_name, "
        "(SELECT email FROM member WHERE id = member_id)), sort_key = shiptui_sort_key(order_key)"
    )
    if fts:
        for table, column in (_SEARCHED, _TRACKED):
            # With positions (detail=full, a third more to write than none): a phrase query
            # answers from the index alone. Without, a LIKE is checked against every order
            # holding the trigrams, 8x slower: 175 ms for a word in every order of 100,000.
            db.execute_sql(f"CREATE VIRTUAL TABLE {table} USING fts5({column}, content='orders', "
                           "content_rowid='id', tokenize='trigram')")
            db.execute_sql(f"INSERT INTO {table} (rowid, {column}) SELECT id, {column} FROM orders "
                           f"WHERE {column} <> ''")
    for trigger in _sqlite_triggers(fts):
        db.execute_sql(trigger)


def _postgres_functions() -> str:
    accented = _ACCENTED.replace("'", "''")
    return f"""
-- translate() walks its list of accented letters for every character (13 us an order): an
-- ASCII text (as many bytes as characters) has none of them.
CREATE OR REPLACE FUNCTION shiptui_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN octet_length($1) = length($1) THEN lower($1)
                  ELSE translate(lower($1), '{accented}', '{_PLAIN}') END $$;

CREATE OR REPLACE FUNCTION shiptui_sort_key(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(string_agg(CASE WHEN part[1] ~ '^[0-9]' AND length(part[1]) < {DIGIT_RUN_WIDTH}
                                      THEN lpad(part[1], {DIGIT_RUN_WIDTH}, '0') ELSE part[1] END,
                                 '' ORDER BY n), '')
      FROM regexp_matches($1, '([0-9]+|[^0-9]+)', 'g') WITH ORDINALITY AS runs(part, n) $$;

CREATE OR REPLACE FUNCTION shiptui_orders_derived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := shiptui_fold(concat_ws(E'\\n', NEW.order_key, NEW.ship_name,
                                            (SELECT email FROM member WHERE id = NEW.member_id)));
  -- Its regular expression is the costly part: not again for a new name.
  IF TG_OP = 'INSERT' OR NEW.order_key IS DISTINCT FROM OLD.order_key THEN
    NEW.sort_key := shiptui_sort_key(NEW.order_key);
  END IF;
  RETURN NEW;
END $$;
"""


_POSTGRES_UPDATE_TRIGGER = (
    "CREATE TRIGGER orders_derived_update BEFORE UPDATE OF order_key, ship_name, member_id "
    f"ON orders FOR EACH ROW WHEN ({_CHANGED.format(different='IS DISTINCT FROM')}) "
    "EXECUTE FUNCTION shiptui_orders_derived()"
)


def _install_postgres(db: peewee.Database) -> None:
    db.execute_sql(_postgres_functions())
    db.execute_sql(
        "UPDATE orders SET search_text = shiptui_fold(concat_ws(E'\\n', order_key, ship_name, "
        "member.email)), sort_key = shiptui_sort_key(order_key) FROM member WHERE member.id = orders.member_id"
    )
    db.execute_sql(
        # A bulk insert gives both columns (see derived_columns): no call a row then.
        "CREATE TRIGGER orders_derived_insert BEFORE INSERT ON orders "
        "FOR EACH ROW WHEN (NEW.sort_key = '') EXECUTE FUNCTION shiptui_orders_derived()"
    )
    db.execute_sql(_POSTGRES_UPDATE_TRIGGER)
    _install_postgres_trigram_table(db)


def _statement_trigger(event: str, rows: str, statements: str) -> str:
    """A trigger on orders run once per statement, with its rows as the tables named in `rows`.

    The planner has no statistics of those tables and guesses their joins at millions of
    rows: JIT compiling took 0.6 s of the 1.3 s the trigger spent on a status change of
    100,000 orders, and the sorts spilled to disk. Without JIT, and with the memory to sort
    them, it takes 0.2 s."""
    return f"""
CREATE OR REPLACE FUNCTION shiptui_order_search_{event.lower()}() RETURNS trigger LANGUAGE plpgsql
SET jit = off SET work_mem = '64MB' AS $$
BEGIN {statements} RETURN NULL; END $$;
CREATE TRIGGER order_search_{event.lower()} AFTER {event} ON orders REFERENCING {rows}
  FOR EACH STATEMENT EXECUTE FUNCTION shiptui_order_search_{event.lower()}();
"""


# What an update of orders does to the two tables. An order has a row in
# order_tracking_search exactly while it has a tracking number, so one that had none (a
# pending order given its first) gets a plain INSERT: an INSERT … ON CONFLICT of all of
# them cost 0.1 s more per 100,000 tracking numbers.
_POSTGRES_UPDATED = """
  WITH changed AS (
    SELECT new_rows.id, new_rows.search_text, new_rows.tracking_number, old_rows.tracking_number AS old_tracking,
           old_rows.search_text <> new_rows.search_text AS text_changed
    FROM old_rows JOIN new_rows USING (id)
    WHERE old_rows.search_text <> new_rows.search_text OR old_rows.tracking_number <> new_rows.tracking_number
  ), texts AS (
    UPDATE order_search SET search_text = changed.search_text FROM changed
    WHERE order_search.order_id = changed.id AND changed.text_changed
  ), untracked AS (
    DELETE FROM order_tracking_search USING changed
    WHERE order_tracking_search.order_id = changed.id AND changed.tracking_number = '' AND changed.old_tracking <> ''
  ), retracked AS (
    UPDATE order_tracking_search SET search_text = shiptui_fold(changed.tracking_number) FROM changed
    WHERE order_tracking_search.order_id = changed.id AND changed.old_tracking <> '' AND changed.tracking_number <> ''
      AND order_tracking_search.search_text <> shiptui_fold(changed.tracking_number)
  )
  INSERT INTO order_tracking_search (order_id, search_text)
    SELECT id, shiptui_fold(tracking_number) FROM changed WHERE old_tracking = '' AND tracking_number <> '';"""
_POSTGRES_SEARCH_UPDATE_TRIGGER = _statement_trigger("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", _POSTGRES_UPDATED)


def reinstall_postgres_update_trigger(db: peewee.Database) -> None:
    """The update trigger of a database whose trigram tables an older shiptui made, as
    `install` makes it now (the tables and their rows stay as they are)."""
    if not isinstance(db, peewee.PostgresqlDatabase) or not has_trigram_index(db):
        return
    db.execute_sql("DROP TRIGGER order_search_update ON orders")
    db.execute_sql(_POSTGRES_SEARCH_UPDATE_TRIGGER)


# The copies of orders.search_text and of the tracking numbers (folded; only orders that
# have one) that the GIN indexes are on, kept by orders' triggers once per statement (a
# trigger per row costs 3 s for an import of 100,000 tracking numbers). An update compares
# each order's old and new row once: a status change writes neither table.
_POSTGRES_TRIGRAM_TABLE = """
CREATE TABLE order_search (order_id integer PRIMARY KEY, search_text text NOT NULL);
INSERT INTO order_search (order_id, search_text) SELECT id, search_text FROM orders;
CREATE INDEX order_search_trgm ON order_search USING gin (search_text gin_trgm_ops);
CREATE TABLE order_tracking_search (order_id integer PRIMARY KEY, search_text text NOT NULL);
INSERT INTO order_tracking_search (order_id, search_text)
  SELECT id, shiptui_fold(tracking_number) FROM orders WHERE tracking_number <> '';
CREATE INDEX order_tracking_search_trgm ON order_tracking_search USING gin (search_text gin_trgm_ops);
""" + _statement_trigger("INSERT", "NEW TABLE AS added", """
  INSERT INTO order_search (order_id, search_text) SELECT id, search_text FROM added;
  INSERT INTO order_tracking_search (order_id, search_text)
    SELECT id, shiptui_fold(tracking_number) FROM added WHERE tracking_number <> '';""",
) + _POSTGRES_SEARCH_UPDATE_TRIGGER + _statement_trigger("DELETE", "OLD TABLE AS gone", """
  DELETE FROM order_search WHERE order_id IN (SELECT id FROM gone);
  DELETE FROM order_tracking_search WHERE order_id IN (SELECT id FROM gone);""")


def _install_postgres_trigram_table(db: peewee.Database) -> None:
    # pg_trgm ships with PostgreSQL but a database owner may not be allowed to add it:
    # then searches scan the one column.
    try:
        with db.atomic():
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except peewee.DatabaseError:
        return
    db.execute_sql(_POSTGRES_TRIGRAM_TABLE)


def move_trigram_index_off_orders(db: peewee.Database) -> None:
    """A database of schema 8: PostgreSQL's trigram index moves from orders to a table of
    its own (SQLite's FTS5 table is one already), and the update trigger leaves the search
    column to a statement that gives it."""
    db.execute_sql("DROP TRIGGER orders_derived_update" + (" ON orders" if isinstance(db, peewee.PostgresqlDatabase) else ""))
    if not isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(next(trigger for trigger in _sqlite_triggers(False) if "orders_derived_update" in trigger))
        return
    db.execute_sql(_postgres_functions())
    db.execute_sql(_POSTGRES_UPDATE_TRIGGER)
    if db.execute_sql("SELECT to_regclass('orders_search_trgm')").fetchone()[0]:
        db.execute_sql("DROP INDEX orders_search_trgm")
        _install_postgres_trigram_table(db)


# A search with at most this many matches (in the whole database: counting a campaign's
# would read every match of a common text) gets them from its trigram index, and a first
# page sorts the campaign's; with more, walking the campaign in sort order and testing each
# order fills the page sooner. At 1,000,000 orders, reading 5,000 matches takes 1 ms
# (SQLite) / 25 ms (PostgreSQL) and sorting them 10 ms; a walk visits 200 orders for each
# 1 in 200 that match: 40,000 (50-60 ms) at worst, 6,000 for "müller". Where a campaign or
# a status filter holds few of many matches, the walk reads the whole campaign (1.5 s at
# 1M), still less than sorting a million matches would.
FEW_MATCHES = 5000


def matching(text: str) -> peewee.Expression:
    """The condition on Order of the orders whose search column or tracking number holds `text`."""
    db = database_proxy.obj
    folded = _folded(db, text)
    if len(folded) >= MIN_INDEXED and has_trigram_index(db):
        return Order.id.in_(_indexed(db, folded, every=True))
    # No trigram in the text: the index would return every order. Hidden from the planner,
    # the columns are read in the order the caller walks (Order ID), so a first page comes
    # without reading them all.
    return _tested(db, folded, hidden=len(folded) < MIN_INDEXED)


def first_matching(text: str) -> peewee.Expression:
    """`matching(text)` for a query of the first few matches in sort order, a search's first
    page: with few matches, their ids (read from the trigram index); with many, a test of
    each order that the query walking them in sort order stops making once its page is full."""
    db = database_proxy.obj
    folded = _folded(db, text)
    if len(folded) < MIN_INDEXED or not has_trigram_index(db):
        return matching(text)
    lookup = peewee.NodeList((peewee.SQL("SELECT id FROM"), _indexed(db, folded), peewee.SQL("AS found LIMIT"),
                              FEW_MATCHES + 1))
    ids = {order_id for (order_id,) in db.execute_sql(*db.get_sql_context().sql(lookup).query())}
    if len(ids) <= FEW_MATCHES:
        return Order.id.in_(sorted(ids))
    # Visible to the planner: PostgreSQL's statistics of the column tell it that matches
    # are common, so it walks the sort index instead of sorting them all.
    return _tested(db, folded, hidden=False)


def _folded(db: peewee.Database, text: str) -> str:
    if isinstance(db, peewee.PostgresqlDatabase):
        # Folded by the same function as the column, whatever the server's lower() does.
        return db.execute_sql("SELECT shiptui_fold(%s)", (text,)).fetchone()[0]
    return fold(text)


def _indexed(db: peewee.Database, folded: str, every: bool = False) -> peewee.SQL:
    """A subquery of the ids (as `id`) of the orders the trigram indexes find `folded` in;
    `every`: for a query that reads them all, not the first few."""
    if isinstance(db, peewee.PostgresqlDatabase):
        pattern = _like_pattern(folded)
        # Of a UNION ALL, PostgreSQL guesses 200 distinct ids and probes the orders once per
        # match: 26 s for a million. Of a UNION it knows the count and hashes (3.8 s). A
        # first few are read without the UNION's pass over every match.
        union = "UNION" if every else "UNION ALL"
        return peewee.SQL(
            f"(SELECT order_id AS id FROM order_search WHERE search_text LIKE %s ESCAPE '\\' {union} "
            "SELECT order_id FROM order_tracking_search WHERE search_text LIKE %s ESCAPE '\\')",
            [pattern, pattern])
    # A trigram phrase query is a substring match; FTS5 quotes " by doubling it. The
    # tokenizer folds the tracking numbers' case (ASCII: letters, digits, hyphens).
    phrase = '"' + folded.replace('"', '""') + '"'
    return peewee.SQL(
        "(SELECT rowid AS id FROM order_search WHERE order_search MATCH ? UNION ALL "
        "SELECT rowid FROM order_tracking_search WHERE order_tracking_search MATCH ?)", [phrase, phrase])


def _tested(db: peewee.Database, folded: str, hidden: bool) -> peewee.Expression:
    """The orders' own columns tested for `folded`, as the indexes find it."""
    pattern = _like_pattern(folded)
    # The tracking numbers as their index holds them.
    tracking = peewee.fn.shiptui_fold if isinstance(db, peewee.PostgresqlDatabase) else peewee.fn.lower
    columns = [Order.search_text, tracking(Order.tracking_number)]
    if hidden:
        columns[0] = peewee.NodeList((Order.search_text, peewee.SQL("|| ''")))
    return peewee.NodeList([
        peewee.NodeList((column, peewee.SQL("LIKE"), pattern, peewee.SQL("ESCAPE '\\'"))) for column in columns
    ], glue=" OR ", parens=True)


def _like_pattern(folded: str) -> str:
    return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
