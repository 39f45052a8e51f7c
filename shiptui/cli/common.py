"""What every command module shares: adding a subcommand, opening the database."""

from __future__ import annotations

import argparse
from typing import Callable

from shiptui import config
from shiptui.storage import open_database

Handler = Callable[[argparse.Namespace], int]


def add_command(
    subparsers, common: argparse.ArgumentParser, name: str, handler: Handler, help: str, **extra
) -> argparse.ArgumentParser:
    """A subcommand that takes the common options (--db) and runs `handler`."""
    parser = subparsers.add_parser(name, parents=[common], help=help, description=help, **extra)
    parser.set_defaults(handler=handler)
    return parser


def open_db(args: argparse.Namespace) -> None:
    open_database(config.database_location(getattr(args, "db", None)))
