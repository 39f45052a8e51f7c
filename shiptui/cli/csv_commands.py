"""Commands of the CSV round trip: export, import (tracking), load-orders.

They never prompt: a file is applied as a whole or rejected with the table of every
problem (exit 1, nothing changed); a field that cannot be matched is named together
with the --map option that maps it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shiptui import config
from shiptui.cli.common import add_command, open_db
from shiptui.cli.output import fail, print_table, safe
from shiptui.i18n import OPERATOR_LANGUAGES, _, counted, format_number, ngettext
from shiptui.services import campaigns
from shiptui.services.csv import errors_path, order_ids_of_lines, problem_cells, save_problems
from shiptui.services.csv.export import export_to_file, write_export
from shiptui.services.csv.mapping import (
    ORDERS,
    TRACKING,
    apply_and_remember,
    initial_mapping,
    parse_map_options,
    require_complete,
    require_decided,
    unmapped_columns,
)
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file
from shiptui.services.csv.reading import Problem, Problems, RejectedFile, open_csv
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file
from shiptui.services.files import TargetExists

PRINTED_PROBLEMS = 100  # the rest go to --save-errors
_TABLE = ["line", "column", "value", "problem", "what_to_do"]


def _table_headers() -> dict[str, str]:
    return {"line": _("line"), "column": _("column"), "value": _("value"), "problem": _("problem"),
            "what_to_do": _("what to do")}


def register(subparsers, common: argparse.ArgumentParser) -> None:
    def command(name: str, handler, help: str) -> argparse.ArgumentParser:
        parser = add_command(subparsers, common, name, handler, help)
        parser.add_argument("campaign", metavar="CAMPAIGN")
        return parser

    export = command("export", export_list, _("write a campaign's Fulfillment Distribution List (CSV)"))
    export.add_argument("-o", "--output", default="-", metavar="FILE",
                        help=_("file to write (default -: standard output)"))
    export.add_argument("--force", action="store_true",
                        help=_("replace FILE if it exists (without it an existing file is left as it is: exit 1)"))
    export.add_argument("--lang", choices=OPERATOR_LANGUAGES, default="en",
                        help=_("the language of the column names and statuses (default en, so "
                               "scripts read the same headers everywhere; the import reads both); "
                               "the Shipped Date stays MM/DD/YYYY"))

    for name, handler, text, kind in (
        ("import", import_tracking, _("import tracking data (Shipped Date, carrier, number, URL) from a CSV file"),
         TRACKING),
        ("load-orders", load_orders, _("load members, products and orders from a CSV file"), ORDERS),
    ):
        parser = command(name, handler, text)
        parser.add_argument("file", metavar="FILE", help=_("the CSV file (comma, semicolon or tab separated)"))
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help=_("read FIELD from the column headed HEADER (repeatable; FIELD= leaves it out)"))
        parser.add_argument("--ignore", action="append", default=[], metavar="HEADER",
                            help=_("leave out the column headed HEADER although its values look like "
                                   "tracking data (repeatable)"))
        parser.add_argument("--dry-run", action="store_true", help=_("check the file and report; change nothing"))
        parser.add_argument("--save-errors", metavar="FILE", nargs="?", const="",
                            help=_("write every problem to a CSV file (default: FILE-errors.csv next to the input)"))
        parser.set_defaults(kind=kind)


def export_list(args: argparse.Namespace) -> int:
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    if args.output == "-":
        count = write_export(campaign, sys.stdout, language=args.lang)
        sys.stdout.flush()
        print(_exported(count, campaign.slug), file=sys.stderr)
    else:
        target = Path(args.output).expanduser().absolute()
        try:
            count = export_to_file(campaign, target, language=args.lang, replace=args.force)
        except TargetExists:
            return fail(_("{file} exists: nothing was written; give another file, or --force to replace it").format(
                file=target))
        print(_("{exported} to {file}").format(exported=_exported(count, campaign.slug), file=safe(target)))
    return 0


def _exported(count: int, slug: str) -> str:
    return counted(ngettext("exported {count} order of {campaign}", "exported {count} orders of {campaign}", count), count, campaign=slug)


def _prepare(args: argparse.Namespace):
    open_db(args)
    campaign = campaigns.find_campaign(args.campaign)
    chosen = parse_map_options(args.kind, args.map)
    table = open_csv(args.file)  # RejectedFile: see _run
    print(_("read {file}: {described}").format(file=safe(table.path.name), described=table.described()))
    mapping = initial_mapping(args.kind, table.headers, chosen, args.ignore)
    print_table(
        [{"field": label, "column": column, "how": how} for label, column, how in mapping.describe()],
        {"field": _("field"), "column": _("column"), "how": _("how")},
    )
    # a column of tracking data under an unknown header is named first: it may be the gap
    require_decided(unmapped_columns(mapping, table.samples()), table.path.name)
    require_complete(mapping, table.path.name)
    return campaign, table, mapping


def _print_problems(args: argparse.Namespace, path: Path, problems: list[Problem] | Problems, order_id_of=None) -> None:
    """The error table; `order_id_of(line)` gives the Order ID of a problem's line (asked in line order)."""
    print_table([dict(zip(_TABLE, problem_cells(p))) for p in problems[:PRINTED_PROBLEMS]], _table_headers())
    if len(problems) > PRINTED_PROBLEMS:
        print(counted(ngettext("... and {count} more problem (all of them: --save-errors)",
                      "... and {count} more problems (all of them: --save-errors)", len(problems) - PRINTED_PROBLEMS), len(problems) - PRINTED_PROBLEMS))
    if args.save_errors is not None:
        target = Path(args.save_errors) if args.save_errors else errors_path(path)
        saved = save_problems(problems, target, order_id_of)
        print(_("problems saved to {file}").format(file=safe(saved)))


