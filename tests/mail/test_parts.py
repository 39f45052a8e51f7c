"""What a mailbox provider checks in a reminder: its parts, List-Unsubscribe, DKIM, and
headers that every relay takes, whatever the member's name or the order holds."""

from __future__ import annotations

import base64
import email
import re
import shutil
import subprocess
from email.header import decode_header, make_header
from html.parser import HTMLParser

import dkim
import pytest

from shiptui.services.fulfillment import update_tracking
from shiptui.services.mail.message import build_message
from shiptui.services.mail.sender import Sender
from shiptui.services.mail.smtp_config import smtp_config
from shiptui.services.mail.template import set_template
from shiptui.services.orders import get_order
from shiptui.storage import Order, Product, Reminder, ReminderStatus

from tests.mail.conftest import SENDER, UNSUBSCRIBE, ship
from tests.cli.test_mail_commands import run

HOSTILE = '<script>alert(1)</script> "Bob" & <img src="https://evil.example/p.gif"> Müller'


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def test_text_and_html_parts_say_the_same_with_every_value_escaped(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1, members=[HOSTILE])
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="ups",
                    url="", operator="alice")
    ship(campaign, "SO-1")
    assert Sender(smtp_server.config()).send_due().sent == 1
    entry = smtp_server.handler.delivered[0]
    assert entry.message.get_content_type() == "multipart/alternative"
    html = entry.html
    page = Elements(html)
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "title", "body", "p", "br", "a"}
    assert HOSTILE in page.text  # shown as text, never run or fetched
    assert "https://evil.example" not in [attrs.get("href") for _, attrs in page.tags]
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links == ["https://www.ups.com/track?tracknum=1Z999AA10123456784"]
    for line in entry.text.splitlines():
        if line.strip():
            assert line.strip() in page.text  # the same words as the text part


def test_a_link_written_in_the_template_becomes_a_link_and_markup_in_it_stays_text(
    db, make_campaign, smtp_server, due_clock
):
    campaign = make_campaign(1)
    set_template(campaign, body="Hi $member_name,\n<b>review</b> at https://brand.example/review?o=$order_id&x=1.\n")
    ship(campaign, "SO-1")
    Sender(smtp_server.config()).send_due()
    page = Elements(smtp_server.handler.delivered[0].html)
    assert [attrs["href"] for tag, attrs in page.tags if tag == "a"] == ["https://brand.example/review?o=SO-1&x=1"]
    assert "b" not in [tag for tag, _ in page.tags] and "<b>review</b>" in page.text


