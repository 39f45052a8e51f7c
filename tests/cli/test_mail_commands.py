"""`shiptui mail ...` as an operator runs it (in-process, and as processes that get killed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult

from shiptui.cli import main
from shiptui.services import outbox
from shiptui.storage import Order, Reminder, ReminderStatus, ReminderText

from tests.mail.conftest import DUE, SENDER, SmtpServer, due_clock, later, mail_env, ship, smtp_server  # noqa: F401 (fixtures)

SECRET = "hunter2-Secret!"
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, db_location, *args) -> tuple[int, str, str]:
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_mail_send_delivers_what_is_due_and_says_so(db, db_location, make_campaign, mail_env, capsys):
    campaign = make_campaign(3)
    ship(campaign, "SO-1", "SO-2")
    code, out, err = run(capsys, db_location, "mail", "send")
    assert (code, err) == (0, "")
    assert out.strip() == f"2 sent via {mail_env.url}"
    assert len(mail_env.handler.delivered) == 2
    code, out, _ = run(capsys, db_location, "mail", "send")
    assert out.startswith("0 sent")


def test_mail_send_limit_sends_at_most_n(db, db_location, make_campaign, mail_env, capsys):
    campaign = make_campaign(5)
    ship(campaign, *(f"SO-{n}" for n in range(1, 6)))
    assert run(capsys, db_location, "mail", "send", "--limit", "2", "--batch-size", "1")[1].startswith("2 sent")
    assert outbox.outbox_counts() == {"queued": 3, "sending": 0, "sent": 2, "failed": 0, "cancelled": 0, "suppressed": 0}


def test_mail_list_json_shows_each_reminder_with_its_outcome(db, db_location, make_campaign, mail_env, capsys):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    mail_env.handler.rcpt_answers.append("550 5.7.1 rejected by policy")
    code, out, _ = run(capsys, db_location, "mail", "send")
    assert code == 0 and "failed #" in out and "550 5.7.1 rejected by policy" in out

    code, out, _ = run(capsys, db_location, "mail", "list", "--json")
    rows = {row["order_id"]: row for row in json.loads(out)}
    assert set(rows) == {"SO-1", "SO-2"}
    failed, sent = rows["SO-1"], rows["SO-2"]
    assert {key: failed[key] for key in ("email", "status", "attempts", "last_error", "sent_at")} == {
        "email": f"member1.{campaign.slug}@example.com", "status": "failed", "attempts": 1,
        "last_error": "550 5.7.1 rejected by policy", "sent_at": None,
    }
    assert failed["send_after"] == "2026-03-23T10:30:00+01:00"
    assert failed["message_id"] == Reminder.get(Reminder.id == failed["id"]).message_id
    assert sent["status"] == "sent" and sent["sent_at"] == "2026-03-23T12:00:00+01:00"

    code, out, _ = run(capsys, db_location, "mail", "list", "--status", "failed")
    lines = out.splitlines()
    assert lines[0] == "0 queued · 0 sending · 1 sent · 1 failed · 0 cancelled · 0 suppressed"
    assert len(lines) == 3 and "SO-1" in lines[2] and "550 5.7.1 rejected by policy" in lines[2]


def test_mail_retry_rejects_bad_ids_and_changes_nothing(db, db_location, make_campaign, mail_env, capsys):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    mail_env.handler.rcpt_answers.append("550 5.7.1 rejected by policy")
    run(capsys, db_location, "mail", "send")
    failed = Reminder.get(Reminder.status == ReminderStatus.FAILED)
    sent = Reminder.get(Reminder.status == ReminderStatus.SENT)

    code, _, err = run(capsys, db_location, "mail", "retry", str(failed.id), "999")
    assert code == 1 and "no reminder with id 999" in err and "nothing was retried" in err
    code, _, err = run(capsys, db_location, "mail", "retry", str(failed.id), str(sent.id))
    assert code == 1 and f"not {sent.id} (sent)" in err
    code, _, err = run(capsys, db_location, "mail", "retry")
    assert code == 1 and "give reminder ids or --failed" in err
    assert Reminder.get_by_id(failed.id).status == ReminderStatus.FAILED

    code, out, _ = run(capsys, db_location, "mail", "retry", "--failed")
    assert code == 0 and out.startswith("1 reminder queued again")
    row = Reminder.get_by_id(failed.id)
    assert (row.status, row.attempts) == (ReminderStatus.QUEUED, 0)
    assert run(capsys, db_location, "mail", "send")[1].startswith("1 sent")


def test_template_with_an_unknown_placeholder_is_rejected_when_set(db, db_location, make_campaign, tmp_path, capsys):
    campaign = make_campaign(1)
    body = tmp_path / "body.txt"
    body.write_text("Hi $member_name,\nyour $prodcut is on its way.\n", encoding="utf-8")
    code, _, err = run(capsys, db_location, "mail", "template", campaign.slug,
                       "--subject", "Shipped: $product", "--body-file", str(body))
    assert code == 1
    assert "unknown placeholder $prodcut at line 2, column 6" in err and "$product" in err
    assert ReminderText.select().count() == 0  # nothing saved


def test_a_custom_template_is_what_members_receive(db, db_location, make_campaign, mail_env, tmp_path, capsys):
    campaign = make_campaign(1, members=["Zoë Müller"])
    ship(campaign, "SO-1")
    Order.update(carrier="DHL Paket", tracking_number="00340434161094042557").execute()
    body = tmp_path / "body.txt"
    body.write_text("Liebe/r $member_name,\n$product kostet $$0 – Sendung: $tracking_number\n", encoding="utf-8")
    code, out, _ = run(capsys, db_location, "mail", "template", campaign.slug,
                       "--subject", "Ihr ${product} ist unterwegs", "--body-file", str(body))
    assert code == 0 and "(custom)" in out and "Subject: Ihr ${product} ist unterwegs" in out

    assert run(capsys, db_location, "mail", "send")[0] == 0
    message = mail_env.handler.delivered[0].message
    assert message["Subject"] == "Ihr Hydra Glow Serum ist unterwegs"
    assert mail_env.handler.delivered[0].text == (
        "Liebe/r Zoë Müller,\r\nHydra Glow Serum kostet $0 – Sendung: 00340434161094042557\r\n"
    )
    code, out, _ = run(capsys, db_location, "mail", "template", campaign.slug, "--reset")
    assert "(built-in)" in out and "Subject: $campaign: how do you like your $product?" in out


def test_the_smtp_password_is_used_but_never_shown_or_stored(
    db, db_location, make_campaign, monkeypatch, capsys, due_clock, tmp_path
):
    accepted = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        accepted.append(auth_data.login == b"bob" and auth_data.password == SECRET.encode())
        return AuthResult(success=accepted[-1], handled=False)  # the server answers 535

    server = SmtpServer(authenticator=authenticator, auth_require_tls=False).start()
    try:
        campaign = make_campaign(1)
        ship(campaign, "SO-1")
        monkeypatch.setenv("SHIPTUI_MAIL_FROM", SENDER)
        monkeypatch.setenv("SHIPTUI_SMTP_PASSWORD", "wrong-" + SECRET)
        url = f"smtp://bob@127.0.0.1:{server.port}"
        code, out, err = run(capsys, db_location, "mail", "send", "--smtp", url)
        assert code == 1 and "refused the login of bob: 535" in err
        assert SECRET not in out + err
        assert all(SECRET not in " ".join(map(str, row)) for row in Reminder.select().tuples())

        secret_file = tmp_path / "smtp-password"
        secret_file.write_text(SECRET + "\n", encoding="utf-8")
        monkeypatch.delenv("SHIPTUI_SMTP_PASSWORD")
        with later(due_clock, days=1):  # past the backoff
            code, out, err = run(capsys, db_location, "mail", "send", "--smtp", url,
                                 "--smtp-password-file", str(secret_file))
        assert code == 0 and out.startswith("1 sent via smtp://bob@127.0.0.1")
        assert SECRET not in out + err
        assert accepted[-1] and not any(accepted[:-1])  # wrong password refused, right one taken
    finally:
        server.stop()


def test_a_password_in_the_url_is_refused_without_echoing_it(db, db_location, capsys, monkeypatch):
    monkeypatch.setenv("SHIPTUI_MAIL_FROM", SENDER)
    code, out, err = run(capsys, db_location, "mail", "send", "--smtp", f"smtp://bob:{SECRET}@127.0.0.1:25")
    assert code == 1 and "contains a password" in err and SECRET not in out + err


def _sender_process(db_location: str, server: SmtpServer, now: str, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ, "SHIPTUI_NOW": now, "SHIPTUI_SMTP_URL": server.url,
        "SHIPTUI_MAIL_FROM": SENDER, "SHIPTUI_OPERATOR": "alice",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "shiptui", "--db", db_location, "mail", "send", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.slow
def test_a_sender_killed_mid_batch_loses_nothing(db, db_location, make_campaign, smtp_server):
    campaign = make_campaign(30)
    ship(campaign, *(f"SO-{n}" for n in range(1, 31)))
    smtp_server.handler.delay = 0.2  # slow enough to kill it with a message in flight

    first = _sender_process(db_location, smtp_server, DUE, "--batch-size", "10")
    smtp_server.wait_for(5)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    counts = outbox.outbox_counts()
    assert 4 <= counts["sent"] < 30 and counts["sending"] >= 1, counts

    smtp_server.handler.delay = 0
    # An hour later the dead sender's lease has run out: the next one takes over.
    second = _sender_process(db_location, smtp_server, "2026-03-23T13:00:00+01:00")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert outbox.outbox_counts()["sent"] == 30
    copies = Counter(entry.message_id for entry in smtp_server.handler.received)
    assert set(copies) == {row.message_id for row in Reminder.select()}
    assert sum(copies.values()) - 30 <= 1  # only the message in flight at the kill may go twice


@pytest.mark.slow
def test_mail_send_watch_stops_cleanly_on_sigterm(db, db_location, make_campaign, smtp_server):
    campaign = make_campaign(2)
    ship(campaign, "SO-1", "SO-2")
    watcher = _sender_process(db_location, smtp_server, DUE, "--watch", "--poll", "0.1")
    smtp_server.wait_for(2)
    watcher.send_signal(signal.SIGTERM)
    out, err = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, err
    assert "2 sent" in out and out.rstrip().endswith("stopped: 2 sent in all")
