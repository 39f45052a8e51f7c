"""The suppression list across campaigns, against a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.mail import delivery
from shiptui.services.undo import undo_last
from shiptui.services.mail import suppression
from shiptui.services.mail.sender import Sender
from shiptui.services.orders import get_order
from shiptui.storage import Order, Reminder, ReminderStatus, Suppression, close_database, open_database
from shiptui.storage.migrations import STEPS, latest_version
from shiptui.storage.models import SchemaVersion

from tests.mail.conftest import ship
from tests.storage.version_1 import create_version_1
from tests.cli.test_mail_commands import run


def email_of(campaign, key: str) -> str:
    return get_order(campaign, key).member.email


def status_of(campaign, key: str) -> str:
    return Reminder.get(Reminder.order == get_order(campaign, key)).status


def test_a_suppressed_address_is_not_sent_and_is_sent_after_unsuppress(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    blocked = email_of(campaign, "SO-1")
    result = suppression.suppress([blocked.replace("@example.com", "@EXAMPLE.com")], reason="unsubscribed", by="alice")
    assert result.reminders_suppressed == 1
    assert status_of(campaign, "SO-1") == ReminderStatus.SUPPRESSED  # at once, before it is due

    report = Sender(smtp_server.config()).send_due()
    assert report.sent == 1 and report.suppressed == []
    assert [entry.rcpt_tos for entry in smtp_server.handler.received] == [[email_of(campaign, "SO-2")]]
    assert status_of(campaign, "SO-1") == ReminderStatus.SUPPRESSED

    result = suppression.unsuppress([blocked])
    assert (result.removed, result.reminders_queued) == ([blocked], 1)
    assert Sender(smtp_server.config()).send_due().sent == 1
    assert smtp_server.handler.received[-1].rcpt_tos == [blocked]
    assert status_of(campaign, "SO-1") == ReminderStatus.SENT


def test_a_reminder_queued_after_the_address_was_suppressed_is_held_when_due(db, make_campaign, smtp_server,
                                                                              due_clock):
    campaign = make_campaign(1)
    suppression.suppress([email_of(campaign, "SO-1")], reason="unsubscribed", by="alice")
    ship(campaign, "SO-1")
    assert status_of(campaign, "SO-1") == ReminderStatus.QUEUED
    report = Sender(smtp_server.config()).send_due()
    assert report.sent == 0 and [outcome.order_id for outcome in report.suppressed] == ["SO-1"]
    assert smtp_server.handler.received == []
    row = Reminder.get(Reminder.order == get_order(campaign, "SO-1"))
    assert (row.status, row.lease_owner) == (ReminderStatus.SUPPRESSED, None)


def test_the_domain_compares_in_any_case_the_local_part_as_given(db):
    suppression.suppress(["Jane.Doe@Example.COM"], reason="unsubscribed", by="alice")
    assert [row.email for row in suppression.suppressions()] == ["Jane.Doe@example.com"]
    assert suppression.suppressed_among(["Jane.Doe@EXAMPLE.com", "jane.doe@example.com"]) == {"Jane.Doe@EXAMPLE.com"}
    again = suppression.suppress(["Jane.Doe@example.com"], reason="again", by="bob")
    assert (again.added, again.already) == ([], ["Jane.Doe@example.com"])
    assert suppression.unsuppress(["jane.doe@example.com"]).not_listed == ["jane.doe@example.com"]
    assert Suppression.select().count() == 1


@pytest.mark.parametrize("bad", ["not-an-address", "a@b@c.example", "x@y.example>, z@evil.example", "a\x1b@x.example"])
def test_a_bad_address_rejects_the_whole_command(db, bad):
    with pytest.raises(RejectedInput, match="not an email address"):
        suppression.suppress(["ok@example.com", bad], reason="unsubscribed", by="alice")
    assert Suppression.select().count() == 0


@pytest.mark.parametrize("answer", ["550 5.1.1 <x>: Recipient address rejected: User unknown",
                                    "550 5.1.10 Recipient address rejected: null MX",
                                    "550 5.2.1 The email account that you tried to reach is disabled"])
def test_a_mailbox_that_does_not_exist_is_suppressed_for_the_next_campaign(db, make_campaign, smtp_server,
                                                                            due_clock, answer):
    first = make_campaign(1, name="Spring")
    second = make_campaign(0, name="Autumn")
    member = get_order(first, "SO-1").member
    spring_order = get_order(first, "SO-1")
    Order.create(campaign=second, member=member, product=spring_order.product, order_key="AU-1",
                 updated_at=spring_order.updated_at, updated_by="seed")
    ship(first, "SO-1")
    ship(second, "AU-1")
    smtp_server.handler.rcpt_answers.append(answer)
    sender = Sender(smtp_server.config(), batch_size=1)
    report = sender.send_due(limit=1)
    assert [outcome.error for outcome in report.failed] == [answer]
    [listed] = suppression.suppressions()
    assert (listed.email, listed.reason, listed.by) == (member.email, answer, "mail send")
    # The other campaign's reminder to the same mailbox is not sent.
    assert sender.send_due().sent == 0
    assert status_of(second, "AU-1") == ReminderStatus.SUPPRESSED
    assert len(smtp_server.handler.received) == 0  # refused at RCPT: no DATA ever


@pytest.mark.parametrize("answer", ["550 5.7.1 Message rejected by policy", "552 5.2.2 Mailbox full",
                                    "550 Requested action not taken"])
def test_other_permanent_failures_do_not_suppress(db, make_campaign, smtp_server, due_clock, answer):
    campaign = make_campaign(2)
    ship(campaign, "SO-1")
    smtp_server.handler.rcpt_answers.append(answer)
    report = Sender(smtp_server.config()).send_due()
    assert [outcome.error for outcome in report.failed] == [answer]
    assert suppression.suppressions() == []


def test_undo_cancels_a_suppressed_reminder_and_unsuppress_does_not_revive_it(db, make_campaign):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    suppression.suppress([email_of(campaign, "SO-1")], reason="unsubscribed", by="alice")
    undo_last(campaign, operator="alice")
    assert status_of(campaign, "SO-1") == ReminderStatus.CANCELLED
    assert suppression.unsuppress([email_of(campaign, "SO-1")]).reminders_queued == 0
    assert status_of(campaign, "SO-1") == ReminderStatus.CANCELLED


def test_mail_suppress_from_a_csv_export_lists_and_unsuppresses(db, db_location, make_campaign, capsys, tmp_path):
    campaign = make_campaign(3)
    ship(campaign, "SO-1", "SO-2", "SO-3")
    export = tmp_path / "unsubscribes.csv"
    export.write_text(f"Name;E-Mail;Date\nOne;{email_of(campaign, 'SO-1')};2026-03-01\n"
                      f"Two;{email_of(campaign, 'SO-2').upper()};2026-03-02\n", encoding="utf-8")
    code, out, _ = run(capsys, db_location, "mail", "suppress", "--file", str(export))
    assert code == 0 and out.startswith("2 addresses suppressed; 1 queued reminder will not be sent")

    code, out, _ = run(capsys, db_location, "mail", "suppressed", "--json")
    rows = json.loads(out)
    # The domain stored in lower case, the local part as the file gave it.
    assert [row["email"] for row in rows] == sorted([email_of(campaign, "SO-1"),
                                                    email_of(campaign, "SO-2").split("@")[0].upper() + "@example.com"])
    assert {row["reason"] for row in rows} == {"unsubscribed (unsubscribes.csv)"}
    assert {row["by"] for row in rows} == {"alice"} and all(row["since"] for row in rows)

    code, out, _ = run(capsys, db_location, "mail", "list", "--status", "suppressed", "--json")
    assert [row["order_id"] for row in json.loads(out)] == ["SO-1"]
    code, out, _ = run(capsys, db_location, "orders", campaign.slug, "--json")
    assert {row["order_id"]: row["reminder"] for row in json.loads(out)} == {
        "SO-1": "suppressed", "SO-2": "queued", "SO-3": "queued"}

    code, out, _ = run(capsys, db_location, "mail", "unsuppress", email_of(campaign, "SO-1"), "nobody@example.com")
    assert code == 0 and "1 address taken off the list; 1 reminder queued again" in out
    assert "not on the list: nobody@example.com" in out
    assert status_of(campaign, "SO-1") == ReminderStatus.QUEUED


def test_a_csv_with_a_bad_address_or_no_email_column_changes_nothing(db, db_location, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Email\nok@example.com\nnot an address\n", encoding="utf-8")
    code, _, err = run(capsys, db_location, "mail", "suppress", "--file", str(bad))
    assert code == 1 and "line 3, column A ('Email')" in err and "not an address" in err
    none = tmp_path / "none.csv"
    none.write_text("Name,Phone\nx,1\n", encoding="utf-8")
    code, _, err = run(capsys, db_location, "mail", "suppress", "--file", str(none))
    assert code == 1 and "no Email column" in err
    assert Suppression.select().count() == 0


def test_a_version_1_database_gets_the_suppression_list_on_open(db_location):
    create_version_1(db_location)
    open_database(db_location)
    assert max(version.version for version in SchemaVersion.select()) == latest_version(STEPS)
    suppression.suppress(["a@example.com"], reason="unsubscribed", by="alice")
    assert [row.email for row in suppression.suppressions()] == ["a@example.com"]
    assert delivery.take_send_slot(1.0, 100.0) == 100.0
    close_database()
