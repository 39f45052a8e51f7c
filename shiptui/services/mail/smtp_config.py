"""Where reminders go: the SMTP relay, its login, and the sender's addresses.

    SHIPTUI_SMTP_URL (or --smtp)    smtp://host:25, smtp+starttls://user@host:587, smtps://user@host:465
    SHIPTUI_SMTP_PASSWORD           the password of the URL's user, or
    SHIPTUI_SMTP_PASSWORD_FILE      a file holding it (first line)
    SHIPTUI_MAIL_FROM               the From address, e.g. "Sampling Team <team@brand.example>"
    SHIPTUI_MAIL_REPLY_TO           where replies go (optional)
    SHIPTUI_MAIL_UNSUBSCRIBE        List-Unsubscribe: a mailto: and/or an https:// URI, with
                                    $email and $order_id (optional; mail send warns without it)
    SHIPTUI_DKIM_KEY_FILE           DKIM: the private key (PEM) and its selector; the domain
    SHIPTUI_DKIM_SELECTOR           is the From address's (optional, both or neither)
    SHIPTUI_MAIL_RATE               at most N messages per second, minute or hour, across every
                                    sender on the database: "30/min" (optional)

The password is never part of the URL, and is never stored, printed or logged: it lives
in the SmtpConfig only, which leaves it out of its repr.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from string import Template
from functools import cached_property
from email.headerregistry import Address
from email.policy import SMTP
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dkim.crypto

from shiptui import config
from shiptui.errors import RejectedInput
from shiptui.i18n import N_, _

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
DEFAULT_TIMEOUT_SECONDS = 30.0
UNSUBSCRIBE_PLACEHOLDERS = ("email", "order_id")
RATE_PERIODS = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "hour": 3600.0}


@dataclass(frozen=True)
class DkimKey:
    selector: str
    domain: str
    private_key: bytes = field(repr=False)


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
    unsubscribe: tuple[str, ...] = ()  # List-Unsubscribe URI templates ($email, $order_id)
    dkim: DkimKey | None = None

    @cached_property  # the same for every message of a run
    def envelope_sender(self) -> str:
        """The bare address of the From header, for MAIL FROM (bounces go there)."""
        return _address(self.sender, SENDER).addr_spec

    def describe(self) -> str:
        """The relay in words fit to print: never the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


SENDER, REPLY_TO = N_("the sender address"), N_("the reply-to address")


def _address(text: str, what: str) -> Address:
    header = SMTP.header_factory("from", text)
    addresses = getattr(header, "addresses", ())
    if header.defects or len(addresses) != 1 or not addresses[0].domain:
        raise RejectedInput(_(
            "{what} {address} is not one email address: give e.g. "
            "'team@brand.example' or 'Sampling Team <team@brand.example>'"
        ).format(what=_(what), address=repr(text)))
    return addresses[0]


def parse_smtp_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, username) of an SMTP URL, or RejectedInput saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise RejectedInput(_("the SMTP URL is not valid ({error}): give e.g. smtp+starttls://user@host:587").format(
            error=error)) from None
    if parts.scheme not in SCHEMES:
        raise RejectedInput(
            _("the SMTP URL must start with {schemes} (got {scheme})").format(
                schemes=", ".join(s + "://" for s in SCHEMES),
                scheme=parts.scheme + "://" if parts.scheme else _("no scheme"))
        )
    if not parts.hostname:
        raise RejectedInput(_("the SMTP URL names no host: give e.g. smtp://127.0.0.1:25"))
    if parts.password is not None:
        raise RejectedInput(_(
            "the SMTP URL contains a password: leave it out (it would show in process lists "
            "and shell history) and set SHIPTUI_SMTP_PASSWORD or SHIPTUI_SMTP_PASSWORD_FILE instead"
        ))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise RejectedInput(_("the SMTP URL has a path or query: give only scheme://[user@]host[:port]"))
    return parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], unquote(parts.username or "")


def _password(environ, password_file: str | None) -> str:
    path = password_file or environ.get("SHIPTUI_SMTP_PASSWORD_FILE")
    if path:
        try:
            lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise RejectedInput(_("cannot read the SMTP password file {path}: {error}").format(
                path=path, error=error.__class__.__name__)) from None
        if not lines or not lines[0]:
            raise RejectedInput(_("the SMTP password file {path} is empty: put the password on its first line").format(
                path=path))
        return lines[0]
    return environ.get("SHIPTUI_SMTP_PASSWORD", "")


def parse_unsubscribe(text: str) -> tuple[str, ...]:
    """The List-Unsubscribe URI templates of SHIPTUI_MAIL_UNSUBSCRIBE, or RejectedInput."""
    uris = tuple(uri.strip().strip("<>") for uri in re.split(r"[\s,]+", text.strip()) if uri.strip("<> "))
    what = "SHIPTUI_MAIL_UNSUBSCRIBE"
    if not 1 <= len(uris) <= 2:
        raise RejectedInput(_("{what} takes one or two URIs (a mailto: and/or an https:// URL), got {count}").format(
            what=what, count=len(uris)))
    schemes = [uri.partition(":")[0].lower() for uri in uris]
    for uri, scheme in zip(uris, schemes):
        if scheme not in ("mailto", "https"):
            raise RejectedInput(_(
                "{what}: {uri} is neither a mailto: nor an https:// URI (one-click unsubscribe "
                "needs https): give e.g. mailto:unsubscribe@brand.example or https://brand.example/unsubscribe?e=$email"
            ).format(what=what, uri=repr(uri)))
        if not uri.isascii() or any(ord(char) < 33 or ord(char) == 127 for char in uri):
            raise RejectedInput(_("{what}: {uri} has spaces, control or non-ASCII characters: percent-encode them").format(
                what=what, uri=repr(uri)))
        try:
            Template(uri).substitute(dict.fromkeys(UNSUBSCRIBE_PLACEHOLDERS, "x"))
        except (KeyError, ValueError):
            raise RejectedInput(_(
                "{what}: {uri} has a placeholder other than $email and $order_id (write $$ for a dollar sign)"
            ).format(what=what, uri=repr(uri))) from None
    if len(set(schemes)) != len(schemes):
        raise RejectedInput(_("{what}: give at most one mailto: and one https:// URI").format(what=what))
    return uris


