"""Commands for campaigns and orders: list, ship, won't ship, track, undo, demo."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from functools import partial

from shiptui import config
from shiptui.cli.common import add_command, open_db
from shiptui.cli.output import (
    print_json,
    print_skipped,
    print_table,
    safe,
)
from shiptui.errors import RejectedInput
from shiptui.i18n import DEFAULT_LANGUAGE, _, format_date, format_number, moment, speaking
from shiptui.services import campaigns, fulfillment, history, orders, outbox, undo
from shiptui.storage import OrderStatus


def register(subparsers, common: argparse.ArgumentParser) -> None:
    command = partial(add_command, subparsers, common)

    demo = command("demo", run_demo, _("create a demo campaign and open it"))
    demo.add_argument("--orders", type=int, default=2000, metavar="N", help=_("how many orders (default 2000)"))
    demo.add_argument("--seed", type=int, default=7, metavar="S", help=_("random seed (default 7)"))
    demo.add_argument("--no-open", action="store_true", help=_("only create it; do not open the console"))

    listing = command("campaigns", list_campaigns, _("list campaigns with their order counts"))
    listing.add_argument("--json", action="store_true", help=_("print a JSON array"))

    new = command("new-campaign", new_campaign, _("create a campaign and print its slug"))
    new.add_argument("name", help=_("the campaign's name"))
    new.add_argument("--reminder-delay-days", type=int, default=7, metavar="N",
                     help=_("days between the ship date and the first review reminder (default 7)"))
    new.add_argument("--language", default="en", metavar="LANG",
                     help=_("the language of members the order file names none for, and of the email "
                            "of a member whose language has no template: en or de (default en)"))
    new.add_argument("--review-url", default="", metavar="URL",
                     help=_("where members write their review, for the email's $review_url; may use "
                            "$order_id, $sku, $product... (later: mail template --review-url)"))

    listing = command("orders", list_orders, _("list a campaign's orders"))
    listing.add_argument("campaign", metavar="CAMPAIGN")
    listing.add_argument("--status", type=_status, metavar="STATUS",
                         help=_("pending, shipped or won't ship (any case; wont_ship and the export's words too)"))
    listing.add_argument("--json", action="store_true", help=_("print a JSON array"))

    for name, handler, text in (
        ("ship", ship, _("mark orders shipped today and queue their first review reminder")),
        ("wont-ship", wont_ship, _("mark orders won't ship (undo takes it back)")),
    ):
        parser = command(name, handler, text)
        parser.add_argument("campaign", metavar="CAMPAIGN")
        parser.add_argument("order_ids", nargs="*", metavar="ORDER_ID",
                            help=_("Order IDs; - reads them from standard input, one per line (also IDs "
                                   "that start with -, which on the command line need -- before them)"))
        parser.add_argument("--from-file", metavar="FILE",
                            help=_("also read Order IDs from FILE (UTF-8 text), one per line; - is standard input"))
        parser.set_defaults(usage_error=parser.error)

    track = command("track", track_order, _("set an order's tracking number, carrier and URL"))
    track.add_argument("campaign", metavar="CAMPAIGN")
    track.add_argument("order_id", metavar="ORDER_ID")
    track.add_argument("--number", required=True, help=_("tracking number"))
    track.add_argument("--carrier", default="",
                       help=_("shipping company (known names are normalised; empty: told by the number)"))
    track.add_argument("--url", default="", help=_("tracking page (default: the carrier's page for the number)"))

    undo_parser = command("undo", undo_last, _("take back your last action in a campaign"))
    undo_parser.add_argument("campaign", metavar="CAMPAIGN")

    log = command("log", show_history, _("who did what in a campaign, newest first"))
    log.add_argument("campaign", metavar="CAMPAIGN")
    log.add_argument("--limit", type=int, default=50, metavar="N", help=_("how many actions (default 50; 0: all)"))
    log.add_argument("--json", action="store_true", help=_("print a JSON array"))

    trail = command("history", show_order_history, _("every change to one order: when, who, what, before and after"))
    trail.add_argument("campaign", metavar="CAMPAIGN")
    trail.add_argument("order_id", metavar="ORDER_ID")
    trail.add_argument("--json", action="store_true", help=_("print a JSON array"))


def _status(word: str) -> OrderStatus:
    try:
        return orders.order_status(word)
    except RejectedInput as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def open_console(args: argparse.Namespace) -> int:
    open_db(args)
    from shiptui.tui.app import run  # here, so that the other commands never load Textual

    return run(campaign_slug=args.campaign, operator=config.operator_name())


def run_demo(args: argparse.Namespace) -> int:
    from shiptui.services.demo import build_demo_campaign

    if args.orders < 1:
        raise RejectedInput(_("--orders must be at least 1"))
    open_db(args)
    campaign, created = build_demo_campaign(orders=args.orders, seed=args.seed)
    done = _("created demo campaign {slug}") if created else _("using the existing demo campaign {slug}")
    print(done.format(slug=campaign.slug))
    if args.no_open:
        return 0
    args.campaign = campaign.slug
    return open_console(args)


def list_campaigns(args: argparse.Namespace) -> int:
    open_db(args)
    rows = [
        {
            "name": summary.name,
            "slug": summary.slug,
            "reminder_delay_days": summary.reminder_delay_days,
            "pending": summary.counts.pending,
            "shipped": summary.counts.shipped,
            "wont_ship": summary.counts.wont_ship,
            "total": summary.counts.total,
        }
        for summary in campaigns.list_campaigns()
    ]
    if args.json:
        print_json(rows)
    else:
        counts = ("pending", "shipped", "wont_ship", "total")
        print_table(
            ({**row, **{count: format_number(row[count]) for count in counts}} for row in rows),
            {"slug": _("slug"), "name": _("name"), "pending": _("pending"), "shipped": _("shipped"),
             "wont_ship": _("won't ship"), "total": _("total")},
        )
    return 0


def new_campaign(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.create_campaign(
        args.name, args.reminder_delay_days, language=args.language, review_url=args.review_url
    )
    print(campaign.slug)
    return 0


ORDER_COLUMNS = [
    "order_id", "member_name", "email", "product", "status", "shipped_on",
    "carrier", "tracking_number", "tracking_url", "reminder", "language",
]


def _order_headers() -> dict[str, str]:
    """The help page's words for the columns people read."""
    return {
        "order_id": _("Order ID"), "member_name": _("member"), "email": _("email"), "product": _("product"),
        "status": _("status"), "shipped_on": _("shipped on"), "carrier": _("carrier"),
        "tracking_number": _("tracking number"), "tracking_url": _("tracking URL"),
        "reminder": _("reminder"), "language": _("language"),
    }


