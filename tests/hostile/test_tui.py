"""Hostile text on every screen of the console: each payload of the corpus is stored in
every field a screen shows (and put in CSV headers, cells and the file name), then every
screen is opened with the pilot and what it renders is read back from the compositor:
no raw control character, no markup, style, link or action taken from the data, and the
console still running."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rich.segment import Segment
from textual import events
from textual.widgets import Input, Select

from shiptui import clock
from shiptui.services import fulfillment
from shiptui.services.orders import OrderTarget, get_order
from shiptui.storage import Campaign, Member, Order, Product, Reminder
from shiptui.tui.screens.campaign_list import CampaignListScreen
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen
from shiptui.tui.screens.member import MemberScreen
from shiptui.tui.screens.outbox import OutboxScreen
from shiptui.tui.screens.tracking import TrackingScreen
from tests.conftest import ship_to_of
from tests.hostile.corpus import PAYLOADS, SHOWN, unsafe_in
from tests.tui.pilot import settle

SIZE = (100, 30)  # wide enough that each escaped value is seen (in part) in its column


def rendered(app) -> list[list[Segment]]:
    """Every line of the screen as the terminal would get it (modal screens over the
    screens below them), as segments of text and style."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [[segment for strip in line for segment in strip] for line in update.strips]


def assert_inert(app, *shown: str, links: tuple[str, ...] = ()) -> str:
    """The screen shows no raw control character and nothing the data asked for (a
    link other than `links`, or an action); each of `shown` is on it literally (so no
    markup of the data was read as a style). Returns its text."""
    assert app.is_running and app.return_code is None and app.crash is None, "the console exited"
    lines = rendered(app)
    text = "\n".join("".join(segment.text for segment in line) for line in lines)
    assert not unsafe_in(text), f"raw control characters on screen: {unsafe_in(text)}\n{text}"
    for line in lines:
        for segment in line:
            style = segment.style
            if style is None:
                continue
            assert not style.link or style.link in links, f"a link from data: {style.link}"
            assert "quit" not in str((style.meta or {}).get("@click", "")), f"an action from data: {style.meta}"
    for value in shown:
        assert value in text, f"{value!r} is not shown literally on\n{text}"
    return text


def seed(payload: str) -> Campaign:
    """A campaign whose names, ids, tracking, member and reminder all hold `payload`;
    O<payload> pending with tracking, S<payload> shipped with a failed reminder."""
    stamp = clock.stored_now()
    campaign = Campaign.create(name=f"C{payload}", slug="hostile", created_at=stamp)
    Campaign.create(name="Another campaign", slug="other", created_at=stamp)  # the list is shown first
    member = Member.create(name=f"M{payload}", email="member@example.com", city=f"Y{payload}")
    product = Product.create(name=f"P{payload}", sku="SKU-1")
    Order.create(campaign=campaign, member=member, product=product, order_key=f"O{payload}",
                 carrier=f"K{payload}", tracking_number=f"T{payload}", tracking_url=f"https://t.example/{payload}",
                 updated_at=stamp, updated_by="seed", **ship_to_of(member))
    shipped = Order.create(campaign=campaign, member=member, product=product, order_key=f"S{payload}",
                           tracking_url="https://track.example/ok", updated_at=stamp, updated_by="seed",
                           **ship_to_of(member))
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids([shipped.id]), operator="seed")
    Reminder.update(status="failed", attempts=1, last_error=f"E{payload}").execute()
    return campaign


