"""The command palette (ctrl+p): actions by name in the operator's language, an order by
Order ID, member or tracking number, another campaign, the theme; a light theme and
NO_COLOR keep every state readable by its word."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from shiptui.errors import RejectedInput
from shiptui.services.orders import get_order
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.outbox import OutboxScreen
from tests.tui.pilot import screen_text, settle
from tests.tui.test_dashboard import line_of


async def palette(pilot, query: str) -> list[str]:
    """ctrl+p, then `query`: the commands offered."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(pilot.app)
    await pilot.press(*query)
    await pilot.pause(0.3)  # the providers answer as the operator types
    return screen_text(pilot.app).splitlines()


async def test_an_action_by_its_name_in_german(campaign, make_app, monkeypatch):
    monkeypatch.setenv("SHIPTUI_LANG", "de")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = "\n".join(await palette(pilot, "Postausg"))
        assert "Postausgang" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)


async def test_an_order_by_its_tracking_number_moves_the_cursor_to_it(campaign, make_app):
    order = get_order(campaign, "SO-3")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = "\n".join(await palette(pilot, order.tracking_number))
        assert "SO-3 · " in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.table.cursor_row.order_id == "SO-3"


async def test_an_order_outside_the_view_is_found_by_the_search(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # pending only
        await settle(pilot)
        await palette(pilot, "SO-4")  # won't ship: not pending
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.table.cursor_row.order_id == "SO-4"


async def test_another_campaign_by_its_name(campaign, make_app, make_campaign):
    make_campaign(3, name="Autumn Launch")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # from the outbox too
        await settle(pilot)
        assert "Autumn Launch" in "\n".join(await palette(pilot, "Autumn"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.screen.campaign.name == "Autumn Launch"
        assert len(app.screen_stack) == 2  # in place of the other dashboard: q quits
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_the_theme_from_the_environment_and_a_clear_message_for_a_wrong_one(campaign, make_app, monkeypatch):
    monkeypatch.setenv("SHIPTUI_THEME", "textual-light")
    assert make_app(campaign).theme == "textual-light"
    monkeypatch.setenv("SHIPTUI_THEME", "paper")
    with pytest.raises(RejectedInput, match="SHIPTUI_THEME=paper is not a theme: give one of .*textual-light"):
        make_app(campaign)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_without_colour_every_state_reads_by_its_word(campaign, make_app, monkeypatch, theme):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SHIPTUI_THEME", theme)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "03/12/2026 queued" in line_of(app, "SO-2") and "Won't ship" in line_of(app, "SO-4")
        assert "Pending" in line_of(app, "SO-1"), "a pending order says so, not a blank"


def looks(app, order_key: str) -> set[tuple[bool, bool]]:
    """How the row of `order_key` is drawn on the terminal, colours left out: (bold,
    reverse) of each of its cells."""
    strip = next(strip for strip in app.screen._compositor.render_strips() if strip.text.split()[:1] == [order_key])
    return {(bool(segment.style.bold), bool(segment.style.reverse)) for segment in strip if segment.text.strip()}


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_without_colour_the_cursor_row_stands_out_also_while_searching(campaign, make_app, monkeypatch, theme):
    monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it as the app starts
    monkeypatch.setenv("SHIPTUI_THEME", theme)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # SO-1 selected, the cursor moves on to SO-2 (shipped: coloured cells)
        await settle(pilot)
        plain = looks(app, "SO-3")
        assert looks(app, "SO-1") == plain and "[x]" in line_of(app, "SO-1"), "selection shows as [x]"
        assert looks(app, "SO-2") == {(True, True)}, "every cell of the cursor row, in reverse"
        await pilot.press("slash")  # the search box has the keys: the table's cursor is blurred
        await settle(pilot)
        assert looks(app, "SO-2") == {(False, True)} != plain
