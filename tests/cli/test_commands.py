"""The command line as an operator uses it from the shell: real processes, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shiptui.storage import Reminder, ReminderStatus, close_database, open_database


def shiptui(db: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shiptui", "--db", db, *args],
        capture_output=True, text=True, input=stdin, timeout=120,
    )


@pytest.fixture
def campaign_db(db_location, make_campaign) -> str:
    """A database with campaign spring-serum-sampling, orders SO-1..SO-4."""
    open_database(db_location)
    make_campaign(4)
    close_database()
    return db_location


def orders(db: str, *extra: str) -> dict[str, dict]:
    result = shiptui(db, "orders", "spring-serum-sampling", "--json", *extra)
    assert result.returncode == 0, result.stderr
    return {row["order_id"]: row for row in json.loads(result.stdout)}


def test_ship_twice_queues_one_reminder(campaign_db):
    first = shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1", "SO-2")
    assert (first.returncode, first.stdout) == (0, "2 marked shipped · 2 reminders queued\n")

    second = shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1")
    assert second.returncode == 0
    assert second.stdout == (
        "0 marked shipped · 1 already shipped, skipped\n"
        "  skipped SO-1: already shipped on 03/16/2026\n"
    )
    listed = orders(campaign_db)
    assert listed["SO-1"]["status"] == "shipped" and listed["SO-1"]["shipped_on"] == "2026-03-16"
    assert listed["SO-1"]["reminder"] == "queued"
    assert listed["SO-3"]["reminder"] == "none"


def test_a_ship_that_skips_many_names_the_first_twenty_of_each_reason_and_counts_the_rest(db_location, make_campaign):
    open_database(db_location)
    make_campaign(45)
    close_database()
    keys = "\n".join(f"SO-{number}" for number in range(1, 46))
    assert shiptui(db_location, "wont-ship", "spring-serum-sampling", "-", stdin=keys).returncode == 0
    assert shiptui(db_location, "ship", "spring-serum-sampling", "SO-45").returncode == 0  # won't ship reversed
    result = shiptui(db_location, "wont-ship", "spring-serum-sampling", "-", stdin=keys)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "0 marked won't ship · 1 already shipped, skipped · 44 already won't ship, skipped"
    assert lines[1].startswith("  skipped SO-45: shipped on 03/16/2026")
    assert lines[2:] == [
        *(f"  skipped SO-{number}: already marked won't ship" for number in range(1, 21)),  # in Order ID order
        "  … and 24 more skipped: already won't ship",
    ]


def test_wont_ship_then_ship_is_shipped_today(campaign_db):
    assert shiptui(campaign_db, "wont-ship", "spring-serum-sampling", "SO-3").stdout == "1 marked won't ship\n"
    assert orders(campaign_db)["SO-3"]["status"] == "wont_ship"
    assert shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-3").returncode == 0
    assert (orders(campaign_db)["SO-3"]["status"], orders(campaign_db)["SO-3"]["shipped_on"]) == ("shipped", "2026-03-16")


def test_wont_ship_of_a_shipped_order_is_skipped_with_its_reason(campaign_db):
    shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1")
    result = shiptui(campaign_db, "wont-ship", "spring-serum-sampling", "SO-1")
    assert result.returncode == 0
    assert "skipped SO-1: shipped on 03/16/2026: a shipped order is not marked won't ship" in result.stdout
    assert orders(campaign_db)["SO-1"]["status"] == "shipped"


def test_an_unknown_order_id_rejects_the_whole_command(campaign_db):
    before = orders(campaign_db)
    result = shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1", "SO-99")
    assert result.returncode == 1
    assert "unknown Order ID in campaign spring-serum-sampling: SO-99; nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert orders(campaign_db) == before


def test_undo_puts_the_order_back_and_cancels_its_reminder(campaign_db):
    shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1")
    result = shiptui(campaign_db, "undo", "spring-serum-sampling")
    assert result.returncode == 0
    assert "1 order restored · 1 reminder cancelled" in result.stdout
    row = orders(campaign_db)["SO-1"]
    assert (row["status"], row["shipped_on"], row["reminder"]) == ("pending", None, "cancelled")
    again = shiptui(campaign_db, "undo", "spring-serum-sampling")
    assert again.returncode == 1 and "nothing to undo" in again.stderr


def test_undo_names_the_first_reminders_already_sent_and_counts_the_rest(db_location, make_campaign):
    open_database(db_location)
    make_campaign(25)
    close_database()
    shiptui(db_location, "ship", "spring-serum-sampling", *(f"SO-{n}" for n in range(1, 26)))
    open_database(db_location)
    Reminder.update(status=ReminderStatus.SENT).execute()
    close_database()

    result = shiptui(db_location, "undo", "spring-serum-sampling")

    assert result.returncode == 0, result.stderr
    assert "25 orders restored · 25 reminders already sent" in result.stdout
    names = ", ".join(f"SO-{n}" for n in range(1, 21))
    assert f"reminder already sent for: {names} and 5 more" in result.stdout


def test_track_normalises_and_fills_the_carrier_page(campaign_db):
    result = shiptui(campaign_db, "track", "spring-serum-sampling", "SO-2", "--number", "1z999aa10123456784",
                     "--carrier", "united parcel service")
    assert result.returncode == 0, result.stderr
    row = orders(campaign_db)["SO-2"]
    assert (row["carrier"], row["tracking_number"], row["tracking_url"]) == (
        "UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784")
    bad = shiptui(campaign_db, "track", "spring-serum-sampling", "SO-2", "--number", "1Z999AA10123456784",
                  "--url", "javascript:alert(1)")
    assert bad.returncode == 1 and "not an absolute http(s) address" in bad.stderr


def test_track_without_carrier_takes_it_from_the_number_and_warns_of_a_wrong_one(campaign_db):
    result = shiptui(campaign_db, "track", "spring-serum-sampling", "SO-3", "--number", "1Z5R89390357567127")
    assert result.returncode == 0, result.stderr
    assert "carrier UPS told by the number" in result.stdout
    assert orders(campaign_db)["SO-3"]["carrier"] == "UPS"
    wrong = shiptui(campaign_db, "track", "spring-serum-sampling", "SO-4", "--number", "1Z5R89390357567127",
                    "--carrier", "FedEx")
    assert wrong.returncode == 0
    assert "it is a valid UPS number: check the carrier" in wrong.stdout


def test_order_ids_can_come_from_standard_input(campaign_db):
    result = shiptui(campaign_db, "ship", "spring-serum-sampling", "-", stdin="SO-1\nSO-4\n\n")
    assert result.stdout.startswith("2 marked shipped")


def test_json_listings_have_snake_case_keys(campaign_db):
    row = orders(campaign_db, "--status", "pending")["SO-1"]
    assert list(row) == ["order_id", "member_name", "email", "product", "status", "shipped_on",
                         "carrier", "tracking_number", "tracking_url", "reminder", "language"]
    campaigns = json.loads(shiptui(campaign_db, "campaigns", "--json").stdout)
    assert campaigns == [{"name": "Spring Serum Sampling", "slug": "spring-serum-sampling",
                          "reminder_delay_days": 7, "pending": 4, "shipped": 0, "wont_ship": 0, "total": 4}]


def test_new_campaign_prints_its_slug(db_location):
    result = shiptui(db_location, "new-campaign", "Herbst Proben", "--reminder-delay-days", "3")
    assert (result.returncode, result.stdout) == (0, "herbst-proben\n")


def test_new_campaign_refuses_a_name_taken_in_another_case(campaign_db):
    again = shiptui(campaign_db, "new-campaign", "spring serum SAMPLING")
    assert again.returncode == 1 and again.stdout == ""
    assert "there is a campaign 'Spring Serum Sampling' already (slug spring-serum-sampling)" in again.stderr
    assert len(json.loads(shiptui(campaign_db, "campaigns", "--json").stdout)) == 1


def test_usage_errors_exit_2_and_rejections_exit_1(campaign_db, tmp_path):
    assert shiptui(campaign_db, "ship").returncode == 2
    assert shiptui(campaign_db, "orders", "spring-serum-sampling", "--status", "lost").returncode == 2
    unknown = shiptui(campaign_db, "orders", "nope")
    assert unknown.returncode == 1 and "known campaigns: spring-serum-sampling" in unknown.stderr
    not_a_db = tmp_path / "x.sqlite3"
    not_a_db.write_bytes(b"\x00garbage" * 500)
    broken = shiptui(str(not_a_db), "campaigns")
    assert broken.returncode == 1 and "cannot open the database" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_control_characters_in_data_are_printed_escaped(db_location, make_campaign):
    open_database(db_location)
    make_campaign(1, members=["Evil \x1b[2J Name"])
    close_database()
    result = shiptui(db_location, "orders", "spring-serum-sampling")
    assert "\x1b" not in result.stdout and "Evil \\x1b[2J Name" in result.stdout


def test_demo_builds_a_campaign_in_every_state(tmp_path):
    db = str(tmp_path / "demo.sqlite3")
    result = shiptui(db, "demo", "--orders", "600", "--no-open")
    assert result.returncode == 0, result.stderr
    (campaign,) = json.loads(shiptui(db, "campaigns", "--json").stdout)
    assert campaign["total"] == 600
    assert campaign["pending"] and campaign["shipped"] and campaign["wont_ship"]
    listed = json.loads(shiptui(db, "orders", campaign["slug"], "--json").stdout)
    names = " ".join(row["member_name"] for row in listed)
    assert any(ch in names for ch in "äöüß") and "'" in names
    assert {row["reminder"] for row in listed} >= {"none", "queued", "sent"}
    again = shiptui(db, "demo", "--orders", "600", "--no-open")
    assert "using the existing demo campaign" in again.stdout


def test_log_shows_who_did_what_and_what_was_undone(campaign_db, monkeypatch):
    shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1")
    monkeypatch.setenv("SHIPTUI_OPERATOR", "bob")
    shiptui(campaign_db, "wont-ship", "spring-serum-sampling", "SO-2")
    shiptui(campaign_db, "undo", "spring-serum-sampling")

    entries = json.loads(shiptui(campaign_db, "log", "spring-serum-sampling", "--json").stdout)

    assert [(e["operator"], e["kind"], e["summary"], e["undone_by"]) for e in entries] == [
        ("bob", "wont_ship", "1 marked won't ship", "bob"),
        ("alice", "ship", "1 marked shipped · 1 reminder queued", None),
    ]
    assert entries[0]["at"] == "2026-03-16T10:30:00+01:00"
    table = shiptui(campaign_db, "log", "spring-serum-sampling").stdout
    assert "03/16/2026 10:30  bob       1 marked won't ship" in table


def test_a_bad_clock_setting_is_a_message_not_a_crash(campaign_db, monkeypatch):
    monkeypatch.setenv("SHIPTUI_NOW", "yesterday")
    result = shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1")
    assert result.returncode == 1
    assert "SHIPTUI_NOW='yesterday' is not an ISO date or date-time" in result.stderr


def test_history_of_an_order_as_a_table_and_as_json(campaign_db):
    shiptui(campaign_db, "track", "spring-serum-sampling", "SO-1", "--number", "1Z5R89390357567127")
    shiptui(campaign_db, "ship", "spring-serum-sampling", "SO-1", "SO-2")
    shiptui(campaign_db, "undo", "spring-serum-sampling")
    table = shiptui(campaign_db, "history", "spring-serum-sampling", "SO-1")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["WHEN", "OPERATOR", "ACTION", "CHANGE", "UNDONE"]
    assert "track" in lines[1] and "number – → 1Z5R89390357567127" in lines[1]
    assert "ship" in lines[2] and "status pending → shipped" in lines[2] and " by " in lines[2]
    data = json.loads(shiptui(campaign_db, "history", "spring-serum-sampling", "SO-1", "--json").stdout)
    assert [entry["action"] for entry in data] == ["track", "ship"]
    assert data[1]["before"]["status"] == "pending" and data[1]["after"]["status"] == "shipped"
    assert data[1]["changed"] == ["status", "shipped_on"] and data[1]["undone_by"]
    unknown = shiptui(campaign_db, "history", "spring-serum-sampling", "SO-99")
    assert unknown.returncode == 1 and "unknown Order ID 'SO-99'" in unknown.stderr
