"""The write transaction every action runs in: all or nothing, and one writer to a campaign at a time."""

from __future__ import annotations

from shiptui.storage.database import database, is_postgres
from shiptui.storage.models import Campaign


def write_transaction(campaign: Campaign):
    """One write transaction per action; writers to a campaign take turns.

    SQLite takes its write lock at BEGIN (IMMEDIATE); PostgreSQL locks the campaign row,
    and compiles none of the transaction's statements with JIT: a bulk statement runs its
    expressions once per row, and compiling them took longer (0.2-0.5 s a statement at
    100,000 orders) than it saved.
    """
    db = database()
    transaction = db.atomic()
    if is_postgres(db):
        return _LockedTransaction(transaction, campaign)
    return transaction


class _LockedTransaction:
    def __init__(self, transaction, campaign: Campaign):
        self._transaction = transaction
        self._campaign = campaign

    def __enter__(self):
        self._transaction.__enter__()
        try:
            Campaign.select(Campaign.id).where(Campaign.id == self._campaign.id).for_update().execute()
            database().execute_sql("SET LOCAL jit = off")
        except BaseException as error:  # a lock waited for too long: no `with` body, so no __exit__
            self._transaction.__exit__(type(error), error, error.__traceback__)
            raise
        return self._transaction

    def __exit__(self, *exc):
        return self._transaction.__exit__(*exc)
