"""The command line for a German operator: summaries, skip reasons, error tables, --help and
dates in German, chosen by SHIPTUI_LANG or the locale an SSH session passes; what scripts
read (--json, exit codes) the same in every language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.test_commands import campaign_db  # noqa: F401 — the fixture: SO-1..SO-4 pending
from tests.csv.conftest import FILES

SLUG = "spring-serum-sampling"


def shiptui(db: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """A real process, with the environment of an operator's session (`env` on top)."""
    environ = {key: value for key, value in os.environ.items()
               if key not in ("SHIPTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "shiptui", "--db", db, *args],
        capture_output=True, text=True, timeout=120, env={**environ, **env},
    )


def german(db: str, *args: str) -> subprocess.CompletedProcess:
    return shiptui(db, *args, SHIPTUI_LANG="de")


def test_ship_and_undo_tell_a_german_operator_what_they_did(campaign_db):
    first = german(campaign_db, "ship", SLUG, "SO-1", "SO-2")
    assert (first.returncode, first.stdout) == (
        0, "2 Bestellungen als versendet gekennzeichnet · 2 Erinnerungen eingeplant\n")

    again = german(campaign_db, "ship", SLUG, "SO-1")
    assert again.stdout == (
        "0 Bestellungen als versendet gekennzeichnet · 1 bereits versendet, übersprungen\n"
        "  übersprungen SO-1: bereits am 16.03.2026 versendet\n"
    )
    refused = german(campaign_db, "wont-ship", SLUG, "SO-2")
    assert "am 16.03.2026 versendet: Eine versendete Bestellung wird nicht als „wird nicht versendet“" in refused.stdout

    undone = german(campaign_db, "undo", SLUG)
    assert (undone.returncode, undone.stdout) == (0, (
        "rückgängig gemacht: 2 Bestellungen als versendet gekennzeichnet — 2 Bestellungen wiederhergestellt"
        " · 2 Erinnerungen storniert\n"
    ))
    nothing = german(campaign_db, "undo", SLUG)
    assert nothing.returncode == 1
    assert nothing.stderr == (
        f"shiptui: nichts rückgängig zu machen: alice hat in {SLUG} keine Aktion mehr, die sich zurücknehmen lässt\n"
    )


def test_the_order_list_shows_the_help_pages_words_and_german_dates(campaign_db):
    german(campaign_db, "ship", SLUG, "SO-1")
    german(campaign_db, "wont-ship", SLUG, "SO-2")
    listing = german(campaign_db, "orders", SLUG).stdout.splitlines()
    assert listing[0].split()[:5] == ["BESTELLNR.", "MITGLIED", "E-MAIL", "PRODUKT", "STATUS"]
    assert "versendet" in listing[1] and "16.03.2026" in listing[1] and "geplant" in listing[1]
    assert "Wird nicht versendet" in listing[2]
    assert "03/16/2026" not in "\n".join(listing)


def test_a_refused_import_names_line_column_reason_and_fix_in_german(campaign_db):
    result = german(campaign_db, "import", SLUG, str(FILES / "one_bad_row.csv"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    table = lines.index(next(line for line in lines if line.startswith("ZEILE")))
    assert lines[table].split() == ["ZEILE", "SPALTE", "WERT", "PROBLEM", "WAS", "ZU", "TUN", "IST"]
    row = lines[table + 1]
    assert row.startswith("4      B Shipped Date  02/30/2026  Diesen Tag gibt es nicht (gelesen als MM/TT/JJJJ)")
    assert row.endswith("Schreiben Sie es als MM/TT/JJJJ (z. B. 03/14/2026)")
    assert "one_bad_row.csv gelesen: UTF-8, Trennzeichen Komma, 5 Spalten" in result.stdout
    assert result.stderr == (
        "shiptui: one_bad_row.csv wurde abgelehnt: 1 Zeile mit Problemen; es wurde nichts geändert. "
        "Korrigieren Sie sie (oder die Zuordnung, mit --map) und importieren Sie erneut\n"
    )


def test_a_carrier_warning_and_an_unknown_campaign_in_german(campaign_db):
    tracked = german(campaign_db, "track", SLUG, "SO-1", "--number", "1Z999AA10123456785", "--carrier", "UPS")
    assert tracked.returncode == 0
    assert "  Warnung: 1Z999AA10123456785 sieht nicht wie eine Trackingnummer von UPS aus" in tracked.stdout
    unknown = german(campaign_db, "orders", "herbst")
    assert unknown.returncode == 1
    assert unknown.stderr == f"shiptui: keine Kampagne 'herbst'; bekannte Kampagnen: {SLUG}\n"


def test_help_is_german_down_to_argparses_own_words(campaign_db):
    top = german(campaign_db, "--help").stdout
    assert top.startswith("Aufruf: shiptui")
    assert "Terminal-Konsole für die Abwicklung" in top and "Optionen:" in top
    assert "zeigt diese Hilfe und beendet sich" in top  # argparse's own -h line
    ship = german(campaign_db, "ship", "--help").stdout
    assert "kennzeichnet Bestellungen heute als versendet" in ship
    export = german(campaign_db, "export", "--help").stdout
    assert "Abwicklungs- und Distributionsliste" in export
    usage = german(campaign_db, "ship")
    assert usage.returncode == 2
    assert "Fehler: die folgenden Argumente sind erforderlich: CAMPAIGN" in usage.stderr


@pytest.mark.parametrize(("session", "word"), [
    ({"LANG": "de_AT.UTF-8"}, "Bestellungen als versendet gekennzeichnet"),
    ({"LANG": "de_CH.UTF-8", "LC_MESSAGES": "de_CH.UTF-8"}, "Bestellungen als versendet gekennzeichnet"),
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "marked shipped"),
    ({}, "marked shipped"),
])
def test_the_language_comes_from_the_ssh_sessions_locale(campaign_db, session, word):
    result = shiptui(campaign_db, "ship", SLUG, "SO-1", "SO-2", **session)
    assert result.returncode == 0 and word in result.stdout


def test_what_scripts_read_is_the_same_in_every_language(campaign_db):
    german(campaign_db, "ship", SLUG, "SO-1", "SO-3")
    german(campaign_db, "wont-ship", SLUG, "SO-2")
    german(campaign_db, "track", SLUG, "SO-1", "--number", "1Z999AA10123456784")
    for command in (
        ["orders", SLUG, "--json"], ["campaigns", "--json"], ["mail", "list", "--json"],
        ["log", SLUG, "--json"], ["history", SLUG, "SO-1", "--json"],
        ["orders", "no-such-campaign", "--json"], ["history", SLUG, "SO-404", "--json"],
    ):
        english, deutsch = shiptui(campaign_db, *command, SHIPTUI_LANG="en"), german(campaign_db, *command)
        assert deutsch.returncode == english.returncode, command
        assert deutsch.stdout.encode() == english.stdout.encode(), command
    assert german(campaign_db, "orders", "no-such-campaign").returncode == 1
    assert german(campaign_db, "ship", SLUG, "--bogus").returncode == 2


def test_what_a_german_operator_did_reads_english_in_an_english_operators_log(campaign_db):
    german(campaign_db, "import", SLUG, str(FILES / "utf8_bom.csv"))
    german(campaign_db, "wont-ship", SLUG, "SO-3")
    shiptui(campaign_db, "ship", SLUG, "SO-4", SHIPTUI_LANG="en")

    english = shiptui(campaign_db, "log", SLUG, SHIPTUI_LANG="en").stdout
    assert "1 marked won't ship" in english
    assert "import of utf8_bom.csv: 1 marked shipped · 0 tracking updated · 0 unchanged · 1 reminder queued" in english
    assert "Bestellung" not in english and "Erinnerung" not in english

    in_german = german(campaign_db, "log", SLUG).stdout
    assert "1 Bestellung als versendet gekennzeichnet · 1 Erinnerung eingeplant" in in_german
    assert "marked" not in in_german
