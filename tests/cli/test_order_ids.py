"""Order IDs for ship and wont-ship: on the command line, from standard input and from a
file; an ID that starts with - (which the command line would read as an option) too."""

from __future__ import annotations

import pytest

from shiptui.storage import Order, close_database, open_database
from tests.cli.test_commands import orders, shiptui

SLUG = "spring-serum-sampling"


@pytest.fixture
def dashed_db(db_location, make_campaign) -> str:
    """Orders SO-1, SO-2 and -X1, -X2 (as some shops number returns)."""
    open_database(db_location)
    make_campaign(2)
    for key in ("-X1", "-X2"):
        template = Order.get(Order.order_key == "SO-1")
        Order.create(campaign=template.campaign, member=template.member, product=template.product,
                     order_key=key, updated_at=template.updated_at, updated_by="seed")
    close_database()
    return db_location


def test_ids_that_start_with_a_dash_come_from_standard_input(dashed_db):
    result = shiptui(dashed_db, "ship", SLUG, "-", stdin="-X1\n\n-X2\n")
    assert result.returncode == 0 and result.stdout.startswith("2 marked shipped"), result.stderr
    assert orders(dashed_db)["-X2"]["status"] == "shipped"


def test_ids_come_from_a_file(dashed_db, tmp_path):
    listed = tmp_path / "returns.txt"
    listed.write_text("\ufeff-X1\r\nSO-2\r\n", encoding="utf-8")  # as Notepad saves it
    result = shiptui(dashed_db, "wont-ship", SLUG, "--from-file", str(listed))
    assert result.returncode == 0 and result.stdout.startswith("2 marked won't ship"), result.stderr
    assert {key: row["status"] for key, row in orders(dashed_db).items()} == {
        "-X1": "wont_ship", "-X2": "pending", "SO-1": "pending", "SO-2": "wont_ship"}


def test_from_file_dash_reads_standard_input_and_adds_to_the_command_line(dashed_db):
    result = shiptui(dashed_db, "ship", SLUG, "SO-1", "--from-file", "-", stdin="-X1\n")
    assert result.returncode == 0 and result.stdout.startswith("2 marked shipped"), result.stderr


@pytest.mark.parametrize("args, stdin, code, words", [
    ((), None, 2, "give the Order IDs, - to read them from standard input, or --from-file FILE"),
    (("--from-file", "missing.txt"), None, 1, "cannot read missing.txt: No such file or directory"),
    (("-",), "", 2, "give the Order IDs"),
])
def test_no_ids_or_an_unreadable_file_is_told(dashed_db, args, stdin, code, words):
    result = shiptui(dashed_db, "ship", SLUG, *args, stdin=stdin)
    assert result.returncode == code and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_utf8_is_told(dashed_db, tmp_path):
    listed = tmp_path / "ids.txt"
    listed.write_bytes(b"SO-1\n\xff\xfe\n")
    result = shiptui(dashed_db, "ship", SLUG, "--from-file", str(listed))
    assert result.returncode == 1 and f"{listed} is not UTF-8 text" in result.stderr
    assert orders(dashed_db)["SO-1"]["status"] == "pending"


def test_help_says_how_to_give_ids_that_start_with_a_dash(tmp_path):
    text = shiptui(str(tmp_path / "x.sqlite3"), "wont-ship", "--help").stdout
    assert "--from-file FILE" in text and "start with -" in " ".join(text.split())