def head(value: str, length: int = 8) -> str:
    return value[:length]


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_every_screen_shows_stored_hostile_text_inert(sqlite_db, make_app, payload):
    campaign = seed(payload)
    shown = SHOWN[payload]
    tracked = get_order(campaign, f"O{payload}")
    before = (tracked.carrier, tracked.tracking_number, tracked.tracking_url, tracked.version)
    app = make_app(None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CampaignListScreen)
        assert_inert(app, head(f"C{shown}"))
        app.screen.query_one("DataTable").move_cursor(row=app.screen.slugs.index("hostile"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert_inert(app, head(f"C{shown}"), head(f"M{shown}"), head(f"O{shown}"), head(f"S{shown}"))

        await pilot.press("t")  # the tracking modal of O<payload>, prefilled
        await pilot.pause()
        assert isinstance(app.screen, TrackingScreen)
        assert_inert(app, head(f"O{shown}"), head(f"K{shown}"), head(f"T{shown}"))
        await pilot.press("enter")  # saved unedited: the stored values are not rewritten
        await pilot.pause()
        assert_inert(app)
        if isinstance(app.screen, TrackingScreen):
            await pilot.press("escape")
            await pilot.pause()
        after = get_order(campaign, f"O{payload}")
        assert (after.carrier, after.tracking_number, after.tracking_url) == before[:3]
        assert_inert(app)

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        # the tracking links, when they are http(s) addresses that hold nothing unsafe
        links = tuple(url for url in ("https://track.example/ok", f"https://t.example/{payload}") if not unsafe_in(url))
        assert_inert(app, head(f"M{shown}"), head(f"P{shown}"), head(f"K{shown}"), head(f"T{shown}"), links=links)
        await pilot.press("escape")

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutboxScreen)
        assert_inert(app, head(f"C{shown}"), head(f"S{shown}"), head(f"M{shown}"), head(f"E{shown}", 2))
        await pilot.press("enter")  # the details toast
        await pilot.pause()
        assert_inert(app, head(f"E{shown}"))
        await pilot.press("t", "t")  # queued again; then refused, naming the (now queued) order
        await pilot.pause()
        assert_inert(app, head(f"S{shown}"))
        assert "only a failed reminder" in [notice.message for notice in app._notifications][-1]
        await pilot.press("question_mark")
        await pilot.pause()
        assert_inert(app)
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("e")
        await pilot.pause()
        assert_inert(app, head(f"C{shown}"))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert_inert(app)
        await pilot.press("escape")
        await pilot.pause()

        # another operator (with a hostile name) changes O<payload>: the notice names both
        assert isinstance(app.screen, DashboardScreen)
        fulfillment.update_tracking(campaign, get_order(campaign, f"O{payload}"), number="1Z999AA10123456784",
                                    carrier="UPS", url="", operator=f"B{payload}")
        app.screen.table.cursor = 0
        await pilot.press("w")
        await settle(pilot)  # written in a worker
        assert_inert(app, head(f"O{shown}"), head(f"B{shown}"))


async def test_tracking_saved_unedited_keeps_the_stored_text_and_an_edit_saves_what_is_shown(
    sqlite_db, make_app
):
    campaign = seed("\x1b[2J")
    order = get_order(campaign, "O\x1b[2J")
    fulfillment.update_tracking(campaign, order, number="1Z999AA10123456784", carrier="K\x1b[2J", url="",
                                operator="seed")
    app = make_app(campaign)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.screen.table.cursor = 0
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one("#carrier", Input).value == "K\\x1b[2J"  # shown escaped
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TrackingScreen)
        assert get_order(campaign, "O\x1b[2J").carrier == "K\x1b[2J"  # not rewritten to its escaped form
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#carrier", Input).focus()
        await pilot.press("end", "ctrl+u", "U", "P", "S")  # ctrl+u: delete to the start
        await pilot.press("enter")
        await pilot.pause()
        assert get_order(campaign, "O\x1b[2J").carrier == "UPS"
        assert_inert(app)


async def test_pasted_control_characters_are_shown_escaped_in_an_input(sqlite_db, make_app):
    app = make_app(seed("x"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        search.post_message(events.Paste("\x1b]52;c;Zm9v\x07 \u202e"))
        await pilot.pause()
        assert search.value == "\\x1b]52;c;Zm9v\\x07 \\u202e"
        assert search.cursor_position == len(search.value)  # after the text, as shown
        assert_inert(app, "\\x1b]52;c;Zm9v")


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Tab-separated: the payloads hold commas and semicolons, never a tab."""
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter="\t").writerows(rows)


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_import_of_a_hostile_file_shows_headers_cells_and_name_inert(
    sqlite_db, make_app, tmp_path, monkeypatch, payload
):
    monkeypatch.chdir(tmp_path)
    campaign = seed(payload)
    shown = SHOWN[payload]
    name = f"f{payload}.csv".replace("/", "|")  # a file name holds anything but a slash
    name_shown = head(f"f{shown}".replace("/", "|"))
    # (the header line holds more tabs than the payloads hold semicolons: read tab-separated)
    headers = ["Order ID", "Ship Date", f"Tracking Number {payload}", f"Carrier{payload}", "Note", "Other"]
    write_csv(tmp_path / name, [headers, [f"O{payload}", "03/14/2026", "1Z999AA10123456784", f"K{payload}", "", ""],
                                [f"N{payload}", "03/14/2026", "1Z999AA10123456784", "UPS", "", ""]])
    app = make_app(campaign)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportFileScreen)
        await pilot.press("f")  # completed to the file's name as shown, escaped
        await settle(pilot)
        assert_inert(app, name_shown)
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportMappingScreen), "the completed name did not open the file"
        app.screen.query_one("#map-tracking_number", Select).value = 2
        app.screen.query_one("#map-carrier", Select).value = 3
        await pilot.pause()
        assert_inert(app, head(f"Carrier{shown}", 9), head(f"K{shown}"), name_shown)
        app.screen.query_one("#map-carrier", Select).focus()
        await pilot.press("enter")  # the list of every header
        await pilot.pause()
        assert_inert(app, head(f"Carrier{shown}"))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen)
        assert_inert(app, name_shown, head(f"N{shown}", 5))  # N<payload>: no such order
        await pilot.press("f")  # back to the file, prefilled with its (hostile) path
        await pilot.pause()
        assert isinstance(app.screen, ImportFileScreen)
        assert_inert(app, name_shown)
        await pilot.press("enter")  # the prefilled path, unedited, opens the same file
        await pilot.pause()
        assert isinstance(app.screen, ImportMappingScreen), "the prefilled path did not open the file"
        assert_inert(app)
