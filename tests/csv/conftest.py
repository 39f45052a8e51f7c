"""Fixtures of the CSV tests: the bad-input files of tests/csv/files, a campaign whose
orders those files name, and a full dump of the database to prove nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shiptui.storage import Campaign, Member, Order, Product
from shiptui.storage.models import MODELS
from tests.conftest import ship_to_of

FILES = Path(__file__).parent / "files"


def db_dump() -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal dumps mean an unchanged database."""
    return {
        model._meta.table_name: sorted(model.select().tuples(), key=repr)
        for model in MODELS
    }


def many_bad_rows(rows: int) -> str:
    """A file of `rows` bad rows: bad dates of known orders (found row by row) between
    unknown Order IDs (found after the last row)."""
    lines = [f"SO-{index % 6 + 1},02/30/2026,UPS,\n" if index % 2 else f"NO-{index},03/14/2026,UPS,\n"
             for index in range(rows)]
    return "Order ID,Shipped Date,Tracking Carrier,Tracking Number\n" + "".join(lines)


@pytest.fixture
def copy_file(tmp_path):
    """copy_file(name) -> a copy of tests/csv/files/NAME in a scratch folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(FILES / name, target)
        return target

    return copy


@pytest.fixture
def write_file(tmp_path):
    """write_file(name, text, encoding="utf-8") -> the path of a new file."""

    def write(name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return write


@pytest.fixture
def campaign(db, make_campaign) -> Campaign:
    """Pending orders SO-1 .. SO-6, and in another campaign the order OT-1."""
    campaign = make_campaign(6)
    other = make_campaign(0, name="Autumn Lipstick Sampling")
    template = Order.get(Order.order_key == "SO-1")
    member = Member.create(name="Olga Other", email="olga@example.com")
    Order.create(
        campaign=other, member=member, product=Product.get(), order_key="OT-1",
        updated_at=template.updated_at, updated_by="seed", **ship_to_of(member),
    )
    return campaign
