"""The fulfillment rules of SPEC §2, on SQLite and (in CI) PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shiptui import clock
from shiptui.errors import RejectedInput
from shiptui.services.actions import Skips
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship, update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.orders import OrderFilter, OrderTarget, get_order, order_ids, resolve_order_keys
from shiptui.storage import Action, Order, OrderStatus, Reminder, ReminderStatus
from tests.conftest import order_state

TODAY = date(2026, 3, 16)


def target(campaign, *keys):
    return OrderTarget.of_ids(resolve_order_keys(campaign, list(keys)))


def reminders(campaign):
    return {
        key: (status, message_id)
        for key, status, message_id in Reminder.select(Order.order_key, Reminder.status, Reminder.message_id)
        .join(Order)
        .where(Order.campaign == campaign)
        .tuples()
    }


def test_ship_marks_today_and_queues_one_reminder_due_after_the_delay(db, make_campaign):
    campaign = make_campaign(3)

    result = mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="alice")

    assert result.summary() == "2 marked shipped · 2 reminders queued"
    order = get_order(campaign, "SO-1")
    assert (order.status, order.shipped_on, order.updated_by) == ("shipped", TODAY, "alice")
    assert order.updated_at == clock.stored_now()
    assert get_order(campaign, "SO-3").status == "pending"
    reminder = Reminder.get(Reminder.order == order)
    assert reminder.recipient == f"member1.{campaign.slug}@example.com"
    assert reminder.status == "queued"
    assert reminder.send_after == clock.stored_now() + timedelta(days=7)
    assert reminder.message_id.startswith(f"<first-review.{campaign.slug}.{order.id}@")


def test_shipping_twice_queues_nothing_the_second_time(db, make_campaign):
    campaign = make_campaign(2)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    before = order_state(campaign), reminders(campaign)

    again = mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="bob")

    assert again.changed == 1 and again.reminders_queued == 1
    assert [(s.order_id, s.reason) for s in again.skipped] == [("SO-1", "already shipped on 03/16/2026")]
    assert order_state(campaign)["SO-1"] == before[0]["SO-1"]
    assert reminders(campaign)["SO-1"] == before[1]["SO-1"]
    assert Reminder.select().count() == 2


def test_wont_ship_needs_no_confirmation_and_ship_reverses_it(db, make_campaign):
    campaign = make_campaign(2)

    result = mark_wont_ship(campaign, target(campaign, "SO-1"), operator="alice")
    assert result.summary() == "1 marked won't ship"
    assert get_order(campaign, "SO-1").status == "wont_ship"
    assert reminders(campaign) == {}

    reversed_ = mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    assert reversed_.summary() == "1 marked shipped · 1 reminder queued"
    order = get_order(campaign, "SO-1")
    assert (order.status, order.shipped_on) == ("shipped", TODAY)


def test_a_shipped_order_is_not_turned_into_wont_ship(db, make_campaign):
    campaign = make_campaign(3)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    mark_wont_ship(campaign, target(campaign, "SO-3"), operator="alice")
    before = order_state(campaign)

    result = mark_wont_ship(campaign, target(campaign, "SO-1", "SO-2", "SO-3"), operator="alice")

    assert result.changed == 1
    reasons = {skip.order_id: skip.reason for skip in result.skipped}
    assert reasons["SO-1"].startswith("shipped on 03/16/2026: a shipped order is not marked won't ship")
    assert reasons["SO-3"] == "already marked won't ship"
    assert result.summary() == "1 marked won't ship · 1 already shipped, skipped · 1 already won't ship, skipped"
    assert order_state(campaign)["SO-1"] == before["SO-1"]
    assert get_order(campaign, "SO-2").status == "wont_ship"


def test_ship_date_in_the_future_is_rejected_and_nothing_changes(db, make_campaign):
    campaign = make_campaign(1)
    before = order_state(campaign)
    with pytest.raises(RejectedInput, match="03/17/2026 is in the future"):
        mark_shipped(campaign, target(campaign, "SO-1"), operator="alice", shipped_on=TODAY + timedelta(days=1))
    assert order_state(campaign) == before


def test_backdated_ship_still_leaves_time_to_undo(db, make_campaign):
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice", shipped_on=TODAY - timedelta(days=30))
    reminder = Reminder.get()
    assert reminder.send_after == clock.stored_now() + timedelta(hours=1)


def test_tracking_is_normalised_and_the_url_filled_from_the_carrier(db, make_campaign):
    campaign = make_campaign(1)
    order = get_order(campaign, "SO-1")

    result = update_tracking(campaign, order, number=" 1z999aa1 0123456784 ", carrier="united parcel service",
                             url="", operator="alice")

    assert result.summary() == "1 tracking updated"
    order = get_order(campaign, "SO-1")
    assert (order.tracking_number, order.carrier, order.tracking_url) == (
        "1Z999AA10123456784", "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    )
    assert order.status == "pending", "tracking alone does not mark an order shipped"
    again = update_tracking(campaign, order, number="1Z999AA10123456784", carrier="UPS", url="", operator="alice")
    assert again.changed == 0 and again.summary() == "0 tracking updated · 1 unchanged, skipped"


def _ship_to(campaign, key: str, country: str) -> None:
    Order.update(ship_country=country).where(Order.id == get_order(campaign, key).id).execute()


def test_an_empty_carrier_is_told_by_the_number_and_said_so(db, make_campaign):
    campaign = make_campaign(1)
    result = update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z5R89390357567127",
                             carrier="", url="", operator="alice")
    order = get_order(campaign, "SO-1")
    assert (order.carrier, order.tracking_url) == ("UPS", "https://www.ups.com/track?tracknum=1Z5R89390357567127")
    assert result.notes == ["carrier UPS told by the number"] and result.warnings == []


def test_dhl_for_a_german_order_is_dhl_paket_with_its_german_page(db, make_campaign):
    campaign = make_campaign(2)
    _ship_to(campaign, "SO-1", "DE")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="00340434397375685360", carrier="dhl",
                    url="", operator="alice")
    order = get_order(campaign, "SO-1")
    assert order.carrier == "DHL Paket"
    assert order.tracking_url == (
        "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434397375685360"
    )
    # a US order with DHL and a number that is no DHL Paket one: DHL Express
    update_tracking(campaign, get_order(campaign, "SO-2"), number="3318810025", carrier="DHL", url="",
                    operator="alice")
    assert get_order(campaign, "SO-2").carrier == "DHL Express"


def test_the_orders_country_decides_between_carriers_whose_check_digit_fits(db, make_campaign):
    campaign = make_campaign(2)
    _ship_to(campaign, "SO-2", "DE")
    # 12 digits valid for FedEx, DHL Paket and GLS: in the US FedEx; in Germany still two
    update_tracking(campaign, get_order(campaign, "SO-1"), number="201298452277", carrier="", url="",
                    operator="alice")
    assert get_order(campaign, "SO-1").carrier == "FedEx"
    result = update_tracking(campaign, get_order(campaign, "SO-2"), number="201298452277", carrier="",
                             url="", operator="alice")
    assert get_order(campaign, "SO-2").carrier == ""
    assert result.warnings == ["201298452277 could be a DHL Paket or GLS number: give the carrier"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.com/x", "tracking-page", "https://", "http://exa mple.com"]
)
def test_tracking_url_must_be_absolute_http(db, make_campaign, url):
    campaign = make_campaign(1)
    before = order_state(campaign)
    with pytest.raises(RejectedInput, match="not an absolute http"):
        update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784",
                        carrier="UPS", url=url, operator="alice")
    assert order_state(campaign) == before


def test_tracking_is_refused_on_a_wont_ship_order(db, make_campaign):
    campaign = make_campaign(1)
    mark_wont_ship(campaign, target(campaign, "SO-1"), operator="alice")
    before = order_state(campaign)
    with pytest.raises(RejectedInput, match="SO-1 is marked won't ship"):
        update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784",
                        carrier="UPS", url="", operator="alice")
    assert order_state(campaign) == before


def test_undo_of_a_ship_restores_the_orders_and_cancels_their_reminders(db, make_campaign):
    campaign = make_campaign(3)
    before = order_state(campaign)
    mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="alice")

    result = undo_last(campaign, operator="alice")

    assert result.summary() == (
        "undone: 2 marked shipped — 2 orders restored · 2 reminders cancelled"
    )
    after = order_state(campaign)
    for key in before:
        status, shipped_on, carrier, number, url, version = after[key]
        assert (status, shipped_on, carrier, number, url) == before[key][:5]
    assert {status for status, _ in reminders(campaign).values()} == {"cancelled"}
    assert Action.get().undone_by == "alice"


def test_reshipping_after_undo_requeues_the_same_reminder(db, make_campaign):
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    first = reminders(campaign)["SO-1"]
    undo_last(campaign, operator="alice")

    again = mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")

    assert again.reminders_queued == 1
    assert reminders(campaign)["SO-1"] == ("queued", first[1])
    assert Reminder.select().count() == 1
    # Queued by the second shipment now: undoing that cancels it again.
    assert undo_last(campaign, operator="alice").reminders_cancelled == 1


def test_undo_names_reminders_already_sent_and_a_reship_sends_no_second(db, make_campaign):
    campaign = make_campaign(2)
    mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="alice")
    Reminder.update(status=ReminderStatus.SENT).where(
        Reminder.order == get_order(campaign, "SO-1")
    ).execute()

    result = undo_last(campaign, operator="alice")

    assert (result.already_sent, result.already_sent_count) == (["SO-1"], 1)
    assert result.reminders_cancelled == 1
    assert get_order(campaign, "SO-1").status == "pending"
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    assert reminders(campaign)["SO-1"][0] == "sent"


def test_undo_takes_back_only_my_last_action_and_leaves_later_changes_of_others(db, make_campaign):
    campaign = make_campaign(3)
    mark_shipped(campaign, target(campaign, "SO-1", "SO-2"), operator="alice")
    mark_wont_ship(campaign, target(campaign, "SO-3"), operator="bob")
    update_tracking(campaign, get_order(campaign, "SO-2"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="bob")

    result = undo_last(campaign, operator="alice")

    assert result.restored == 1
    assert [(s.order_id, s.reason) for s in result.skipped] == [
        ("SO-2", "changed by bob since; left as it is (undo again once that change is taken back)")
    ]
    assert get_order(campaign, "SO-1").status == "pending"
    assert get_order(campaign, "SO-2").status == "shipped"
    assert reminders(campaign)["SO-2"][0] == "queued"
    assert get_order(campaign, "SO-3").status == "wont_ship", "bob's action is not alice's to undo"


def test_undo_of_a_tracking_edit_puts_the_old_tracking_back(db, make_campaign):
    campaign = make_campaign(1)
    update_tracking(campaign, get_order(campaign, "SO-1"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="alice")
    update_tracking(campaign, get_order(campaign, "SO-1"), number="00340434161094042557", carrier="dhl paket",
                    url="", operator="alice")

    undo_last(campaign, operator="alice")

    order = get_order(campaign, "SO-1")
    assert (order.carrier, order.tracking_number) == ("UPS", "1Z999AA10123456784")


def test_undo_with_nothing_to_undo_says_so(db, make_campaign):
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="bob")
    with pytest.raises(RejectedInput, match="nothing to undo: alice has no action"):
        undo_last(campaign, operator="alice")


def test_an_action_that_changes_nothing_is_not_what_undo_takes_back(db, make_campaign):
    campaign = make_campaign(2)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")  # all skipped

    undo_last(campaign, operator="alice")

    assert get_order(campaign, "SO-1").status == "pending"


def test_orders_changed_since_they_were_loaded_are_reported_not_overwritten(db, make_campaign):
    campaign = make_campaign(2)
    seen = {order.id: order.version for order in Order.select()}
    mark_wont_ship(campaign, target(campaign, "SO-1"), operator="bob")

    result = mark_shipped(campaign, OrderTarget.of_ids(seen), operator="alice", expected_versions=seen)

    assert result.changed == 1
    (stale,) = result.skipped
    assert stale.order_id == "SO-1" and stale.reason.startswith("changed by bob at 03/16/2026 10:30")
    assert get_order(campaign, "SO-1").status == "wont_ship"


def test_a_filter_targets_every_matching_order_not_only_those_on_screen(db, make_campaign):
    campaign = make_campaign(12)
    mark_wont_ship(campaign, target(campaign, "SO-2"), operator="alice")

    view = OrderFilter(status=OrderStatus.PENDING, search="so-1")
    result = mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign, view)), operator="alice")

    # SO-1, SO-10, SO-11, SO-12 match "so-1" case-insensitively; SO-2 is not pending
    assert result.changed == 4
    shipped = {key for key, state in order_state(campaign).items() if state[0] == "shipped"}
    assert shipped == {"SO-1", "SO-10", "SO-11", "SO-12"}


def test_a_view_target_is_every_order_of_the_view_but_those_left_out_and_stale(db, make_campaign):
    campaign = make_campaign(12)
    spare = make_campaign(2, name="Autumn")
    mark_wont_ship(campaign, target(campaign, "SO-2"), operator="alice")
    seen = {get_order(campaign, "SO-10").id: get_order(campaign, "SO-10").version}
    update_tracking(campaign, get_order(campaign, "SO-10"), number="1Z999AA10123456784", carrier="UPS",
                    url="", operator="bob")
    view = OrderFilter(status=OrderStatus.PENDING, search="so-1")

    result = mark_shipped(campaign, OrderTarget.of_view(view, leaving_out=resolve_order_keys(campaign, ["SO-11"])),
                          operator="alice", expected_versions=seen)

    assert result.changed == 2 and [skip.order_id for skip in result.skipped] == ["SO-10"]  # stale
    shipped = {key for key, state in order_state(campaign).items() if state[0] == "shipped"}
    assert shipped == {"SO-1", "SO-12"}
    assert {state[0] for state in order_state(spare).values()} == {"pending"}


def test_skipped_orders_are_counted_and_only_the_first_of_each_reason_named(db, make_campaign):
    campaign = make_campaign(30)
    everyone = OrderTarget.of_view(OrderFilter())
    mark_wont_ship(campaign, target(campaign, "SO-30"), operator="alice")
    mark_shipped(campaign, OrderTarget.of_view(OrderFilter(status=OrderStatus.PENDING)), operator="alice")

    result = mark_wont_ship(campaign, everyone, operator="alice")

    assert result.summary() == "0 marked won't ship · 29 already shipped, skipped · 1 already won't ship, skipped"
    assert len(result.skipped) == 30
    named = [skip.order_id for skip in result.skipped]
    assert named == [f"SO-{number}" for number in range(1, Skips.NAMED + 1)] + ["SO-30"]


def test_orders_of_another_campaign_are_never_touched(db, make_campaign):
    spring = make_campaign(2, name="Spring")
    autumn = make_campaign(2, name="Autumn")
    before = order_state(autumn)
    mark_shipped(spring, OrderTarget.of_ids(o.id for o in Order.select()), operator="alice")
    assert order_state(autumn) == before
    assert {state[0] for state in order_state(spring).values()} == {"shipped"}


def test_bulk_ship_of_thousands_in_one_call_across_chunks(db):
    from shiptui.services.demo import build_demo_campaign

    campaign, _ = build_demo_campaign(orders=12_000, seed=3)
    pending = Order.select(Order.id).where(Order.campaign == campaign, Order.status == "pending")
    pending_ids = [order.id for order in pending]
    assert len(pending_ids) > 5000  # more than one chunk of ids

    result = mark_shipped(campaign, OrderTarget.of_ids(pending_ids), operator="alice")

    assert result.changed == result.reminders_queued == len(pending_ids)
    assert pending.count() == 0
    shipped = Order.select().where(Order.campaign == campaign, Order.status == "shipped").count()
    assert Reminder.select().join(Order).where(Order.campaign == campaign).count() == shipped
    assert undo_last(campaign, operator="alice").restored == len(pending_ids)
    assert pending.count() == len(pending_ids)


def test_message_ids_carry_the_configured_senders_domain(db, make_campaign, monkeypatch):
    monkeypatch.setenv("SHIPTUI_MAIL_FROM", "Sampling Team <team@brand.example>")
    campaign = make_campaign(1)
    mark_shipped(campaign, target(campaign, "SO-1"), operator="alice")
    order = get_order(campaign, "SO-1")
    assert Reminder.get().message_id == f"<first-review.{campaign.slug}.{order.id}@brand.example>"


def test_undo_of_a_large_action_gives_postgresql_statistics_that_know_it(db, db_location, make_campaign):
    """Planned on statistics of an empty log, an undo of a ship of 1,000,000 orders ran for
    19 minutes (a loop over the log for every change); with them, one hash join."""
    if not db_location.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner statistics")
    campaign = make_campaign(1000)
    db.execute_sql("ALTER TABLE action_change SET (autovacuum_enabled = false)")  # no analyse but undo's
    db.execute_sql("ANALYZE action_change")
    mark_shipped(campaign, OrderTarget.of_ids(order_ids(campaign)), operator="alice")

    assert undo_last(campaign, operator="alice").restored == 1000

    (known,) = db.execute_sql("SELECT reltuples FROM pg_class WHERE relname = 'action_change'").fetchone()
    assert known >= 1000
