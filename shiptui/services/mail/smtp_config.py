"""Where reminders go: the SMTP relay, its login, and the sender's addresses.

    SHIPTUI_SMTP_URL (or --smtp)    smtp://host:25, smtp+starttls://user@host:587, smtps://user@host:465
    SHIPTUI_SMTP_PASSWORD           the password of the URL's user, or
    SHIPTUI_SMTP_PASSWORD_FILE      a file holding it (first line)
    SHIPTUI_MAIL_FROM               the From address, e.g. "Sampling Team <team@brand.example>"
    SHIPTUI_MAIL_REPLY_TO           where replies go (optional)

The password is never part of the URL, and is never stored, printed or logged: it lives
in the SmtpConfig only, which leaves it out of its repr.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from functools import cached_property
from email.headerregistry import Address
from email.policy import SMTP
from pathlib import Path
from urllib.parse import unquote, urlsplit

from shiptui.errors import RejectedInput

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpConfig:
    scheme: str
    host: str
    port: int
    sender: str  # the From header, display name and address
    reply_to: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    @cached_property  # the same for every message of a run
    def envelope_sender(self) -> str:
        """The bare address of the From header, for MAIL FROM (bounces go there)."""
        return _address(self.sender, "the sender").addr_spec

    def describe(self) -> str:
        """The relay in words fit to print: never the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


def _address(text: str, what: str) -> Address:
    header = SMTP.header_factory("from", text)
    addresses = getattr(header, "addresses", ())
    if header.defects or len(addresses) != 1 or not addresses[0].domain:
        raise RejectedInput(
            f"{what} address {text!r} is not one email address: give e.g. "
            "'team@brand.example' or 'Sampling Team <team@brand.example>'"
        )
    return addresses[0]


def parse_smtp_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, username) of an SMTP URL, or RejectedInput saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise RejectedInput(f"the SMTP URL is not valid ({error}): give e.g. smtp+starttls://user@host:587") from None
    if parts.scheme not in SCHEMES:
        raise RejectedInput(
            f"the SMTP URL must start with {', '.join(s + '://' for s in SCHEMES)} "
            f"(got {parts.scheme + '://' if parts.scheme else 'no scheme'})"
        )
    if not parts.hostname:
        raise RejectedInput("the SMTP URL names no host: give e.g. smtp://127.0.0.1:25")
    if parts.password is not None:
        raise RejectedInput(
            "the SMTP URL contains a password: leave it out (it would show in process lists "
            "and shell history) and set SHIPTUI_SMTP_PASSWORD or SHIPTUI_SMTP_PASSWORD_FILE instead"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise RejectedInput("the SMTP URL has a path or query: give only scheme://[user@]host[:port]")
    return parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], unquote(parts.username or "")


def _password(environ, password_file: str | None) -> str:
    path = password_file or environ.get("SHIPTUI_SMTP_PASSWORD_FILE")
    if path:
        try:
            lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise RejectedInput(f"cannot read the SMTP password file {path}: {error.__class__.__name__}") from None
        if not lines or not lines[0]:
            raise RejectedInput(f"the SMTP password file {path} is empty: put the password on its first line")
        return lines[0]
    return environ.get("SHIPTUI_SMTP_PASSWORD", "")


def smtp_config(
    url: str | None = None,
    *,
    sender: str | None = None,
    reply_to: str | None = None,
    password_file: str | None = None,
    environ=None,
) -> SmtpConfig:
    """The configuration from flags, falling back to the environment."""
    environ = os.environ if environ is None else environ
    url = url or environ.get("SHIPTUI_SMTP_URL", "")
    if not url:
        raise RejectedInput("no SMTP relay configured: set SHIPTUI_SMTP_URL or give --smtp smtp://host:port")
    scheme, host, port, username = parse_smtp_url(url)
    sender = sender or environ.get("SHIPTUI_MAIL_FROM", "")
    if not sender:
        raise RejectedInput(
            "no sender address configured: set SHIPTUI_MAIL_FROM or give --from "
            "'Sampling Team <team@brand.example>'"
        )
    reply_to = reply_to or environ.get("SHIPTUI_MAIL_REPLY_TO", "")
    _address(sender, "the sender")
    if reply_to:
        _address(reply_to, "the reply-to")
    password = _password(environ, password_file)
    if password and not username:
        raise RejectedInput(
            "an SMTP password is set but the SMTP URL names no user: give smtp+starttls://USER@host:587"
        )
    if username and not password:
        raise RejectedInput(
            f"the SMTP URL names user {username!r} but no password is set: "
            "set SHIPTUI_SMTP_PASSWORD or SHIPTUI_SMTP_PASSWORD_FILE"
        )
    if password and scheme == "smtp" and not _is_loopback(host):
        raise RejectedInput(
            f"smtp://{username}@{host} would send the password unencrypted: use "
            f"smtp+starttls://{username}@{host}:587 or smtps://{username}@{host}:465"
        )
    return SmtpConfig(scheme, host, port, sender, reply_to, username, password)


def _is_loopback(host: str) -> bool:
    """A relay on this machine: a login to it in clear crosses no network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
