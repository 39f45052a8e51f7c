"""`shiptui mail ...`: send the review reminders, list, retry and preview them, set the
template, keep the suppression list."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from shiptui import clock, config as settings
from shiptui.cli.common import add_command, open_db
from shiptui.cli.output import print_json, print_table, safe
from shiptui.errors import RejectedInput
from shiptui.services import campaigns, outbox
from shiptui.services.mail import suppression
from shiptui.services.mail.pace import Pace
from shiptui.services.mail.sender import DEFAULT_BATCH_SIZE, Sender, SendReport, preview
from shiptui.services.mail.smtp_config import sending_interval, smtp_config
from shiptui.i18n import _, counted, format_number, language_name, moment, ngettext
from shiptui.services.mail.template import (
    PLACEHOLDERS,
    CampaignTemplates,
    check_review_url,
    has_own_template,
    reset_template,
    set_review_url,
    set_template,
    template_language,
)
from shiptui.storage import ReminderStatus


def placeholder_help() -> str:
    return _("placeholders ($name or ${name}; $$ is a dollar sign):") + "\n" + "\n".join(
        f"  ${name:<17}{_(meaning)}" for name, meaning in PLACEHOLDERS.items()
    ) + "\n\n" + _(
        "A line whose placeholder has no value (no tracking yet, no review URL) is left out, "
        "and so is a paragraph that loses every such line. A member gets the template of "
        "their language, else the campaign's language's."
    )


def register(subparsers, common: argparse.ArgumentParser) -> None:
    mail = subparsers.add_parser(
        "mail", help=_("send, list and retry the review reminders; set their template"),
        description=_("The review-reminder outbox."),
    )
    commands = mail.add_subparsers(dest="mail_command", metavar="MAIL_COMMAND", required=True)

    command = partial(add_command, commands, common)

    send = command(
        "send", send_reminders, _("send the reminders that are due, once each, and exit"),
        epilog=_("The relay and addresses come from SHIPTUI_SMTP_URL, SHIPTUI_MAIL_FROM, "
                 "SHIPTUI_MAIL_REPLY_TO; the password from SHIPTUI_SMTP_PASSWORD or "
                 "SHIPTUI_SMTP_PASSWORD_FILE (never from the URL); List-Unsubscribe from "
                 "SHIPTUI_MAIL_UNSUBSCRIBE; DKIM from SHIPTUI_DKIM_KEY_FILE and SHIPTUI_DKIM_SELECTOR."),
    )
    send.add_argument("--smtp", metavar="URL",
                      help=_("smtp://host:port, smtp+starttls://user@host:587 or smtps://user@host:465"))
    send.add_argument("--from", dest="sender", metavar="ADDRESS", help=_("the From address"))
    send.add_argument("--reply-to", metavar="ADDRESS", help=_("where members' replies go"))
    send.add_argument("--smtp-password-file", metavar="PATH", help=_("read the SMTP password from this file"))
    send.add_argument("--watch", action="store_true", help=_("keep running and send new reminders as they fall due"))
    send.add_argument("--poll", type=float, default=5.0, metavar="SECONDS",
                      help=_("with --watch: how often to look for due reminders (default 5)"))
    send.add_argument("--limit", type=int, metavar="N", help=_("send at most N reminders"))
    send.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N",
                      help=_("reminders per SMTP connection (default {count})").format(count=DEFAULT_BATCH_SIZE))
    send.add_argument("--rate", metavar="N/PERIOD",
                      help=_("at most N messages per s, min or h, evenly spaced, across every sender "
                             "on this database (default SHIPTUI_MAIL_RATE, else as fast as the relay answers)"))

    show = command("preview", preview_reminder,
                   _("print the exact email an order's reminder would be, without sending or changing anything"))
    show.add_argument("campaign", metavar="CAMPAIGN")
    show.add_argument("order_id", metavar="ORDER_ID")
    show.add_argument("--from", dest="sender", metavar="ADDRESS", help=_("the From address"))
    show.add_argument("--reply-to", metavar="ADDRESS", help=_("where members' replies go"))

    block = command(
        "suppress", suppress_addresses,
        _("never send a reminder to these addresses, in any campaign (e.g. unsubscribed)"),
        epilog=_("Addresses compare case-insensitively on the domain, as given on the local part. "
                 "Their queued reminders are marked suppressed; `mail unsuppress` queues them again."),
    )
    block.add_argument("emails", nargs="*", metavar="EMAIL")
    block.add_argument("--file", metavar="CSV", help=_("a CSV file with an Email column, e.g. an unsubscribe export"))
    block.add_argument("--reason", metavar="TEXT", help=_("why (default: 'unsubscribed')"))

    unblock = command("unsuppress", unsuppress_addresses,
                      _("take addresses off the suppression list; their suppressed reminders are queued again"))
    unblock.add_argument("emails", nargs="+", metavar="EMAIL")

    blocked = command("suppressed", list_suppressed, _("the suppression list: email, reason, since, by"))
    blocked.add_argument("--json", action="store_true", help=_("print a JSON array"))

    listing = command("list", list_reminders, _("list the reminders, due first"))
    listing.add_argument("--status", choices=[status.value for status in ReminderStatus],
                         help=_("only the reminders of this status"))
    listing.add_argument("--campaign", metavar="CAMPAIGN", help=_("only this campaign's reminders"))
    listing.add_argument("--json", action="store_true", help=_("print a JSON array"))

    again = command("retry", retry_reminders, _("queue failed reminders again (or hurry queued ones)"))
    again.add_argument("ids", nargs="*", type=int, metavar="ID", help=_("reminder ids, as `mail list` shows them"))
    again.add_argument("--failed", action="store_true", help=_("every failed reminder"))
    again.add_argument("--campaign", metavar="CAMPAIGN", help=_("with --failed: only this campaign's"))

    template = command(
        "template", set_reminder_template,
        _("show or replace a campaign's reminder template"),
        epilog=placeholder_help() + "\n\n" + _("Without options, prints the current template."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template.add_argument("campaign", metavar="CAMPAIGN")
    template.add_argument("--subject", metavar="TEXT", help=_("the subject line template"))
    template.add_argument("--subject-file", metavar="PATH", help=_("read the subject template from a file"))
    template.add_argument("--body-file", metavar="PATH", help=_("read the body template from a file (UTF-8)"))
    template.add_argument("--reset", action="store_true", help=_("go back to the built-in template"))
    template.add_argument("--lang", metavar="LANG",
                          help=_("the language of the template to show or set: de, en... "
                                 "(default: the campaign's language)"))
    template.add_argument("--review-url", metavar="URL",
                          help=_("set where members write their review ($review_url), e.g. "
                                 "https://brand.example/review?order=$order_id; \"\" clears it"))


def _read(path: str) -> str:
    try:
        return Path(path).expanduser().read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RejectedInput(_("the file {file} does not exist").format(file=path)) from None
    except UnicodeDecodeError:
        raise RejectedInput(_("the file {file} is not UTF-8 text: save it as UTF-8").format(file=path)) from None
    except OSError as error:
        raise RejectedInput(_("cannot read {file}: {reason}").format(file=path, reason=error.strerror)) from None


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
    for outcome in report.suppressed:
        print("  " + _("suppressed #{id} {order_id} <{email}>").format(
            id=outcome.reminder_id, order_id=safe(outcome.order_id), email=safe(outcome.recipient)))
    for outcome in report.failed:
        print("  " + _("failed #{id} {order_id} <{email}>: {error}").format(
            id=outcome.reminder_id, order_id=safe(outcome.order_id), email=safe(outcome.recipient),
            error=safe(outcome.error)))
    for outcome in report.retrying:
        print("  " + _("will retry #{id} {order_id}: {error}").format(
            id=outcome.reminder_id, order_id=safe(outcome.order_id), error=safe(outcome.error)))
    for error in dict.fromkeys(report.relay_errors):
        print(f"shiptui: {safe(error)}", file=sys.stderr)


def send_reminders(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise RejectedInput(_("--limit must be at least 1"))
    if args.limit is not None and args.watch:
        raise RejectedInput(_("--limit counts the reminders of one run: give it without --watch"))
    if args.batch_size < 1:
        raise RejectedInput(_("--batch-size must be at least 1"))
    if args.poll <= 0:
        raise RejectedInput(_("--poll must be a positive number of seconds"))
    config = smtp_config(
        args.smtp, sender=args.sender, reply_to=args.reply_to, password_file=args.smtp_password_file
    )
    interval = sending_interval(args.rate)
    open_db(args)
    logging.basicConfig(level=logging.WARNING, format="shiptui: %(message)s")
    if not config.unsubscribe:
        print("shiptui: " + _("warning: {warning}").format(warning=_(
            "SHIPTUI_MAIL_UNSUBSCRIBE is not set, so reminders go without "
            "List-Unsubscribe, which mailbox providers expect of bulk senders: set it to a "
            "mailto: and/or an https:// URI")), file=sys.stderr)
    stop = threading.Event()
    sender = Sender(config, batch_size=args.batch_size, stop=stop, pace=Pace(interval))
    with _stop_on_signals(stop):
        if not args.watch:
            report = sender.send_due(limit=args.limit)
            print(safe(_("{summary} via {relay}").format(summary=report.summary(), relay=config.describe())))
            _print_outcomes(report)
            return 1 if report.relay_errors else 0
        print(safe(_("sending reminders via {relay} as they fall due; Ctrl-C stops").format(relay=config.describe())),
              flush=True)
        total = sender.watch(poll_seconds=args.poll, on_pass=_print_pass)
    print(safe(_("stopped: {summary} in all").format(summary=total.summary())))
    return 0


def _print_pass(report: SendReport) -> None:
    if report.sent or report.retrying or report.failed:
        print(safe(f"{clock.now():%H:%M:%S} {report.summary()}"))
        _print_outcomes(report)
        sys.stdout.flush()




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
    print(" · ".join(f"{format_number(count)} {outbox.status_word(status)}" for status, count in counts.items()))
    print_table(
        (
            {
                "id": row.id, "campaign": row.campaign, "order_id": row.order_id, "email": row.email,
                "status": outbox.status_word(row.status), "due": moment(row.due), "sent_at": moment(row.sent_at),
                "attempts": row.attempts, "last_error": row.last_error,
            }
            for row in rows
        ),
        {"id": _("id"), "campaign": _("campaign"), "order_id": _("Order ID"), "email": _("email"),
         "status": _("status"), "due": _("due"), "sent_at": _("sent at"), "attempts": _("attempts"),
         "last_error": _("last error")},
    )
    return 0


def preview_reminder(args: argparse.Namespace) -> int:
    config = smtp_config(sender=args.sender, reply_to=args.reply_to, relay=False)
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    reminder, data = preview(config, campaign, args.order_id)
    listed = suppression.suppressed_among([reminder.recipient])
    note = "# " + _("reminder #{id} is {status}").format(id=reminder.id, status=outbox.status_word(reminder.status))
    if listed:
        note += "; " + _("{email} is on the suppression list, so it would not be sent").format(email=reminder.recipient)
    print(safe(note), file=sys.stderr)
    sys.stdout.flush()
    # Exactly the bytes of DATA: ASCII only, control characters never among them.
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def _print_suppressed(result: suppression.SuppressResult) -> None:
    added = counted(ngettext("{count} address suppressed", "{count} addresses suppressed", len(result.added)), len(result.added))
    if result.already:
        added += ", " + counted(ngettext("{count} already was", "{count} already were", len(result.already)), len(result.already))
    print(added + "; " + counted(ngettext("{count} queued reminder will not be sent", "{count} queued reminders will not be sent",
                                 result.reminders_suppressed), result.reminders_suppressed))


def suppress_addresses(args: argparse.Namespace) -> int:
    if bool(args.emails) == bool(args.file):
        raise RejectedInput(_("give email addresses or --file CSV (one of them)"))
    open_db(args)
    by = settings.operator_name()
    if args.file:
        reason = args.reason or _("unsubscribed ({file})").format(file=Path(args.file).name)
        result = suppression.suppress_file(args.file, reason=reason, by=by)
    else:
        result = suppression.suppress(args.emails, reason=args.reason or _("unsubscribed"), by=by)
    _print_suppressed(result)
    return 0


def unsuppress_addresses(args: argparse.Namespace) -> int:
    open_db(args)
    result = suppression.unsuppress(args.emails)
    print(counted(ngettext("{count} address taken off the list", "{count} addresses taken off the list", len(result.removed)), len(result.removed))
          + "; " + counted(ngettext("{count} reminder queued again", "{count} reminders queued again", result.reminders_queued), result.reminders_queued))
    if result.not_listed:
        print(safe("  " + _("not on the list: {emails}").format(emails=", ".join(result.not_listed))))
    return 0


def list_suppressed(args: argparse.Namespace) -> int:
    open_db(args)
    rows = suppression.suppressions()
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [{"email": row.email, "reason": row.reason, "since": moment(row.since), "by": row.by} for row in rows],
        {"email": _("email"), "reason": _("reason"), "since": _("since"), "by": _("by")},
    )
    return 0


def retry_reminders(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.failed):
        raise RejectedInput(_("give reminder ids or --failed (one of them): see `shiptui mail list --status failed`"))
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign) if args.campaign else None
    count = outbox.retry(args.ids or None, campaign=campaign)
    print(counted(ngettext("{count} reminder queued again: `shiptui mail send` delivers it",
                  "{count} reminders queued again: `shiptui mail send` delivers them", count), count))
    return 0


def set_reminder_template(args: argparse.Namespace) -> int:
    if args.subject is not None and args.subject_file:
        raise RejectedInput(_("give --subject or --subject-file, not both"))
    changes = args.subject is not None or args.subject_file or args.body_file
    if args.reset and changes:
        raise RejectedInput(_("--reset goes back to the built-in template: give it alone"))
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    language = template_language(args.lang, campaign)
    review_url = None if args.review_url is None else check_review_url(args.review_url)
    if args.reset:
        reset_template(campaign, language)
    elif changes:
        subject = _read(args.subject_file) if args.subject_file else args.subject
        body = _read(args.body_file) if args.body_file else None
        set_template(campaign, subject=subject, body=body, language=language)
    if review_url is not None:  # checked above: a rejected template leaves it unchanged too
        set_review_url(campaign, review_url)
    written_in, template = CampaignTemplates.of(campaign).for_member(language)
    if written_in != language:
        print(_("# no template in {language}: its members get the campaign's {fallback} one").format(
            language=language_name(language), fallback=language_name(written_in)))
    origin = _("custom") if has_own_template(campaign, written_in) else _("built-in")
    print(_("# reminder template of {campaign} in {language} ({origin})").format(
        campaign=campaign.slug, language=language_name(written_in), origin=origin))
    if campaign.review_url:
        print(_("# review URL: {url}").format(url=safe(campaign.review_url)))
    print(_("Subject: {subject}").format(subject=safe(template.subject)) + "\n")
    for line in template.body.splitlines():
        print(safe(line))
    return 0
