"""The outbox's side of delivery: leases, outcomes, listing, counts and retry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shiptui import clock
from shiptui.errors import NotFound, RejectedInput
from shiptui.services import outbox
from shiptui.services.mail import delivery
from shiptui.services.orders import get_order
from shiptui.storage import Reminder, ReminderStatus

from tests.mail.conftest import later, ship

LEASE = timedelta(minutes=2)


def reminder(campaign, key: str) -> Reminder:
    return Reminder.get(Reminder.order == get_order(campaign, key))


def test_a_claim_is_leased_and_counted_and_others_cannot_take_it(db, make_campaign, due_clock):
    campaign = make_campaign(3)
    ship(campaign, "SO-1", "SO-2", "SO-3")
    first = delivery.claim_due("a", 2, LEASE)
    assert len(first) == 2
    assert delivery.claim_due("b", 10, LEASE) == [reminder(campaign, "SO-3").id]
    assert delivery.claim_due("c", 10, LEASE) == []
    row = Reminder.get_by_id(first[0])
    assert (row.status, row.lease_owner, row.attempts) == (ReminderStatus.SENDING, "a", 1)
    assert row.lease_expires_at == clock.stored_now() + LEASE


def test_only_the_lease_holder_records_an_outcome(db, make_campaign, due_clock):
    campaign = make_campaign(1)
    ship(campaign, "SO-1")
    (claimed,) = delivery.claim_due("a", 1, LEASE)
    with later(due_clock, minutes=3):
        assert delivery.claim_due("b", 1, LEASE) == [claimed]  # a's lease ran out: b takes over
        assert not delivery.record_sent(claimed, "a", recipient="x@example.com", subject="s", body="b")
        assert not delivery.record_failed(claimed, "a", error="550 no")
        assert delivery.renew_lease([claimed], "a", LEASE) == []
        assert delivery.renew_lease([claimed], "b", LEASE) == [claimed]
        row = Reminder.get_by_id(claimed)
        assert (row.status, row.lease_owner, row.attempts) == (ReminderStatus.SENDING, "b", 2)
        assert row.lease_expires_at == clock.stored_now() + LEASE
        assert delivery.record_sent(claimed, "b", recipient="x@example.com", subject="s", body="b")
    row = Reminder.get_by_id(claimed)
    assert (row.status, row.lease_owner, row.lease_expires_at) == (ReminderStatus.SENT, None, None)


def test_listing_counts_and_scope_by_campaign(db, make_campaign, due_clock):
    spring, autumn = make_campaign(2), make_campaign(1, name="Autumn Kit")
    ship(spring, "SO-1", "SO-2")
    ship(autumn, "SO-1")
    (claimed,) = delivery.claim_due("a", 1, LEASE)
    delivery.record_failed(claimed, "a", error="550 5.1.1 no such user")

    assert outbox.outbox_counts() == {"queued": 2, "sending": 0, "sent": 0, "failed": 1, "cancelled": 0, "suppressed": 0}
    assert outbox.outbox_counts(autumn) == {"queued": 1, "sending": 0, "sent": 0, "failed": 0, "cancelled": 0, "suppressed": 0}
    rows = outbox.outbox_rows(campaign=spring)
    assert [(row.campaign, row.order_id, row.status) for row in rows] == [
        (spring.slug, "SO-1", "failed"), (spring.slug, "SO-2", "queued"),
    ]
    failed = outbox.outbox_rows(status="failed")
    assert [(row.last_error, row.attempts) for row in failed] == [("550 5.1.1 no such user", 1)]
    assert rows[0].send_after == clock.local_from_stored(reminder(spring, "SO-1").send_after)
    assert rows[0].send_after.utcoffset() == timedelta(hours=1)  # shown in the operator's zone


def test_retry_hurries_a_queued_reminder_but_never_before_its_send_after(db, make_campaign, due_clock):
    campaign = make_campaign(2)
    ship(campaign, "SO-1")
    (claimed,) = delivery.claim_due("a", 1, LEASE)
    delivery.record_retry(claimed, "a", error="451 later", next_attempt_at=clock.stored_now() + timedelta(hours=1))
    assert delivery.claim_due("b", 1, LEASE) == []
    assert outbox.retry([claimed]) == 1
    assert delivery.claim_due("b", 1, LEASE) == [claimed]

    ship(campaign, "SO-2", at=None)  # shipped now: due in a week
    waiting = reminder(campaign, "SO-2").id
    assert outbox.retry([waiting]) == 1
    assert delivery.claim_due("b", 1, LEASE) == []


def test_retry_names_what_it_cannot_retry_and_changes_nothing(db, make_campaign, due_clock):
    spring, autumn = make_campaign(2), make_campaign(1, name="Autumn Kit")
    ship(spring, "SO-1", "SO-2")
    ship(autumn, "SO-1")
    first, second, third = delivery.claim_due("a", 3, LEASE)
    delivery.record_failed(first, "a", error="550 no")
    before = list(Reminder.select().order_by(Reminder.id).tuples())
    with pytest.raises(RejectedInput, match=rf"not {second} \(sending\)"):
        outbox.retry([first, second])
    with pytest.raises(NotFound, match="no reminder with id 424242"):
        outbox.retry([first, 424242])
    autumn_id = reminder(autumn, "SO-1").id
    with pytest.raises(NotFound, match=f"no reminder with id {autumn_id} in campaign {spring.slug}"):
        outbox.retry([autumn_id], campaign=spring)
    assert list(Reminder.select().order_by(Reminder.id).tuples()) == before
