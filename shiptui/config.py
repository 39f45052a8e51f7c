"""Where the data lives and who is working: read from flags and the environment."""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

import platformdirs


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
