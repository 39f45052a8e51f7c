"""Where the data lives, who is working, and every other setting the environment gives:
shiptui reads environment variables here only."""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from pathlib import Path

import platformdirs


def environment() -> Mapping[str, str]:
    """The process's environment, for settings parsed as a whole (the mail relay's)."""
    return os.environ


def fixed_now() -> str:
    """`SHIPTUI_NOW`: the moment the clock is fixed at (tests, demos, backdating), or ""."""
    return os.environ.get("SHIPTUI_NOW", "")


def chosen_language() -> str:
    """`SHIPTUI_LANG`: the console language the operator asked for, or ""."""
    return os.environ.get("SHIPTUI_LANG", "")


def session_locale() -> str:
    """The locale the session passes: the first of LC_ALL, LC_MESSAGES and LANG that is set (POSIX)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return value
    return ""


def mail_from() -> str:
    """`SHIPTUI_MAIL_FROM`: the reminders' sender, e.g. "Sampling Team <team@brand.example>", or ""."""
    return os.environ.get("SHIPTUI_MAIL_FROM", "")


def theme() -> str:
    """`SHIPTUI_THEME`: the console's theme by name (e.g. textual-light for a light terminal), or ""."""
    return os.environ.get("SHIPTUI_THEME", "").strip()


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir("shiptui")) / "shiptui.sqlite3"


def database_location(flag: str | None = None) -> str:
    """`--db` beats `SHIPTUI_DB`, which beats the file under the user's data directory."""
    return flag or os.environ.get("SHIPTUI_DB") or str(default_database_path())


def operator_name() -> str:
    """The login name of the operator, recorded on every change (`SHIPTUI_OPERATOR` overrides)."""
    override = os.environ.get("SHIPTUI_OPERATOR", "").strip()
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): still say something true
        return f"uid-{os.getuid()}"


# The password of user:password@ in any URL (up to the last @ before a space, so a
# password holding @ or / is covered too), and password= in a query or a libpq string.
_URL_PASSWORD = re.compile(r"(?P<lead>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/?#@]*):\S*@")
_PASSWORD_PARAMETER = re.compile(r"(?i)(?P<lead>\bpass(?:word|wd)?=)[^\s&;'\"]*")


def redacted(text: str) -> str:
    """`text` fit to print or log: every password in a URL (or password=) shown as ***."""
    text = _URL_PASSWORD.sub(r"\g<lead>:***@", text)
    return _PASSWORD_PARAMETER.sub(r"\g<lead>***", text)
