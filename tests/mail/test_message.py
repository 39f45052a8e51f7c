"""The email itself: what an old relay and a mail client see."""

from __future__ import annotations

import email
import email.policy

import pytest

from shiptui.services.mail.message import UnsendableMessage, build_message
from shiptui.services.mail.sender import Sender
from shiptui.services.mail.smtp_config import SmtpConfig
from shiptui.services.mail.template import set_template
from shiptui.services.orders import get_order

from tests.mail.conftest import ship

CONFIG = SmtpConfig("smtp", "127.0.0.1", 25, "Équipe Échantillons <team@brand.example>", "help@brand.example")


def build(**changes) -> bytes:
    values = dict(
        config=CONFIG, message_id="<first-review.spring.7@host.example>", member_name="Zoë Müller",
        recipient="zoe@example.com", order_id="SO-7", subject="Your serum", body="Hello\n",
        html="<p>Hello</p>\n",
    )
    return build_message(**{**values, **changes})


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def test_every_line_is_short_7_bit_ascii_with_crlf():
    data = build(
        subject="Ihr Hydra Glow Serum 30 ml aus der Kampagne „Winterpflege für alle“ ist unterwegs – viel Freude",
        body="Grüße aus Köln\n" + "ä" * 400 + "\n",
    )
    assert data.isascii()
    lines = data.split(b"\r\n")
    assert all(len(line) <= 78 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
    message = parse(data)
    assert message["Subject"] == "Ihr Hydra Glow Serum 30 ml aus der Kampagne „Winterpflege für alle“ ist unterwegs – viel Freude"
    assert message["From"].addresses[0].display_name == "Équipe Échantillons"
    assert message.get_body(("plain",)).get_content() == "Grüße aus Köln\r\n" + "ä" * 400 + "\r\n"
    assert message.defects == []


def test_a_long_ascii_subject_is_folded_and_reads_back_the_same():
    subject = "Your Hydra Glow Serum from the Spring Serum Sampling campaign of the Community Review Program is on its way"
    data = build(subject=subject)
    assert max(len(line) for line in data.split(b"\r\n")) <= 78
    assert parse(data)["Subject"] == subject


@pytest.mark.parametrize("name", ["Eve\r\nBcc: victim@example.org", "Eve\nBcc: victim@example.org"])
def test_line_breaks_in_a_name_or_subject_cannot_add_headers(name):
    message = parse(build(member_name=name, subject="Hi\r\nBcc: victim@example.org"))
    assert message["Bcc"] is None
    assert message["To"].addresses[0].display_name == "Eve Bcc: victim@example.org"
    assert message["Subject"] == "Hi Bcc: victim@example.org"


@pytest.mark.parametrize("address", ["not an address", "zoë@exämple.com", "a@b", "x@y.example>, z@evil.example"])
def test_an_address_that_cannot_be_sent_to_is_refused(address):
    with pytest.raises(UnsendableMessage, match="correct it"):
        build(recipient=address)


def test_a_body_line_with_only_a_dot_arrives_whole(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1)
    set_template(campaign, body="Line one\n.\n..two dots\nOrder $order_id\n")
    ship(campaign, "SO-1")
    assert Sender(smtp_server.config()).send_due().sent == 1
    assert smtp_server.handler.delivered[0].text == "Line one\r\n.\r\n..two dots\r\nOrder SO-1\r\n"
    assert get_order(campaign, "SO-1").reminders[0].body == "Line one\n.\n..two dots\nOrder SO-1\n"