def list_orders(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    rows = orders.stream_order_rows(campaign, orders.OrderFilter(status=args.status))
    listed = ({column: getattr(row, column) for column in ORDER_COLUMNS} for row in rows)
    if args.json:
        print_json(listed)
    else:
        print_table(
            (
                {**row, "status": orders.status_word(row["status"]), "shipped_on": format_date(row["shipped_on"]),
                 "reminder": outbox.status_word(row["reminder"])}
                for row in listed
            ),
            _order_headers(),
        )
    return 0


def _order_keys(args: argparse.Namespace) -> list[str]:
    """The IDs of the command line, standard input (-) and --from-file, in that order."""
    keys = _read_keys(sys.stdin, _("standard input")) if args.order_ids == ["-"] else list(args.order_ids)
    if args.from_file == "-":
        keys += _read_keys(sys.stdin, _("standard input"))
    elif args.from_file:
        try:
            with open(args.from_file, encoding="utf-8-sig") as lines:
                keys += _read_keys(lines, args.from_file)
        except OSError as error:
            raise RejectedInput(_("cannot read {file}: {reason}").format(
                file=args.from_file, reason=error.strerror or error)) from None
    if not keys:
        args.usage_error(_("give the Order IDs, - to read them from standard input, or --from-file FILE"))
    return keys


def _read_keys(lines, source: str) -> list[str]:
    try:
        return [line.strip() for line in lines if line.strip()]
    except UnicodeDecodeError:
        raise RejectedInput(_("{source} is not UTF-8 text: give one Order ID per line").format(source=source)) from None


def _report(result) -> int:
    print(safe(result.summary()))
    print_skipped(result.skipped)
    for note in result.notes:
        print(f"  {safe(note)}")
    for warning in result.warnings:
        print("  " + _("warning: {warning}").format(warning=safe(warning)))
    return 0


def _bulk(args: argparse.Namespace, action) -> int:
    keys = _order_keys(args)
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    ids = orders.resolve_order_keys(campaign, keys)
    return _report(action(campaign, orders.OrderTarget.of_ids(ids), operator=config.operator_name()))


def ship(args: argparse.Namespace) -> int:
    return _bulk(args, fulfillment.mark_shipped)


def wont_ship(args: argparse.Namespace) -> int:
    return _bulk(args, fulfillment.mark_wont_ship)


def track_order(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    order = orders.get_order(campaign, args.order_id)
    return _report(
        fulfillment.update_tracking(
            campaign, order, number=args.number, carrier=args.carrier, url=args.url,
            operator=config.operator_name(),
        )
    )


def undo_last(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    result = undo.undo_last(campaign, operator=config.operator_name())
    print(safe(result.summary()))
    if result.already_sent:
        shown = ", ".join(result.already_sent)
        if more := result.already_sent_count - len(result.already_sent):
            shown += " " + _("and {count} more").format(count=format_number(more))
        print("  " + _("reminder already sent for: {orders}").format(orders=safe(shown)))
    print_skipped(result.skipped)
    return 0


def _undone(entry: history.HistoryEntry) -> str:
    if entry.undone_at:
        return _undone_by(entry.undone_at, entry.undone_by)
    if entry.partly_undone_at:
        return _("partly, {when}: the rest waits for others' changes").format(when=moment(entry.partly_undone_at))
    return ""


def _undone_by(at, by) -> str:
    return _("{when} by {operator}").format(when=moment(at), operator=by)


def show_history(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    if args.json:  # scripts read the same summaries in every language
        with speaking(DEFAULT_LANGUAGE):
            print_json(history.campaign_history(campaign, limit=args.limit or None))
        return 0
    entries = history.campaign_history(campaign, limit=args.limit or None)
    print_table(
        [
            {
                "when": moment(entry.at),
                "operator": entry.operator,
                "action": entry.summary or history.action_word(entry.kind),
                "undone": _undone(entry),
            }
            for entry in entries
        ],
        {"when": _("when"), "operator": _("operator"), "action": _("action"), "undone": _("undone")},
    )
    return 0


def show_order_history(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    if args.json:  # scripts read the same summaries in every language
        with speaking(DEFAULT_LANGUAGE):
            print_json([{**asdict(change), "changed": change.changed}
                        for change in history.order_history(campaign, args.order_id)])
        return 0
    changes = history.order_history(campaign, args.order_id)
    if not changes:
        print(_("{order_id}: no change recorded yet").format(order_id=safe(args.order_id)))
        return 0
    print_table(
        [
            {
                "when": moment(change.at),
                "operator": change.operator,
                "action": history.action_word(change.action),
                "change": history.describe_change(change),
                "undone": _undone_by(change.undone_at, change.undone_by) if change.undone_at else "",
            }
            for change in changes
        ],
        {"when": _("when"), "operator": _("operator"), "action": _("action"), "change": _("change"),
         "undone": _("undone")},
    )
    return 0