def test_list_unsubscribe_with_one_click_post(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    config = smtp_server.config(unsubscribe=(
        "mailto:unsubscribe@brand.example?subject=unsubscribe%20$order_id", "https://brand.example/u?e=$email&o=$order_id",
    ))
    Sender(config).send_due()
    message = smtp_server.handler.delivered[0].message
    address = get_order(campaign, "SO-1").member.email
    assert message["List-Unsubscribe"] == (
        "<mailto:unsubscribe@brand.example?subject=unsubscribe%20SO-1>, "
        f"<https://brand.example/u?e={address.replace('@', '%40')}&o=SO-1>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mailto_alone_gets_no_one_click_header(db, make_campaign, smtp_server, due_clock):
    ship(make_campaign(1), "SO-1")
    Sender(smtp_server.config(unsubscribe=("mailto:unsubscribe@brand.example",))).send_due()
    message = smtp_server.handler.delivered[0].message
    assert message["List-Unsubscribe"] == "<mailto:unsubscribe@brand.example>"
    assert message["List-Unsubscribe-Post"] is None


@pytest.mark.parametrize("value, problem", [
    ("http://brand.example/u", "neither a mailto: nor an https://"),
    ("https://brand.example/u?e=$member", "placeholder other than"),
    ("mailto:a@brand.example mailto:b@brand.example", "at most one mailto:"),
    ("https://a.example https://b.example https://c.example", "one or two URIs"),
])
def test_a_bad_unsubscribe_setting_is_refused_with_advice(value, problem):
    environ = {"SHIPTUI_SMTP_URL": "smtp://127.0.0.1:25", "SHIPTUI_MAIL_FROM": SENDER,
               "SHIPTUI_MAIL_UNSUBSCRIBE": value}
    with pytest.raises(Exception, match=re.escape(problem)):
        smtp_config(environ=environ)


def test_mail_send_warns_once_without_list_unsubscribe(db, db_location, make_campaign, mail_env, monkeypatch,
                                                       capsys):
    monkeypatch.delenv("SHIPTUI_MAIL_UNSUBSCRIBE")
    ship(make_campaign(3), "SO-1", "SO-2", "SO-3")
    code, out, err = run(capsys, db_location, "mail", "send", "--batch-size", "1")
    assert code == 0 and out.startswith("3 sent")
    assert err.count("SHIPTUI_MAIL_UNSUBSCRIBE is not set") == 1


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("dkim")
    subprocess.run(["openssl", "genrsa", "-out", str(folder / "dkim.pem"), "2048"], check=True, capture_output=True)
    public = subprocess.run(["openssl", "rsa", "-in", str(folder / "dkim.pem"), "-pubout", "-outform", "DER"],
                            check=True, capture_output=True).stdout
    return folder / "dkim.pem", b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def test_dkim_signature_verifies_against_the_public_key(db, make_campaign, smtp_server, due_clock, dkim_key,
                                                        monkeypatch):
    key_file, record = dkim_key
    monkeypatch.setenv("SHIPTUI_DKIM_KEY_FILE", str(key_file))
    monkeypatch.setenv("SHIPTUI_DKIM_SELECTOR", "shiptui2026")
    monkeypatch.setenv("SHIPTUI_MAIL_UNSUBSCRIBE", UNSUBSCRIBE)
    config = smtp_config(smtp_server.url, sender=SENDER)
    assert config.dkim.domain == "brand.example"
    ship(make_campaign(1, members=["Zoë Müller"]), "SO-1")
    assert Sender(config).send_due().sent == 1
    data = smtp_server.handler.delivered[0].data
    looked_up = []

    def dns(name, timeout=5):
        looked_up.append(name)
        return record if name == b"shiptui2026._domainkey.brand.example." else None

    assert dkim.verify(data, dnsfunc=dns)
    assert looked_up == [b"shiptui2026._domainkey.brand.example."]
    fields = re.search(rb"DKIM-Signature:(.*?)\r\n(?! )", data, re.S).group(1)
    signed = re.search(rb"h=([^;]*)", fields.replace(b"\r\n", b"").replace(b" ", b"")).group(1).split(b":")
    assert {b"from", b"subject", b"list-unsubscribe", b"list-unsubscribe-post"} <= set(signed)
    tampered = data.replace(b"Subject: ", b"Subject: FREE ", 1)
    assert not dkim.verify(tampered, dnsfunc=dns)


def test_dkim_needs_both_settings_and_a_key(tmp_path):
    environ = {"SHIPTUI_SMTP_URL": "smtp://127.0.0.1:25", "SHIPTUI_MAIL_FROM": SENDER,
               "SHIPTUI_DKIM_KEY_FILE": str(tmp_path / "dkim.pem")}
    with pytest.raises(Exception, match="set SHIPTUI_DKIM_SELECTOR too"):
        smtp_config(environ=environ)
    (tmp_path / "dkim.pem").write_text("not a key\n")
    with pytest.raises(Exception, match="holds no RSA private key"):
        smtp_config(environ={**environ, "SHIPTUI_DKIM_SELECTOR": "s1"})


def test_mail_preview_prints_the_exact_message_and_changes_nothing(db, db_location, make_campaign, mail_env,
                                                                   capsys):
    campaign = make_campaign(2)
    ship(campaign, "SO-1")
    before = list(Reminder.select().dicts())
    code, out, err = run(capsys, db_location, "mail", "preview", campaign.slug, "SO-1")
    assert code == 0 and "is queued" in err
    assert list(Reminder.select().dicts()) == before and mail_env.handler.received == []
    run(capsys, db_location, "mail", "send")
    assert out.encode() == mail_env.handler.delivered[0].data  # byte for byte what went out
    code, _, err = run(capsys, db_location, "mail", "preview", campaign.slug, "SO-2")
    assert code == 1 and "SO-2 has no reminder yet" in err


# --- issue 8: headers always encoded and folded; the body's layout holds ---------------


def test_a_5000_character_name_gives_a_folded_to_that_the_relay_accepts(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(2, members=["Ä" + "x" * 4999, "y" * 5000])
    ship(campaign, "SO-1", "SO-2")
    report = Sender(smtp_server.config()).send_due()
    assert report.sent == 2, report  # aiosmtpd answers "500 Line too long" past 1,000 characters
    for entry, name in zip(sorted(smtp_server.handler.delivered, key=lambda e: e.rcpt_tos),
                           ["Ä" + "x" * 4999, "y" * 5000]):
        assert max(len(line) for line in entry.data.split(b"\r\n")) <= 78
        # decode_header: the email package's newer parser puts a space between two of the
        # encoded words of a long name, which RFC 2047 6.2 says to join.
        to = email.message_from_bytes(entry.data)["To"]
        assert str(make_header(decode_header(to))) == f"{name} <{entry.rcpt_tos[0]}>"


@pytest.mark.parametrize("control", ["\x1b[2J", "\x00", "\x7f", "\x9b31m", "\u2028", "\x0b\x0c"])
def test_control_characters_never_reach_a_header_unencoded(control):
    config = smtp_config("smtp://127.0.0.1:25", sender=SENDER, environ={})
    data = build_message(
        config=config, message_id="<m@brand.example>", member_name=f"Eve{control}Smith",
        recipient="eve@example.com", order_id="SO-1", subject=f"Your{control}serum", body="Hi\n", html="<p>Hi</p>\n",
    )
    header_block = data.split(b"\r\n\r\n", 1)[0]
    assert all(32 <= byte < 127 for byte in header_block.replace(b"\r\n", b""))
    assert data.isascii()


def test_line_breaks_in_product_names_and_order_ids_keep_the_body_layout(db, make_campaign, smtp_server, due_clock):
    campaign = make_campaign(1)
    Product.update(name="Serum\r\nBcc: x@evil.example\n\nFAKE PARAGRAPH").execute()
    Order.update(order_key="SO-1\nInjected: line").where(Order.order_key == "SO-1").execute()
    Order.update(ship_name="Eve\x1b[31m Red").execute()
    ship(campaign, "SO-1\nInjected: line")
    assert Sender(smtp_server.config()).send_due().sent == 1
    entry = smtp_server.handler.delivered[0]
    text = entry.text
    assert "your Serum Bcc: x@evil.example FAKE PARAGRAPH from" in text
    assert "Order ID: SO-1 Injected: line\r\n" in text
    assert "\x1b" not in text and "Hello Eve [31m Red," in text
    assert entry.message["Bcc"] is None and "Injected" not in entry.message.keys()
    assert [line for line in text.split("\r\n") if line.startswith("Injected")] == []
    assert Reminder.get().status == ReminderStatus.SENT