def _rejected(args: argparse.Namespace, preview) -> int:
    print(safe(preview.summary()))
    _print_problems(args, preview.file.path, preview.problems, order_ids_of_lines(preview.file, preview.mapping))
    return fail(ngettext(
        "{file} was rejected: {count} row with problems; nothing was changed. "
        "Correct them (or the mapping, with --map) and import again",
        "{file} was rejected: {count} rows with problems; nothing was changed. "
        "Correct them (or the mapping, with --map) and import again",
        preview.rejected_rows,
    ).format(file=preview.file.path.name, count=format_number(preview.rejected_rows)))


def _unreadable(args: argparse.Namespace, refused: RejectedFile) -> int:
    """A file refused as a whole: not a CSV, no rows, a duplicated header, a row csv cannot read."""
    _print_problems(args, refused.path, refused.problems)
    first = refused.problems[0].message()
    if len(refused.problems) > 1:
        first += " " + _("(and {count} more, listed above)").format(count=format_number(len(refused.problems) - 1))
    return fail(_("{file} was rejected, nothing was changed: {problem}").format(file=refused.path.name, problem=first))


def _run(args: argparse.Namespace, check, apply) -> int:
    try:
        campaign, table, mapping = _prepare(args)
        preview = check(campaign, table, mapping)
    except RejectedFile as refused:
        return _unreadable(args, refused)
    if not preview.ok:
        return _rejected(args, preview)
    for warning in getattr(preview, "warnings", []):
        print("  " + _("warning: {warning}").format(warning=safe(warning.message())))
    if args.dry_run:
        print(safe(preview.summary()) + " " + _("(dry run: nothing was changed)"))
        return 0
    operator = config.operator_name()
    result = apply_and_remember(apply, campaign, preview, operator=operator)
    print(safe(result.summary()))
    return 0


def import_tracking(args: argparse.Namespace) -> int:
    return _run(args, check_tracking_file, apply_tracking_import)


def load_orders(args: argparse.Namespace) -> int:
    return _run(args, check_orders_file, apply_orders_import)