def parse_rate(text: str) -> float:
    """Seconds between two messages of a rate like "60/min", "2/s" or "500/h"."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*", text.lower())
    if not match or match.group(2) not in RATE_PERIODS or float(match.group(1)) <= 0:
        raise RejectedInput(
            _("the sending rate {rate} is not N/s, N/min or N/h with N above 0: give e.g. --rate 30/min").format(
                rate=repr(text))
        )
    return RATE_PERIODS[match.group(2)] / float(match.group(1))


def sending_interval(rate: str | None = None, environ=None) -> float:
    """Seconds between messages from --rate, else SHIPTUI_MAIL_RATE; 0 when neither is set."""
    environ = config.environment() if environ is None else environ
    rate = rate or environ.get("SHIPTUI_MAIL_RATE", "")
    return parse_rate(rate) if rate.strip() else 0.0


def _dkim_key(environ, sender: str) -> DkimKey | None:
    key_file = environ.get("SHIPTUI_DKIM_KEY_FILE", "")
    selector = environ.get("SHIPTUI_DKIM_SELECTOR", "").strip()
    if not key_file and not selector:
        return None
    if not key_file or not selector:
        missing = "SHIPTUI_DKIM_SELECTOR" if key_file else "SHIPTUI_DKIM_KEY_FILE"
        raise RejectedInput(_("DKIM signing needs SHIPTUI_DKIM_KEY_FILE and SHIPTUI_DKIM_SELECTOR: set {missing} too").format(
            missing=missing))
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*", selector):
        raise RejectedInput(_("SHIPTUI_DKIM_SELECTOR {selector} is not a DNS label: give e.g. shiptui2026").format(
            selector=repr(selector)))
    try:
        private_key = Path(key_file).expanduser().read_bytes()
        dkim.crypto.parse_pem_private_key(private_key)
    except OSError as error:
        raise RejectedInput(_("cannot read the DKIM key file {path}: {reason}").format(
            path=key_file, reason=error.strerror or error)) from None
    except (dkim.crypto.UnparsableKeyError, ValueError, IndexError):
        raise RejectedInput(_(
            "the DKIM key file {path} holds no RSA private key in PEM form: "
            "make one with `openssl genrsa -out dkim.pem 2048`"
        ).format(path=key_file)) from None
    return DkimKey(selector, _address(sender, SENDER).domain.lower(), private_key)


def smtp_config(
    url: str | None = None,
    *,
    sender: str | None = None,
    reply_to: str | None = None,
    password_file: str | None = None,
    environ=None,
    relay: bool = True,
) -> SmtpConfig:
    """The configuration from flags, falling back to the environment.

    relay=False: only what the message needs (addresses, unsubscribe, DKIM), for a preview.
    """
    environ = config.environment() if environ is None else environ
    url = url or environ.get("SHIPTUI_SMTP_URL", "")
    if not url and relay:
        raise RejectedInput(_("no SMTP relay configured: set SHIPTUI_SMTP_URL or give --smtp smtp://host:port"))
    scheme, host, port, username = parse_smtp_url(url) if relay else ("smtp", "", 0, "")
    sender = sender or environ.get("SHIPTUI_MAIL_FROM", "")
    if not sender:
        raise RejectedInput(_(
            "no sender address configured: set SHIPTUI_MAIL_FROM or give --from "
            "'Sampling Team <team@brand.example>'"
        ))
    reply_to = reply_to or environ.get("SHIPTUI_MAIL_REPLY_TO", "")
    _address(sender, SENDER)
    if reply_to:
        _address(reply_to, REPLY_TO)
    unsubscribe = environ.get("SHIPTUI_MAIL_UNSUBSCRIBE", "")
    message_settings = {
        "unsubscribe": parse_unsubscribe(unsubscribe) if unsubscribe.strip() else (),
        "dkim": _dkim_key(environ, sender),
    }
    if not relay:
        return SmtpConfig(scheme, host, port, sender, reply_to, **message_settings)
    password = _password(environ, password_file)
    if not password.isascii():
        raise RejectedInput(_(
            "the SMTP password has non-ASCII characters, which SMTP AUTH (as the relay is spoken to) "
            "cannot carry: set an ASCII password for the relay's user"
        ))
    if password and not username:
        raise RejectedInput(_(
            "an SMTP password is set but the SMTP URL names no user: give smtp+starttls://USER@host:587"
        ))
    if username and not password:
        raise RejectedInput(_(
            "the SMTP URL names user {user} but no password is set: "
            "set SHIPTUI_SMTP_PASSWORD or SHIPTUI_SMTP_PASSWORD_FILE"
        ).format(user=repr(username)))
    if password and scheme == "smtp" and not _is_loopback(host):
        raise RejectedInput(_(
            "{plain} would send the password unencrypted: use {starttls} or {tls}"
        ).format(plain=f"smtp://{username}@{host}", starttls=f"smtp+starttls://{username}@{host}:587",
                 tls=f"smtps://{username}@{host}:465"))
    return SmtpConfig(scheme, host, port, sender, reply_to, username, password, **message_settings)


def _is_loopback(host: str) -> bool:
    """A relay on this machine: a login to it in clear crosses no network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
