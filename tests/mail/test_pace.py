"""The sending rate across every sender on one database, and slowing down when the relay
says so; and a sender that cannot log in gives its claims back at once."""

from __future__ import annotations

import re
import time

import pytest
from aiosmtpd.smtp import AuthResult

from shiptui.errors import RejectedInput
from shiptui.services.mail import delivery
from shiptui.services.mail.pace import FIRST_SLOWED_INTERVAL, Pace, is_throttled
from shiptui.services.mail.sender import Sender
from shiptui.services.mail.smtp_config import parse_rate, sending_interval
from shiptui.storage import Reminder, ReminderStatus, SendPace

from tests.mail.conftest import DUE, SmtpServer, ship
from tests.cli.test_mail_commands import _sender_process, run


@pytest.mark.parametrize("rate, seconds", [("60/min", 1.0), ("2/s", 0.5), ("500/h", 7.2), (" 30 / MIN ", 2.0)])
def test_a_rate_is_a_spacing_between_messages(rate, seconds):
    assert parse_rate(rate) == pytest.approx(seconds)


@pytest.mark.parametrize("rate", ["60", "0/min", "-1/s", "10/day", "fast"])
def test_a_bad_rate_is_refused_with_an_example(rate):
    with pytest.raises(RejectedInput, match="give e.g. --rate 30/min"):
        parse_rate(rate)


def test_the_rate_comes_from_the_flag_else_the_environment():
    assert sending_interval("2/s", {"SHIPTUI_MAIL_RATE": "1/min"}) == 0.5
    assert sending_interval(None, {"SHIPTUI_MAIL_RATE": "1/min"}) == 60.0
    assert sending_interval(None, {}) == 0.0


def test_send_slots_are_shared_through_the_database(db):
    assert [delivery.take_send_slot(1.0, 100.0) for _ in range(3)] == [100.0, 101.0, 102.0]
    assert delivery.take_send_slot(0.5, 200.0) == 200.0  # a free slot in the past is not made up for
    delivery.hold_sending_until(300.0)
    assert delivery.take_send_slot(1.0, 250.0) == 300.0
    delivery.hold_sending_until(10.0)  # never moves the slot back
    assert SendPace.get().next_slot == 301.0


@pytest.mark.parametrize("code, answer, throttled", [
    (421, "421 4.7.0 Too many messages from your IP, slow down", True),
    (451, "451 4.7.1 Rate limited: try again later", True),
    (421, "421 4.3.2 too many concurrent connections", True),
    (451, "451 4.7.1 greylisted, try again later", False),
    (451, "451 4.3.0 temporary failure, separate queue", False),
    (550, "550 5.7.1 too many recipients", False),
])
def test_which_answers_mean_slow_down(code, answer, throttled):
    assert is_throttled(code, answer) is throttled


@pytest.mark.slow
def test_two_senders_at_60_a_minute_deliver_10_messages_in_no_less_than_9_seconds(
    db, db_location, make_campaign, smtp_server
):
    ship(make_campaign(10), *(f"SO-{n}" for n in range(1, 11)))
    arrivals = []
    smtp_server.handler.on_data = lambda entry: arrivals.append(time.time())
    started = time.time()
    senders = [_sender_process(db_location, smtp_server, DUE, "--rate", "60/min", "--batch-size", "2")
               for _ in range(2)]
    outputs = [sender.communicate(timeout=60)[0] for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    sent = [int(re.match(r"(\d+) sent", out).group(1)) for out in outputs]
    assert sum(sent) == 10 and min(sent) > 0, outputs  # both took part
    assert len(arrivals) == 10 and arrivals[-1] - started >= 9.0
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert min(gaps) > 0.8, gaps  # one a second, no bursts


@pytest.mark.slow
def test_a_too_many_answer_slows_every_message_after_it(db, make_campaign, smtp_server, due_clock):
    ship(make_campaign(3), "SO-1", "SO-2", "SO-3")
    smtp_server.handler.data_answers.append("421 4.7.0 Too many messages, slow down")
    arrivals = []
    smtp_server.handler.on_data = lambda entry: arrivals.append(time.time())
    pace = Pace(pause=0.5)  # no --rate: as fast as the relay answers, until it says too many
    report = Sender(smtp_server.config(), pace=pace).send_due()
    assert report.sent == 2 and [outcome.order_id for outcome in report.retrying] == ["SO-1"]
    assert pace.interval == FIRST_SLOWED_INTERVAL
    assert arrivals[1] - arrivals[0] >= 0.5 and arrivals[2] - arrivals[1] >= 0.9


def test_a_greylisting_answer_does_not_slow_the_sender(db, make_campaign, smtp_server, due_clock):
    ship(make_campaign(2), "SO-1", "SO-2")
    smtp_server.handler.data_answers.append("451 4.7.1 greylisted, try again later")
    pace = Pace()
    assert Sender(smtp_server.config(), pace=pace).send_due().sent == 1
    assert pace.interval == 0 and SendPace.select().count() == 0


def test_a_non_ascii_password_is_a_clear_error_and_the_claim_goes_back_at_once(db, make_campaign, due_clock):
    server = SmtpServer(authenticator=lambda *args: AuthResult(success=True), auth_require_tls=False).start()
    try:
        ship(make_campaign(2), "SO-1", "SO-2")
        report = Sender(server.config(username="ops", password="pässwört")).send_due()
    finally:
        server.stop()
    assert report.sent == 0 and "the SMTP password has non-ASCII characters" in report.relay_errors[0]
    rows = list(Reminder.select())
    assert {row.status for row in rows} == {ReminderStatus.QUEUED} and {row.lease_owner for row in rows} == {None}


def test_mail_send_refuses_a_non_ascii_password_before_claiming_anything(db, db_location, make_campaign, mail_env,
                                                                          monkeypatch, capsys):
    ship(make_campaign(1), "SO-1")
    monkeypatch.setenv("SHIPTUI_SMTP_URL", f"smtp://ops@127.0.0.1:{mail_env.port}")
    monkeypatch.setenv("SHIPTUI_SMTP_PASSWORD", "pässwört")
    code, out, err = run(capsys, db_location, "mail", "send")
    assert code == 1 and "non-ASCII characters" in err and "pässwört" not in out + err
    assert Reminder.get().status == ReminderStatus.QUEUED and Reminder.get().attempts == 0


def test_an_unexpected_error_mid_batch_gives_the_rest_of_the_batch_back(db, make_campaign, smtp_server, due_clock,
                                                                          monkeypatch):
    ship(make_campaign(3), "SO-1", "SO-2", "SO-3")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(delivery, "record_sent", broken)
    with pytest.raises(RuntimeError):
        Sender(smtp_server.config()).send_due()
    statuses = sorted(row.status for row in Reminder.select())
    # The one in flight waits for its lease (it may have arrived); the others are free at once.
    assert statuses == [ReminderStatus.QUEUED, ReminderStatus.QUEUED, ReminderStatus.SENDING]

