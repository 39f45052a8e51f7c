"""Building a reminder email: multipart/alternative (the text and an HTML rendering of
the same template), UTF-8, quoted-printable, so every line an old relay sees is 7-bit
ASCII and at most 78 characters; non-ASCII or overlong names and subjects go in RFC 2047
encoded words. With the settings for it, List-Unsubscribe (RFC 2369, one-click per
RFC 8058) and a DKIM signature.

The encoding is the email package's (Header, formataddr) and binascii's; only the assembly of
the lines is done here, because the package's message objects cost more per email than
the whole SMTP exchange, and the sender must keep up with a bare smtplib loop.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from string import Template
from urllib.parse import quote

import dkim

from shiptui import clock
from shiptui.services.mail.smtp_config import SmtpConfig

_MAX_LINE = 78  # RFC 5322's recommended header line length
# Control characters (line breaks too) never reach a header or a one-line value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What the DKIM signature covers: what a forger would change (RFC 6376 5.4.1), and the
# unsubscribe headers, which RFC 8058 requires to be signed.
_SIGNED_HEADERS = (
    b"from", b"to", b"reply-to", b"subject", b"date", b"message-id", b"list-unsubscribe",
    b"list-unsubscribe-post", b"auto-submitted", b"mime-version", b"content-type",
)
# local@domain.tld, without the characters that would need quoting or break a header.
_PLAIN_ADDRESS = re.compile(r'[^@\s<>()\[\],;:"\\]+@[^@\s<>()\[\],;:"\\]+\.[^@\s<>()\[\],;:"\\.]+')


class UnsendableMessage(ValueError):
    """This reminder cannot be made into an email (e.g. a malformed address): retrying won't help."""


def check_recipient(address: str) -> str:
    address = address.strip()
    if not address.isascii():
        raise UnsendableMessage(
            f"the member's address {address!r} has non-ASCII characters, which the relay may "
            "not carry: correct it"
        )
    if not _PLAIN_ADDRESS.fullmatch(address) or _CONTROL.search(address):
        raise UnsendableMessage(f"the member's address {address!r} is not a valid email address: correct it")
    return address


def one_line(text: str) -> str:
    """`text` for a header or a value in a line of the body: control characters (line
    breaks too) become spaces, and every run of whitespace one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _header(name: str, value: str) -> str:
    """One unstructured header field (e.g. Subject): one line of text, RFC 2047-encoded
    if it is not ASCII or has a word too long to fold, folded if it is long."""
    value = one_line(value)
    if value.isascii() and len(name) + 2 + len(value) <= _MAX_LINE:
        return f"{name}: {value}\r\n"
    # ASCII folds at its spaces; a word longer than a line is split only by encoding it.
    foldable = value.isascii() and all(len(word) < _MAX_LINE - len(name) - 2 for word in value.split(" "))
    folded = Header(value, "us-ascii" if foldable else "utf-8", maxlinelen=_MAX_LINE,
                    header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}\r\n"


def _address_field(name: str, display_name: str, address: str) -> str:
    """An address field with a name, encoded and folded whatever the name's length or characters."""
    display_name = one_line(display_name)
    plain = formataddr((display_name, address))
    if plain.isascii() and len(name) + 2 + len(plain) <= _MAX_LINE:
        return f"{name}: {plain}\r\n"
    phrase = Header(display_name, "utf-8", maxlinelen=_MAX_LINE, header_name=name).encode(linesep="\r\n")
    last_line = phrase.rpartition("\r\n")[2]
    fold = " " if len(last_line) + len(address) + 3 <= _MAX_LINE else "\r\n "
    return f"{name}: {phrase}{fold}<{address}>\r\n"


def _list_header(name: str, items: list[str]) -> str:
    """A structured header of comma-separated items, folded between them."""
    lines, line = [], f"{name}:"
    for index, item in enumerate(items):
        piece = f" {item}{',' if index < len(items) - 1 else ''}"
        if len(line) + len(piece) > _MAX_LINE and line != f"{name}:":
            lines.append(line)
            line = ""
        line += piece
    return "\r\n".join([*lines, line]) + "\r\n"


def unsubscribe_headers(config: SmtpConfig, recipient: str, order_id: str) -> str:
    """List-Unsubscribe (and, with an https URI, RFC 8058's one-click List-Unsubscribe-Post)."""
    if not config.unsubscribe:
        return ""
    values = {"email": quote(recipient, safe=""), "order_id": quote(order_id, safe="")}
    uris = [Template(uri).substitute(values) for uri in config.unsubscribe]
    post = any(uri.startswith("https:") for uri in uris)
    return _list_header("List-Unsubscribe", [f"<{uri}>" for uri in uris]) + (
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" if post else ""
    )


def _quoted_printable(text: str) -> str:
    # binascii's encoder (C) costs a tenth of the email package's, per message.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    encoded = binascii.b2a_qp(lines, istext=True).decode("ascii").replace("\n", "\r\n")
    return encoded if encoded.endswith("\r\n") else encoded + "\r\n"


def _part(content_type: str, text: str) -> str:
    return (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + _quoted_printable(text)
        + "\r\n"  # the line break before a boundary belongs to the boundary (RFC 2046 5.1.1)
    )


@lru_cache(maxsize=8)
def _address_header(name: str, text: str) -> str:
    """The From or Reply-To field of a configured address (the same for every email)."""
    return _address_field(name, *parseaddr(text))


def build_message(
    *,
    config: SmtpConfig,
    message_id: str,
    member_name: str,
    recipient: str,
    order_id: str,
    subject: str,
    body: str,
    html: str,
) -> bytes:
    """The email as the bytes sent in DATA (CRLF line ends, ASCII only), DKIM-signed if configured."""
    recipient = check_recipient(recipient)
    # "=_" never occurs in quoted-printable text, so the boundary cannot occur in a part.
    boundary = "=_alt." + hashlib.blake2b(message_id.encode(), digest_size=9).hexdigest()
    lines = [
        _address_header("From", config.sender),
        _address_field("To", member_name, recipient),
        _address_header("Reply-To", config.reply_to) if config.reply_to else "",
        _header("Subject", subject),
        f"Date: {format_datetime(clock.now())}\r\n",
        f"Message-ID: {message_id}\r\n",
        unsubscribe_headers(config, recipient, order_id),
        # RFC 3834: a notification; auto-responders should not answer it.
        "Auto-Submitted: auto-generated\r\n",
        "MIME-Version: 1.0\r\n",
        f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n',
        "\r\n",
        f"--{boundary}\r\n",
        _part("text/plain", body),
        f"--{boundary}\r\n",
        _part("text/html", html),
        f"--{boundary}--\r\n",
    ]
    data = "".join(lines).encode("ascii")
    if config.dkim is None:
        return data
    signature = dkim.sign(
        data, config.dkim.selector.encode(), config.dkim.domain.encode(), config.dkim.private_key,
        canonicalize=(b"relaxed", b"relaxed"), include_headers=list(_SIGNED_HEADERS),
    )
    return signature + data
