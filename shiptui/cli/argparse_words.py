"""argparse's own words (usage:, options, error:, "the following arguments are required")
in the operator's language.

argparse looks up its messages with the module-level `_` and `ngettext` it imported from
gettext; pointing those at shiptui's catalog translates them for German operators and leaves
them as they are in English. The messages an operator can meet are marked here for the catalog.
"""

from __future__ import annotations

import argparse

from shiptui.i18n import N_, _, ngettext

N_("usage: ")
N_("positional arguments")
N_("options")
N_("show this help message and exit")
N_("%(prog)s: error: %(message)s\n")
N_("argument %(argument_name)s: %(message)s")
N_("unrecognized arguments: %s")
N_("the following arguments are required: %s")
N_("one of the arguments %s is required")
N_("not allowed with argument %s")
N_("expected one argument")
N_("expected at most one argument")
N_("expected at least one argument")
N_("ambiguous option: %(option)s could match %(matches)s")
N_("invalid %(type)s value: %(value)r")
N_("invalid choice: %(value)r (choose from %(choices)s)")
N_("ignored explicit argument %r")


def speak_operator_language() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
