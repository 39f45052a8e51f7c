"""Snapshots of the help of a screen other than the dashboard, the command palette and a
light theme (80x24); the footer by priority is in test_dialogs (the dashboard at 60x20
and 120x40)."""

from __future__ import annotations

from tests.tui.pilot import settle


def pressing(*keys: str, wait: float = 0.0):
    async def run(pilot):
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        if wait:
            await pilot.pause(wait)

    return run


def test_help_of_the_outbox(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), run_before=pressing("o", "question_mark"))


def test_command_palette_finds_an_order_by_tracking_number(campaign, make_app, snap_compare):
    assert snap_compare(make_app(campaign), run_before=pressing("ctrl+p", *"1Z999", wait=0.3))


def test_light_theme(campaign, make_app, snap_compare, monkeypatch):
    monkeypatch.setenv("SHIPTUI_THEME", "textual-light")
    assert snap_compare(make_app(campaign), run_before=pressing())
