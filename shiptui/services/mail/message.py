"""Building a reminder email: plain text, UTF-8, quoted-printable, so every line an old
relay sees is 7-bit ASCII; non-ASCII names and subjects go in RFC 2047 encoded words.

Built with the email package's compat32 API: the same standards, at a sixth of the cost
of the `EmailMessage` policy machinery, which the sender's speed target needs.
"""

from __future__ import annotations

import email.charset
import email.policy
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from shiptui import clock
from shiptui.services.mail.smtp_config import SmtpConfig

_UTF8_QP = email.charset.Charset("utf-8")
_UTF8_QP.body_encoding = email.charset.QP
_WIRE = email.policy.compat32.clone(linesep="\r\n")


class UnsendableMessage(ValueError):
    """This reminder cannot be made into an email (e.g. a malformed address): retrying won't help."""


def check_recipient(email_address: str) -> str:
    address = email_address.strip()
    name, parsed = parseaddr(address)
    local, _, domain = parsed.rpartition("@")
    if parsed != address or not local or "." not in domain:
        raise UnsendableMessage(f"the member's address {address!r} is not a valid email address: correct it")
    if not address.isascii():
        raise UnsendableMessage(
            f"the member's address {address!r} has non-ASCII characters, which the relay may "
            "not carry: correct it"
        )
    return address


def _header(text: str) -> str | Header:
    return text if text.isascii() else Header(text, "utf-8")


def _address_header(text: str) -> str:
    return formataddr(parseaddr(text), "utf-8")


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
    message = MIMEText(body, "plain", _UTF8_QP)
    message["From"] = _address_header(config.sender)
    message["To"] = formataddr((" ".join(member_name.split()), check_recipient(recipient)), "utf-8")
    if config.reply_to:
        message["Reply-To"] = _address_header(config.reply_to)
    message["Subject"] = _header(" ".join(subject.split()))
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id
    # RFC 3834: a notification; auto-responders should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    return message.as_bytes(policy=_WIRE)
