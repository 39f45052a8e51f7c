"""Issue 8's partial-undo scenario as two operators type it: a ships, b tracks, a undoes,
b undoes; a's shipment must not stay behind with its reminder queued."""

from __future__ import annotations

from tests.cli.test_commands import campaign_db, orders, shiptui  # noqa: F401  (campaign_db: a fixture)

SLUG = "spring-serum-sampling"


def test_an_undo_blocked_by_another_operator_comes_back_to_the_order(campaign_db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SHIPTUI_OPERATOR", "anna")
    assert shiptui(campaign_db, "ship", SLUG, "SO-1", "SO-2").returncode == 0
    monkeypatch.setenv("SHIPTUI_OPERATOR", "ben")
    assert shiptui(campaign_db, "track", SLUG, "SO-1", "--number", "1Z999AA10123456784").returncode == 0

    monkeypatch.setenv("SHIPTUI_OPERATOR", "anna")
    first = shiptui(campaign_db, "undo", SLUG)
    assert first.returncode == 0, first.stderr
    assert "1 order restored" in first.stdout
    assert "skipped SO-1: changed by ben since" in first.stdout
    log = shiptui(campaign_db, "log", SLUG).stdout
    assert "partly, 03/16/2026 10:30: the rest waits for others' changes" in log

    monkeypatch.setenv("SHIPTUI_OPERATOR", "ben")
    assert shiptui(campaign_db, "undo", SLUG).returncode == 0
    monkeypatch.setenv("SHIPTUI_OPERATOR", "anna")
    second = shiptui(campaign_db, "undo", SLUG)

    assert second.returncode == 0, second.stderr
    assert "undone: the rest of 2 marked shipped — 1 order restored · 1 reminder cancelled" in second.stdout
    assert orders(campaign_db)["SO-1"]["status"] == "pending"
    assert orders(campaign_db)["SO-1"]["reminder"] == "cancelled"
    wont = shiptui(campaign_db, "wont-ship", SLUG, "SO-1")
    assert wont.stdout.startswith("1 marked won't ship"), wont.stdout
