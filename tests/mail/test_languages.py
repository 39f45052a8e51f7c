"""Each member gets the reminder in their language, over a real SMTP server: German
members the German email (Du, 16.03.2026, umlauts intact), English ones the English
email, from one campaign, with the review link and without tracking lines it cannot fill."""

from __future__ import annotations

from shiptui import clock
from shiptui.services.campaigns import create_campaign
from shiptui.services.csv.mapping import ORDERS, initial_mapping
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file
from shiptui.services.csv.reading import open_csv
from shiptui.services.fulfillment import update_tracking
from shiptui.services.mail.sender import Sender
from shiptui.services.orders import get_order
from tests.mail.conftest import DUE, ship

ORDERS_FILE = (
    "Bestellnummer;Name;E-Mail;Land;Produkt;Artikelnummer;Sprache\n"
    "SO-1;Hans-Peter Bäcker;hp.baecker@example.de;DE;Hydra Glow Serum;HGS-030;\n"
    "SO-2;Kim Lee;kim.lee@example.com;US;Hydra Glow Serum;HGS-030;\n"
    "SO-3;Ursula Zürcher;ursula@example.ch;CH;Hydra Glow Serum;HGS-030;en\n"
)


def test_german_and_english_members_of_one_campaign_each_get_their_own_email(db, smtp_server, tmp_path):
    campaign = create_campaign(
        "Frühlings-Serum", review_url="https://brand.example/review?order=$order_id&sku=$sku"
    )
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS_FILE, encoding="utf-8")
    table = open_csv(path)
    preview = check_orders_file(campaign, table, initial_mapping(ORDERS, table.headers))
    apply_orders_import(campaign, preview, operator="alice")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="00340434161094042557",
                    carrier="DHL Paket", url="", operator="alice")
    ship(campaign, "SO-1", "SO-2", "SO-3")

    with clock.freeze(DUE):
        assert Sender(smtp_server.config()).send_due().sent == 3
    received = {entry.rcpt_tos[0]: entry for entry in smtp_server.handler.delivered}

    german = received["hp.baecker@example.de"]
    assert german.message["Subject"] == "Frühlings-Serum: Wie gefällt dir Hydra Glow Serum?"
    body = german.text
    assert body.startswith("Hallo Hans-Peter Bäcker,\r\n\r\ndein Produkt „Hydra Glow Serum“ aus der Kampagne "
                           "„Frühlings-Serum“ wurde am 16.03.2026 verschickt")
    assert "Hier schreibst du deine Bewertung: https://brand.example/review?order=SO-1&sku=HGS-030" in body
    assert "Versandunternehmen: DHL Paket\r\nTrackingnummer: 00340434161094042557\r\n" in body
    assert "03/16/2026" not in body and "Hello" not in body
    # The HTML part is the same email in the same language, the review address a link.
    assert "Hallo Hans-Peter Bäcker," in german.html and "16.03.2026" in german.html
    assert '<a href="https://brand.example/review?order=SO-1&amp;sku=HGS-030">' in german.html

    for address, key in (("kim.lee@example.com", "SO-2"), ("ursula@example.ch", "SO-3")):
        english = received[address]
        assert english.message["Subject"] == "Frühlings-Serum: how do you like your Hydra Glow Serum?"
        body = english.text
        assert "was shipped on 03/16/2026" in body
        assert f"Write your review here: https://brand.example/review?order={key}&sku=HGS-030" in body
        assert "Tracking number" not in body and "Hallo" not in body
        assert "Tracking number" not in english.html and "03/16/2026" in english.html
