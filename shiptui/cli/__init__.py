"""The `shiptui` command: a scriptable front to the same services the TUI uses.

Exit codes: 0 success, 1 rejected input or unavailable database (nothing changed),
2 usage. No traceback reaches the operator: an unexpected error is logged to a file
and named in one line.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import traceback
from datetime import datetime
from pathlib import Path

import peewee
import platformdirs

from shiptui import __version__
from shiptui.config import redacted
from shiptui.cli import csv_commands, fulfillment_commands, mail_commands
from shiptui.cli.argparse_words import speak_operator_language
from shiptui.cli.output import fail
from shiptui.errors import ShiptuiError
from shiptui.i18n import _
from shiptui.storage.driver_errors import describe

EXIT_OK = 0

# Each module adds its subcommands; a subcommand's handler takes the parsed
# arguments and returns an exit code.
COMMAND_MODULES = [fulfillment_commands, csv_commands, mail_commands]


def build_parser() -> argparse.ArgumentParser:
    speak_operator_language()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH_OR_URL",
        help=_("SQLite file or postgresql:// URL (default: $SHIPTUI_DB, else a file in your data directory)"),
    )
    parser = argparse.ArgumentParser(
        prog="shiptui",
        parents=[common],
        description=_("Terminal fulfillment console of a product-sampling campaign. "
                      "Without a command, opens the console."),
    )
    parser.add_argument("--version", action="version", version=f"shiptui {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--campaign", metavar="SLUG", help=_("open this campaign's dashboard directly"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    parser.set_defaults(handler=fulfillment_commands.open_console)
    return parser


LOG_MODE = 0o600  # the log holds tracebacks of the operator's data: theirs alone


def _log_crash() -> Path | None:
    try:
        log_dir = Path(platformdirs.user_log_dir("shiptui"))
        log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = log_dir / "errors.log"
        # Appended to, never through a link; a log made world-readable before is closed up.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, LOG_MODE)
        os.fchmod(descriptor, stat.S_IMODE(os.fstat(descriptor).st_mode) & ~0o077)
        with open(descriptor, "a", encoding="utf-8") as log:
            argv = [redacted(argument) for argument in sys.argv[1:]]
            log.write(f"--- {datetime.now().isoformat()} shiptui {__version__} {argv}\n")
            log.write(redacted(traceback.format_exc()))
        return path
    except OSError:
        return None


def _no_permission_for_others() -> None:
    """Files the command creates give "other" nothing; the group keeps what the umask
    gives it (the shared-server set-up of the README)."""
    os.umask(os.umask(0o077) | 0o007)


def main(argv: list[str] | None = None) -> int:
    _no_permission_for_others()
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ShiptuiError, peewee.OperationalError) as error:
        return fail(describe(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `shiptui orders x | head`
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 — the operator gets a line, the log gets the rest
        log = _log_crash()
        text = _("internal error: {error}").format(error=f"{type(error).__name__}: {error}")
        if log:
            text += " " + _("(details in {log})").format(log=log)
        return fail(redacted(text))
