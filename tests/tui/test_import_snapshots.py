"""Snapshots at 80x24 of the import flow: the mapping modal, the check with its error
table, the summary; and the export (SVGs in snapshots/test_import_snapshots/)."""

from __future__ import annotations

import pytest

from tests.tui.pilot import settle
from tests.tui.test_import import BAD, GOOD, PAKET_ID


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ups.csv").write_text(GOOD)
    (tmp_path / "bad.csv").write_text(BAD)
    return tmp_path


def opened(name: str, *more: str):
    async def run_before(pilot) -> None:
        await pilot.press("i", *name, "enter")
        await pilot.pause()
        for key in more:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_mapping_modal(campaign, make_app, here, snap_compare):
    assert snap_compare(make_app(campaign), run_before=opened("ups.csv"), terminal_size=(80, 24))


def test_check_with_rejected_cells(campaign, make_app, here, snap_compare):
    assert snap_compare(make_app(campaign), run_before=opened("bad.csv", "ctrl+s"), terminal_size=(80, 24))


def test_check_ready_to_import(campaign, make_app, here, snap_compare):
    assert snap_compare(make_app(campaign), run_before=opened("ups.csv", "ctrl+s"), terminal_size=(80, 24))


def test_import_summary(campaign, make_app, here, snap_compare):
    assert snap_compare(make_app(campaign), run_before=opened("ups.csv", "ctrl+s", "enter"), terminal_size=(80, 24))


def test_export_done(campaign, make_app, here, snap_compare, monkeypatch):
    monkeypatch.setenv("HOME", str(here))  # the path shown: ~/spring-serum-sampling-fulfillment-….csv

    async def run_before(pilot) -> None:
        await pilot.press("e", "enter")
        await settle(pilot)

    assert snap_compare(make_app(campaign), run_before=run_before, terminal_size=(80, 24))


def test_mapping_modal_highlights_an_unmapped_tracking_column(campaign, make_app, here, snap_compare):
    (here / "paket.csv").write_text(PAKET_ID)
    assert snap_compare(make_app(campaign), run_before=opened("paket.csv"), terminal_size=(80, 24))
