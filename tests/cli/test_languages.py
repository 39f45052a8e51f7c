"""Languages at the command line: a campaign's language and review URL, each order's
member language in `orders --json`, the German list, templates per language, and German
messages for a German operator, while --json stays the same in every language."""

from __future__ import annotations

import json

import pytest

from shiptui.cli import main


def run(capsys, db_location, *args) -> tuple[int, str, str]:
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def herbst(db, db_location, capsys, tmp_path) -> str:
    """Campaign herbst-sampling (German by default) with a German, an English and a
    member the file names no language or country for."""
    code, out, err = run(capsys, db_location, "new-campaign", "Herbst Sampling", "--language", "de",
                         "--review-url", "https://brand.example/review/$order_id")
    assert code == 0, err
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "Order ID,Member Name,Email,Country,Product,SKU,Language\n"
        "H-1,Jürgen Müller,juergen@example.de,DE,Serum,HGS-030,\n"
        "H-2,Kim Lee,kim@example.com,US,Serum,HGS-030,en\n"
        "H-3,Jo Doe,jo@example.com,,Serum,HGS-030,\n",
        encoding="utf-8",
    )
    assert run(capsys, db_location, "load-orders", out.strip(), str(orders))[0] == 0
    return out.strip()


def test_orders_json_lists_each_members_language_the_same_in_every_session(herbst, db_location, capsys, monkeypatch):
    code, english, _ = run(capsys, db_location, "orders", herbst, "--json")
    assert code == 0
    assert {row["order_id"]: row["language"] for row in json.loads(english)} == {"H-1": "de", "H-2": "en", "H-3": "de"}
    monkeypatch.setenv("SHIPTUI_LANG", "de")
    assert run(capsys, db_location, "orders", herbst, "--json")[1] == english


def test_export_lang_de_writes_the_help_pages_column_names(herbst, db_location, capsys):
    code, out, _ = run(capsys, db_location, "export", herbst, "--lang", "de")
    assert code == 0
    assert out.splitlines()[0] == (
        "Bestellnummer,Mitglied,E-Mail,Adresszeile 1,Adresszeile 2,Ort,Bundesland/Region,Postleitzahl,"
        "Land,Produkt,Artikelnummer (SKU),Menge,Status,Versanddatum (MM/TT/JJJJ),"
        "Tracking-Versandunternehmen,Trackingnummer,Tracking-URL,Sprache"
    )
    assert run(capsys, db_location, "export", herbst)[1].startswith("Order ID,Member Name,")


def test_templates_are_shown_and_set_per_language(herbst, db_location, capsys, monkeypatch):
    code, out, _ = run(capsys, db_location, "mail", "template", herbst)
    assert code == 0
    assert out.startswith("# reminder template of herbst-sampling in German (built-in)\n"
                          "# review URL: https://brand.example/review/$order_id\n"
                          "Subject: $campaign: Wie gefällt dir $product?\n")
    code, out, _ = run(capsys, db_location, "mail", "template", herbst, "--lang", "en",
                       "--subject", "Your $product: tell us", "--review-url", "https://brand.example/r?o=$order_id")
    assert code == 0 and "in English (custom)" in out and "Subject: Your $product: tell us" in out
    assert "# review URL: https://brand.example/r?o=$order_id" in out
    code, out, _ = run(capsys, db_location, "mail", "template", herbst, "--lang", "fr")
    assert out.startswith("# no template in French: its members get the campaign's German one\n")

    monkeypatch.setenv("SHIPTUI_LANG", "de")
    code, out, _ = run(capsys, db_location, "mail", "template", herbst, "--lang", "en")
    assert out.startswith("# Erinnerungsvorlage von herbst-sampling auf Englisch (eigene)\n")
    code, _, err = run(capsys, db_location, "mail", "template", herbst, "--review-url", "brand.example/$order_id")
    assert code == 1 and "ist keine vollständige http(s)-Adresse" in err


def test_a_campaign_language_without_a_built_in_email_is_refused(db, db_location, capsys):
    code, out, err = run(capsys, db_location, "new-campaign", "Été", "--language", "fr")
    assert code == 1 and out == ""
    assert "give one of en, de, not 'fr'" in err
