"""The sender against a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import socket
import threading
import time
from datetime import timedelta

import pytest

from shiptui import clock
from shiptui.services import outbox
from shiptui.services.mail import delivery
from shiptui.services.fulfillment import update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.mail.sender import Backoff, Sender
from shiptui.services.orders import get_order
from shiptui.storage import Order, Reminder, ReminderStatus, database

from tests.mail.conftest import DROP, DUE, REPLY_TO, SmtpServer, free_port, later, run_in_thread, ship


def reminder(campaign, key: str) -> Reminder:
    return Reminder.get(Reminder.order == get_order(campaign, key))


def statuses(campaign) -> dict[str, str]:
    return {
        key: status
        for key, status in Reminder.select(Order.order_key, Reminder.status)
        .join(Order, on=(Reminder.order == Order.id))
        .where(Order.campaign == campaign)
        .tuples()
    }


def test_delivers_due_reminders_naming_member_product_campaign_and_tracking(db, make_campaign, smtp_server):
    campaign = make_campaign(3, members=["Zoë Müller", "Pat O'Brien, Jr.", "Kim Lee"])
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784",
                    carrier="ups", url="", operator="alice")
    ship(campaign, "SO-1", "SO-2")
    sender = Sender(smtp_server.config())

    assert sender.send_due().sent == 0  # a week early: nothing is due
    assert smtp_server.handler.received == []

    with clock.freeze(DUE) as moment:
        report = sender.send_due()
    assert report.sent == 2 and not report.failed and not report.retrying
    by_recipient = {entry.rcpt_tos[0]: entry for entry in smtp_server.handler.delivered}
    entry = by_recipient[f"member1.{campaign.slug}@example.com"]
    assert entry.mail_from == "team@brand.example"
    assert entry.data.isascii()  # no 8-bit surprises for old relays
    message = entry.message
    row = reminder(campaign, "SO-1")
    assert message["Message-ID"] == row.message_id
    assert message["To"].addresses[0].display_name == "Zoë Müller"
    assert message["From"].addresses[0].addr_spec == "team@brand.example"
    assert message["Reply-To"] == REPLY_TO
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())
    assert message["Date"].datetime == moment
    body = entry.text
    assert "Hydra Glow Serum" in message["Subject"] and "Spring Serum Sampling" in message["Subject"]
    for fact in ("Zoë Müller", "Hydra Glow Serum", "Spring Serum Sampling", "UPS",
                 "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                 "SO-1", "03/16/2026"):
        assert fact in body
    assert row.status == ReminderStatus.SENT
    assert row.sent_at == clock.utc_naive(moment)
    assert (row.subject, row.body) == (message["Subject"], body.replace("\r\n", "\n"))  # what was sent is kept
    assert row.attempts == 1 and row.lease_owner is None
    # SO-2 has no tracking yet: the email leaves the tracking lines out, no blanks.
    second = by_recipient[f"member2.{campaign.slug}@example.com"]
    assert second.message["To"].addresses[0].display_name == "Pat O'Brien, Jr."
    content = second.text
    assert "please write your honest review" in content and "Order ID: SO-2" in content
    assert "Tracking number" not in content and "Carrier" not in content
    assert "not available" not in content and "arrived yet" not in content
    assert statuses(campaign) == {"SO-1": "sent", "SO-2": "sent"}


def test_a_sent_reminder_is_never_sent_again(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    sender = Sender(smtp_server.config())
    assert sender.send_due().sent == 2
    with later(due_clock, days=30):
        assert sender.send_due().sent == 0
    assert len(smtp_server.handler.received) == 2


def test_451_then_250_delivers_once_with_the_same_message_id(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    smtp_server.handler.data_answers.append("451 4.7.1 greylisted, try again later")
    sender = Sender(smtp_server.config(), backoff=Backoff(base=timedelta(minutes=1), rng=random.Random(1)))

    report = sender.send_due()
    assert report.sent == 0 and [o.order_id for o in report.retrying] == ["SO-1"]
    row = reminder(campaign, "SO-1")
    assert (row.status, row.attempts) == (ReminderStatus.QUEUED, 1)
    assert row.last_error == "451 4.7.1 greylisted, try again later"
    wait = row.next_attempt_at - clock.stored_now()
    assert timedelta(seconds=30) <= wait <= timedelta(minutes=1)

    assert sender.send_due().sent == 0  # backing off: not yet
    with later(due_clock, minutes=1):
        assert sender.send_due().sent == 1
    received = smtp_server.handler.received
    assert [entry.accepted for entry in received] == [False, True]
    assert received[0].message_id == received[1].message_id == row.message_id
    row = reminder(campaign, "SO-1")
    assert (row.status, row.attempts, row.last_error) == (ReminderStatus.SENT, 2, "")


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_550_marks_failed_with_the_servers_answer_until_retried(db, make_campaign, smtp_server, due_clock, stage):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    answers = smtp_server.handler.rcpt_answers if stage == "rcpt" else smtp_server.handler.data_answers
    answers.append("550 5.7.1 <member1> rejected by policy")
    sender = Sender(smtp_server.config())

    report = sender.send_due()
    assert report.sent == 1
    assert [(o.order_id, o.error) for o in report.failed] == [("SO-1", "550 5.7.1 <member1> rejected by policy")]
    row = reminder(campaign, "SO-1")
    assert (row.status, row.last_error) == (ReminderStatus.FAILED, "550 5.7.1 <member1> rejected by policy")
    with later(due_clock, days=2):
        assert sender.send_due().sent == 0  # a permanent failure waits for the operator

    assert outbox.retry([row.id]) == 1
    assert sender.send_due().sent == 1
    assert [e.rcpt_tos for e in smtp_server.handler.delivered][-1] == [row.recipient]
    assert statuses(campaign) == {"SO-1": "sent", "SO-2": "sent"}


def test_server_down_then_up_delivers_everything(db, make_campaign, due_clock):
    campaign = make_campaign(5)
    ship(campaign, *(f"SO-{n}" for n in range(1, 6)))
    server = SmtpServer(port=free_port())  # nothing listens there yet
    sender = Sender(server.config(), backoff=Backoff(rng=random.Random(3)))

    report = sender.send_due()
    assert report.sent == 0 and len(report.retrying) == 5
    assert report.relay_errors and "cannot connect to smtp://127.0.0.1" in report.relay_errors[0]
    assert set(statuses(campaign).values()) == {"queued"}
    assert all("cannot connect" in row.last_error for row in Reminder.select())

    server.start()
    try:
        assert sender.send_due().sent == 0  # still backing off
        with later(due_clock, hours=1):
            assert sender.send_due().sent == 5
    finally:
        server.stop()
    ids = sorted(entry.message_id for entry in server.handler.received)
    assert ids == sorted(row.message_id for row in Reminder.select())
    assert set(statuses(campaign).values()) == {"sent"}


def test_temporary_failures_back_off_exponentially_then_fail_with_the_last_answer(
    db, make_campaign, smtp_server, due_clock
):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    smtp_server.handler.data_answers.extend(["421 4.3.2 shutting down"] * 3)
    backoff = Backoff(base=timedelta(minutes=2), cap=timedelta(minutes=5), max_attempts=3,
                      rng=random.Random(7))
    sender = Sender(smtp_server.config(), backoff=backoff)
    waits = []
    moment = due_clock
    for _ in range(2):
        with clock.freeze(moment):
            assert sender.send_due().retrying
            row = reminder(campaign, "SO-1")
            waits.append(row.next_attempt_at - clock.stored_now())
            moment = clock.local_from_stored(row.next_attempt_at)
    assert timedelta(minutes=1) <= waits[0] <= timedelta(minutes=2)
    assert timedelta(minutes=2) <= waits[1] <= timedelta(minutes=4)
    with clock.freeze(moment):
        report = sender.send_due()
    assert [o.error for o in report.failed] == ["gave up after 3 attempts: 421 4.3.2 shutting down"]
    assert reminder(campaign, "SO-1").status == ReminderStatus.FAILED
    assert len(smtp_server.handler.received) == 3


def test_two_senders_at_once_send_each_reminder_once(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(40)
    ship(campaign, *(f"SO-{n}" for n in range(1, 41)))
    smtp_server.handler.delay = 0.01
    start = threading.Barrier(2)
    reports = []

    def run():
        start.wait()
        try:
            reports.append(Sender(smtp_server.config(), batch_size=4).send_due())
        finally:
            database().close()  # this thread's own connection

    threads = [run_in_thread(run), run_in_thread(run)]
    for thread in threads:
        thread.join(60)
    assert sorted(report.sent for report in reports)[0] > 0  # both took part
    assert sum(report.sent for report in reports) == 40
    ids = [entry.message_id for entry in smtp_server.handler.received]
    assert len(ids) == len(set(ids)) == 40
    assert set(statuses(campaign).values()) == {"sent"}


def test_a_stopped_sender_finishes_its_message_and_gives_back_the_rest(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(6)
    ship(campaign, *(f"SO-{n}" for n in range(1, 7)))
    sender = Sender(smtp_server.config(), batch_size=6)
    smtp_server.handler.on_data = lambda entry: sender.stop.set()

    assert sender.send_due().sent == 1
    rows = list(Reminder.select())
    assert sorted(row.status for row in rows) == ["queued"] * 5 + ["sent"]
    assert {row.attempts for row in rows if row.status == "queued"} == {0}
    assert all(row.lease_owner is None for row in rows)
    assert Sender(smtp_server.config()).send_due().sent == 5


def test_an_expired_lease_makes_a_reminder_claimable_again(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    assert len(delivery.claim_due("dead-sender", 10, timedelta(minutes=2))) == 2
    sender = Sender(smtp_server.config())
    assert sender.send_due().sent == 0  # leased to a sender that may still be working
    with later(due_clock, minutes=3):
        assert sender.send_due().sent == 2
    assert {row.attempts for row in Reminder.select()} == {2}


def test_undo_cancels_unsent_and_names_sent_and_in_flight_reminders(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(4)
    ship(campaign, "SO-1", "SO-2", "SO-3", "SO-4")
    assert Sender(smtp_server.config()).send_due(limit=1).sent == 1  # SO-1 went out
    in_flight = delivery.claim_due("other-sender", 1, timedelta(minutes=2))  # SO-2 on the wire

    result = undo_last(campaign, operator="alice")

    assert result.reminders_cancelled == 2
    assert result.already_sent == ["SO-1", "SO-2"]
    assert statuses(campaign) == {"SO-1": "sent", "SO-2": "sending", "SO-3": "cancelled", "SO-4": "cancelled"}
    # The sender in flight finishes: the member got it, so it is recorded as sent.
    assert delivery.record_sent(in_flight[0], "other-sender", recipient="x@example.com", subject="s", body="b")
    assert Sender(smtp_server.config()).send_due().sent == 0
    assert len(smtp_server.handler.received) == 1


def test_a_reminder_abandoned_in_flight_after_its_shipment_was_undone_is_not_resent(
    db, make_campaign, smtp_server, due_clock
):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    delivery.claim_due("killed-sender", 1, timedelta(minutes=2))
    assert undo_last(campaign, operator="alice").already_sent == ["SO-1"]
    with later(due_clock, minutes=5):
        assert Sender(smtp_server.config()).send_due().sent == 0
    row = reminder(campaign, "SO-1")
    assert row.status == ReminderStatus.CANCELLED and "may have reached the member" in row.last_error
    assert smtp_server.handler.received == []


def test_the_email_carries_the_tracking_entered_after_shipping(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="9400111899223197428490",
                    carrier="usps", url="", operator="alice")
    assert Sender(smtp_server.config()).send_due().sent == 1
    body = smtp_server.handler.delivered[0].text
    assert "9400111899223197428490" in body and "USPS" in body


def test_an_invalid_member_address_fails_without_bothering_the_relay(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2)
    member = get_order(campaign, "SO-1").member
    member.email = "not an address"
    member.save()
    ship(campaign, "SO-1", "SO-2")
    report = Sender(smtp_server.config()).send_due()
    assert report.sent == 1
    assert "not a valid email address" in report.failed[0].error
    assert reminder(campaign, "SO-1").status == ReminderStatus.FAILED


def test_watch_sends_reminders_as_they_fall_due(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(3)
    ship(campaign, "SO-1")
    sender = Sender(smtp_server.config())

    def watch():
        try:
            sender.watch(poll_seconds=0.02)
        finally:
            database().close()

    thread = run_in_thread(watch)
    try:
        smtp_server.wait_for(1)
        ship(campaign, "SO-2", "SO-3", at=None)  # shipped now: due in a week
        with later(due_clock, days=8):
            smtp_server.wait_for(3)
    finally:
        sender.stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert set(statuses(campaign).values()) == {"sent"}


def test_a_dropped_connection_is_retried_and_the_batch_goes_on_over_a_new_one(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    smtp_server.handler.data_answers.append(DROP)
    report = Sender(smtp_server.config()).send_due()
    assert report.sent == 1
    assert [o.order_id for o in report.retrying] == ["SO-1"]
    assert report.retrying[0].error.startswith("connection to smtp://127.0.0.1")
    assert statuses(campaign) == {"SO-1": "queued", "SO-2": "sent"}
    with later(due_clock, minutes=2):
        assert Sender(smtp_server.config()).send_due().sent == 1
    received = smtp_server.handler.received
    assert [e.accepted for e in received] == [False, True, True]
    assert received[0].message_id == received[2].message_id  # the same email, tried again


def test_a_relay_that_never_answers_times_out_and_keeps_the_reminder(db, make_campaign, due_clock):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    with socket.socket() as silent:  # accepts connections, says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        config = SmtpServer(port=silent.getsockname()[1]).config(timeout=0.3)
        report = Sender(config).send_due()
    assert report.sent == 0 and "timed out" in report.relay_errors[0]
    row = reminder(campaign, "SO-1")
    assert row.status == ReminderStatus.QUEUED and "timed out" in row.last_error


def test_watch_survives_a_database_restart(db, db_location, make_campaign, smtp_server, due_clock, caplog):
    if not db_location.startswith("postgresql"):
        pytest.skip("a database server to restart: PostgreSQL only")
    campaign = make_campaign(2)
    ship(campaign, "SO-1")
    sender = Sender(smtp_server.config())

    def watch():
        try:
            sender.watch(poll_seconds=0.05)
        finally:
            database().close()

    thread = run_in_thread(watch)
    try:
        smtp_server.wait_for(1)
        # The restart comes between two messages: one the server took but the watcher had not
        # yet marked sent would stay "sending" until its lease ran out (and be sent again).
        deadline = time.monotonic() + 10
        while statuses(campaign)["SO-1"] != "sent" and time.monotonic() < deadline:
            time.sleep(0.02)
        # What a server restart does to the watcher: its connection is gone.
        database().execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ship(campaign, "SO-2")
        smtp_server.wait_for(2)
    finally:
        sender.stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert statuses(campaign) == {"SO-1": "sent", "SO-2": "sent"}
    assert "the database is unavailable" in caplog.text
