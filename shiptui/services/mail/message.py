"""Building a reminder email: plain text, UTF-8, quoted-printable, so every line an old
relay sees is 7-bit ASCII; non-ASCII names and subjects go in RFC 2047 encoded words.

The encoding is the email package's (Charset, Header, formataddr); only the assembly of
the lines is done here, because the package's message objects cost more per email than
the whole SMTP exchange, and the sender must keep up with a bare smtplib loop.
"""

from __future__ import annotations

import email.charset
import re
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache

from shiptui import clock
from shiptui.services.mail.smtp_config import SmtpConfig

_UTF8_QP = email.charset.Charset("utf-8")
_UTF8_QP.body_encoding = email.charset.QP
_MAX_LINE = 78  # RFC 5322's recommended header line length
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
    if not _PLAIN_ADDRESS.fullmatch(address):
        raise UnsendableMessage(f"the member's address {address!r} is not a valid email address: correct it")
    return address


def _header(name: str, value: str) -> str:
    """One header field, RFC 2047-encoded if it is not ASCII, folded if it is long."""
    if value.isascii() and len(name) + 2 + len(value) <= _MAX_LINE:
        return f"{name}: {value}\r\n"
    charset = "us-ascii" if value.isascii() else "utf-8"
    folded = Header(value, charset, maxlinelen=_MAX_LINE, header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}\r\n"


@lru_cache(maxsize=8)
def _address_header(name: str, text: str) -> str:
    """The From or Reply-To field of a configured address (the same for every email)."""
    return _header(name, formataddr(parseaddr(text), "utf-8"))


def build_message(
    *,
    config: SmtpConfig,
    message_id: str,
    member_name: str,
    recipient: str,
    subject: str,
    body: str,
) -> bytes:
    """The email as the bytes sent in DATA (CRLF line ends, ASCII only)."""
    to = formataddr((" ".join(member_name.split()), check_recipient(recipient)), "utf-8")
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    encoded_body = _UTF8_QP.body_encode(text).replace("\n", "\r\n")
    lines = [
        _address_header("From", config.sender),
        _header("To", to),
        _address_header("Reply-To", config.reply_to) if config.reply_to else "",
        _header("Subject", " ".join(subject.split())),
        _header("Date", format_datetime(clock.now())),
        _header("Message-ID", message_id),
        # RFC 3834: a notification; auto-responders should not answer it.
        "Auto-Submitted: auto-generated\r\n",
        "MIME-Version: 1.0\r\n",
        'Content-Type: text/plain; charset="utf-8"\r\n',
        "Content-Transfer-Encoding: quoted-printable\r\n",
        "\r\n",
        encoded_body if encoded_body.endswith("\r\n") else encoded_body + "\r\n",
    ]
    return "".join(lines).encode("ascii")
