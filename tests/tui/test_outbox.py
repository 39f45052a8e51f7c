"""The outbox screen (key o on the dashboard): counts, the messages, retrying failed ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static

from shiptui import clock
from shiptui.services import fulfillment, outbox, undo
from shiptui.services.mail import delivery, suppression
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Campaign, Reminder, ReminderStatus
from shiptui.tui.screens.dashboard import DashboardScreen
from shiptui.tui.screens.outbox import OutboxScreen
from tests.tui.test_dashboard import line_of

DUE = "2026-03-23T12:00:00+01:00"  # a week after the fixed test Monday: the reminders are due
REFUSED = "550 5.1.1 <member3> mailbox unavailable, please check the address"


def reminder_of(campaign: Campaign, key: str) -> Reminder:
    return Reminder.get(Reminder.order == get_order(campaign, key))


def with_reminders_in_every_state(campaign: Campaign) -> Campaign:
    """SO-2 sent, SO-3 failed (550), SO-1 queued after a 451, SO-5 queued, SO-6 cancelled by undo."""
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1", "SO-5"])),
                             operator="alice")
    with clock.freeze(DUE):
        delivery.claim_due("sender-1", 10, timedelta(minutes=2))
        owner = "sender-1"
        delivery.record_sent(reminder_of(campaign, "SO-2").id, owner, recipient="x@example.com", subject="s", body="b")
        delivery.record_failed(reminder_of(campaign, "SO-3").id, owner, error=REFUSED)
        delivery.record_retry(reminder_of(campaign, "SO-1").id, owner, error="451 4.7.1 greylisted",
                            next_attempt_at=clock.stored_now() + timedelta(minutes=5))
        delivery.release([reminder_of(campaign, "SO-5").id], owner)
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-6"])), operator="alice")
    undo.undo_last(campaign, operator="alice")
    return campaign


@pytest.fixture
def mailed(campaign) -> Campaign:
    return with_reminders_in_every_state(campaign)


def rows(app) -> dict[str, list[str]]:
    table = app.screen.query_one(DataTable)
    return {
        str(cells[0]): [str(cell) for cell in cells[1:]]
        for cells in (table.get_row_at(index) for index in range(table.row_count))
    }


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_outbox(app, pilot) -> None:
    await pilot.pause()
    assert isinstance(app.screen, DashboardScreen)
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, OutboxScreen)


async def to_order(app, pilot, key: str) -> None:
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=list(rows(app)).index(key))
    await pilot.pause()


async def test_o_opens_the_outbox_with_counts_and_each_reminder(mailed, make_app):
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        assert text_of(app, "#outbox-counts") == "2 queued · 0 sending · 1 sent · 1 failed · 1 cancelled · 0 suppressed"
        listed = rows(app)
        assert set(listed) == {"SO-1", "SO-2", "SO-3", "SO-5", "SO-6"}
        assert listed["SO-3"][:4] == ["[b]Bold[/b] M…", "failed", "03/19 10:30", "1"]  # shown, not markup
        assert listed["SO-3"][4].startswith("550 5.1.1 <member3>")
        assert listed["SO-2"][1:3] == ["sent", "03/23 12:00"]  # when it went out
        assert listed["SO-1"][1:5] == ["queued", "03/23 12:05", "1", "451 4.7.1 greylisted"]  # next try
        assert listed["SO-6"][1] == "cancelled"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_t_queues_the_failed_reminder_at_the_cursor_again(mailed, make_app):
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        await to_order(app, pilot, "SO-3")
        await pilot.press("t")
        await pilot.pause()
        row = reminder_of(mailed, "SO-3")
        assert (row.status, row.attempts) == (ReminderStatus.QUEUED, 0)
        assert notices(app)[-1] == "1 reminder queued again: the sender delivers it on its next run"
        assert rows(app)["SO-3"][1] == "queued"
        assert text_of(app, "#outbox-counts").startswith("3 queued")


async def test_t_on_a_sent_reminder_says_why_and_changes_nothing(mailed, make_app):
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        await to_order(app, pilot, "SO-2")
        await pilot.press("t")
        await pilot.pause()
        assert notices(app)[-1] == "SO-2: only a failed reminder is retried (this one is sent)"
        assert reminder_of(mailed, "SO-2").status == ReminderStatus.SENT


async def test_shift_t_retries_every_failed_reminder_of_the_campaign(mailed, make_app):
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        assert outbox.outbox_counts(mailed)["failed"] == 0
        assert notices(app)[-1].startswith("1 reminder queued again")


async def test_f_shows_only_failed_reminders_and_enter_the_whole_error(mailed, make_app):
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert list(rows(app)) == ["SO-3"]
        assert text_of(app, "#outbox-title").endswith("· failed · 1/1")
        await pilot.press("enter")
        await pilot.pause()
        detail = notices(app)[-1]
        assert REFUSED in detail and reminder_of(mailed, "SO-3").message_id in detail


async def test_an_outbox_without_reminders_says_where_they_come_from(campaign, make_app):
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        undo.undo_last(campaign, operator="seed")  # SO-4 won't ship back
        await open_outbox(app, pilot)
        for _ in range(4):  # failed, queued, sent, cancelled
            await pilot.press("f")
        await pilot.pause()
        assert text_of(app, "#outbox-empty") == "No cancelled reminders: press f for another filter."


@pytest.fixture
def sixty_queued(sqlite_db, make_campaign) -> Campaign:
    """60 orders shipped: 60 queued reminders."""
    campaign = make_campaign(60)
    fulfillment.mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, [f"SO-{n}" for n in range(1, 61)])),
                             operator="alice")
    return campaign


async def test_a_long_outbox_scrolls_in_its_table_and_keeps_the_counts_in_view(sixty_queued, make_app):
    app = make_app(sixty_queued)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        assert app.screen.query_one("#outbox-title").region.y == 0
        assert app.screen.query_one("#outbox-counts").region.y == 1
        assert text_of(app, "#outbox-counts").startswith("60 queued")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 60 and table.region.bottom <= 23  # above the footer


async def test_the_outbox_pages_through_every_reminder(sixty_queued, make_app, monkeypatch):
    monkeypatch.setattr("shiptui.tui.screens.outbox.PAGE", 25)  # 60 reminders: three pages
    app = make_app(sixty_queued)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_outbox(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 25
        assert text_of(app, "#outbox-title") == "Outbox · Spring Serum Sampling · all reminders · 1/60"
        for _ in range(8):
            await pilot.press("pagedown")
            await pilot.pause()
        assert table.row_count == 60 and set(rows(app)) == {f"SO-{n}" for n in range(1, 61)}
        assert text_of(app, "#outbox-title").endswith(" · 60/60")
        await pilot.press("r")  # a reload keeps every row read and the cursor
        await pilot.pause()
        assert table.row_count == 60 and table.cursor_row == 59


async def test_a_suppressed_reminder_shows_in_the_outbox_and_the_dashboard(mailed, make_app):
    suppression.suppress([get_order(mailed, "SO-5").member.email], reason="unsubscribed", by="alice")
    app = make_app(mailed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "suppr." in line_of(app, "SO-5")
        await open_outbox(app, pilot)
        assert text_of(app, "#outbox-counts").endswith("1 cancelled · 1 suppressed")
        for _ in range(5):  # all, failed, queued, sent, cancelled, suppressed
            await pilot.press("f")
        await pilot.pause()
        assert list(rows(app)) == ["SO-5"] and rows(app)["SO-5"][1] == "suppressed"
