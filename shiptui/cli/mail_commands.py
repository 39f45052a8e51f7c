"""`shiptui mail ...`: send the review reminders, list and retry them, set the template."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from shiptui import clock
from shiptui.cli.common import add_command, open_db
from shiptui.cli.output import print_json, print_table, safe
from shiptui.errors import RejectedInput
from shiptui.services import campaigns, outbox
from shiptui.services.mail.sender import DEFAULT_BATCH_SIZE, Sender, SendReport
from shiptui.services.mail.smtp_config import smtp_config
from shiptui.services.mail.template import (
    PLACEHOLDERS,
    ReminderTemplate,
    reset_template,
    set_template,
)
from shiptui.storage import ReminderStatus

PLACEHOLDER_HELP = "placeholders ($name or ${name}; $$ is a dollar sign):\n" + "\n".join(
    f"  ${name:<17}{meaning}" for name, meaning in PLACEHOLDERS.items()
)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    mail = subparsers.add_parser(
        "mail", help="send, list and retry the review reminders; set their template",
        description="The review-reminder outbox.",
    )
    commands = mail.add_subparsers(dest="mail_command", metavar="MAIL_COMMAND", required=True)

    command = partial(add_command, commands, common)

    send = command(
        "send", send_reminders, "send the reminders that are due, once each, and exit",
        epilog="The relay and addresses come from SHIPTUI_SMTP_URL, SHIPTUI_MAIL_FROM, "
        "SHIPTUI_MAIL_REPLY_TO; the password from SHIPTUI_SMTP_PASSWORD or "
        "SHIPTUI_SMTP_PASSWORD_FILE (never from the URL).",
    )
    send.add_argument("--smtp", metavar="URL",
                      help="smtp://host:port, smtp+starttls://user@host:587 or smtps://user@host:465")
    send.add_argument("--from", dest="sender", metavar="ADDRESS", help="the From address")
    send.add_argument("--reply-to", metavar="ADDRESS", help="where members' replies go")
    send.add_argument("--smtp-password-file", metavar="PATH", help="read the SMTP password from this file")
    send.add_argument("--watch", action="store_true", help="keep running and send new reminders as they fall due")
    send.add_argument("--poll", type=float, default=5.0, metavar="SECONDS",
                      help="with --watch: how often to look for due reminders (default 5)")
    send.add_argument("--limit", type=int, metavar="N", help="send at most N reminders")
    send.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N",
                      help=f"reminders per SMTP connection (default {DEFAULT_BATCH_SIZE})")

    listing = command("list", list_reminders, "list the reminders, due first")
    listing.add_argument("--status", choices=[status.value for status in ReminderStatus])
    listing.add_argument("--campaign", metavar="CAMPAIGN", help="only this campaign's reminders")
    listing.add_argument("--json", action="store_true", help="print a JSON array")

    again = command("retry", retry_reminders, "queue failed reminders again (or hurry queued ones)")
    again.add_argument("ids", nargs="*", type=int, metavar="ID", help="reminder ids, as `mail list` shows them")
    again.add_argument("--failed", action="store_true", help="every failed reminder")
    again.add_argument("--campaign", metavar="CAMPAIGN", help="with --failed: only this campaign's")

    template = command(
        "template", set_reminder_template,
        "show or replace a campaign's reminder template",
        epilog=PLACEHOLDER_HELP + "\n\nWithout options, prints the current template.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template.add_argument("campaign", metavar="CAMPAIGN")
    template.add_argument("--subject", metavar="TEXT", help="the subject line template")
    template.add_argument("--subject-file", metavar="PATH", help="read the subject template from a file")
    template.add_argument("--body-file", metavar="PATH", help="read the body template from a file (UTF-8)")
    template.add_argument("--reset", action="store_true", help="go back to the built-in template")


def _read(path: str, what: str) -> str:
    try:
        return Path(path).expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RejectedInput(f"the {what} file {path} does not exist") from None
    except UnicodeDecodeError:
        raise RejectedInput(f"the {what} file {path} is not UTF-8 text: save it as UTF-8") from None
    except OSError as error:
        raise RejectedInput(f"cannot read the {what} file {path}: {error.strerror}") from None


@contextmanager
def _stop_on_signals(stop: threading.Event):
    """SIGTERM or Ctrl-C: finish the message in flight, give the rest back, exit."""
    def handle(signum, frame):
        stop.set()

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _print_outcomes(report: SendReport) -> None:
    for outcome in report.failed:
        print(f"  failed #{outcome.reminder_id} {safe(outcome.order_id)} <{safe(outcome.recipient)}>: "
              f"{safe(outcome.error)}")
    for outcome in report.retrying:
        print(f"  will retry #{outcome.reminder_id} {safe(outcome.order_id)}: {safe(outcome.error)}")
    for error in dict.fromkeys(report.relay_errors):
        print(f"shiptui: {safe(error)}", file=sys.stderr)


def send_reminders(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise RejectedInput("--limit must be at least 1")
    if args.limit is not None and args.watch:
        raise RejectedInput("--limit counts the reminders of one run: give it without --watch")
    if args.batch_size < 1:
        raise RejectedInput("--batch-size must be at least 1")
    if args.poll <= 0:
        raise RejectedInput("--poll must be a positive number of seconds")
    config = smtp_config(
        args.smtp, sender=args.sender, reply_to=args.reply_to, password_file=args.smtp_password_file
    )
    open_db(args)
    logging.basicConfig(level=logging.WARNING, format="shiptui: %(message)s")
    stop = threading.Event()
    sender = Sender(config, batch_size=args.batch_size, stop=stop)
    with _stop_on_signals(stop):
        if not args.watch:
            report = sender.send_due(limit=args.limit)
            print(safe(f"{report.summary()} via {config.describe()}"))
            _print_outcomes(report)
            return 1 if report.relay_errors else 0
        print(safe(f"sending reminders via {config.describe()} as they fall due; Ctrl-C stops"), flush=True)
        total = sender.watch(poll_seconds=args.poll, on_pass=_print_pass)
    print(safe(f"stopped: {total.summary()} in all"))
    return 0


def _print_pass(report: SendReport) -> None:
    if report.sent or report.retrying or report.failed:
        print(safe(f"{clock.now():%H:%M:%S} {report.summary()}"))
        _print_outcomes(report)
        sys.stdout.flush()


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def list_reminders(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign) if args.campaign else None
    rows = outbox.stream_outbox_rows(status=args.status, campaign=campaign)
    if args.json:
        print_json(
            {
                "id": row.id, "campaign": row.campaign, "order_id": row.order_id,
                "member_name": row.member_name, "email": row.email, "status": row.status,
                "send_after": row.send_after, "next_attempt_at": row.next_attempt_at,
                "attempts": row.attempts, "last_error": row.last_error,
                "message_id": row.message_id, "sent_at": row.sent_at,
            }
            for row in rows
        )
        return 0
    counts = outbox.outbox_counts(campaign)
    print(" · ".join(f"{count} {status}" for status, count in counts.items()))
    print_table(
        (
            {
                "id": row.id, "campaign": row.campaign, "order_id": row.order_id, "email": row.email,
                "status": row.status, "due": _stamp(row.due), "sent_at": _stamp(row.sent_at),
                "attempts": row.attempts, "last_error": row.last_error,
            }
            for row in rows
        ),
        ["id", "campaign", "order_id", "email", "status", "due", "sent_at", "attempts", "last_error"],
    )
    return 0


def retry_reminders(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.failed):
        raise RejectedInput("give reminder ids or --failed (one of them): see `shiptui mail list --status failed`")
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign) if args.campaign else None
    count = outbox.retry(args.ids or None, campaign=campaign)
    print(f"{count} reminder{'' if count == 1 else 's'} queued again: `shiptui mail send` delivers them")
    return 0


def set_reminder_template(args: argparse.Namespace) -> int:
    if args.subject is not None and args.subject_file:
        raise RejectedInput("give --subject or --subject-file, not both")
    changes = args.subject is not None or args.subject_file or args.body_file
    if args.reset and changes:
        raise RejectedInput("--reset goes back to the built-in template: give it alone")
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    if args.reset:
        template = reset_template(campaign)
    elif changes:
        subject = _read(args.subject_file, "subject") if args.subject_file else args.subject
        body = _read(args.body_file, "body") if args.body_file else None
        template = set_template(campaign, subject=subject, body=body)
    else:
        template = ReminderTemplate.of(campaign)
    custom = campaign.reminder_subject_template or campaign.reminder_body_template
    print(f"# reminder template of {campaign.slug} ({'custom' if custom else 'built-in'})")
    print(f"Subject: {safe(template.subject)}\n")
    for line in template.body.splitlines():
        print(safe(line))
    return 0
