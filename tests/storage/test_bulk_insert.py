"""Bulk inserts (COPY on PostgreSQL, executemany on SQLite) store every value as given."""

from __future__ import annotations

from datetime import date, datetime

from shiptui.storage import Action, ActionChange, Campaign, Member, Order, Product
from shiptui.storage.bulk import insert_rows

ADDRESS = [Member.address_line1, Member.address_line2, Member.city, Member.region, Member.postal_code,
           Member.country, Member.locale]


def test_awkward_text_dates_and_nulls_arrive_as_given(db):
    awkward = ["back\\slash", "tab\there", "new\nline", "carriage\rreturn", "\\N", "quote ' and \" both", ""]
    with db.atomic():
        insert_rows(Member, [Member.name, Member.email, *ADDRESS],
                    [(name, f"m{n}@example.com", *[""] * len(ADDRESS)) for n, name in enumerate(awkward)])
    assert [name for (name,) in Member.select(Member.name).order_by(Member.id).tuples()] == awkward

    campaign = Campaign.create(name="C", slug="c", created_at=datetime(2026, 3, 16, 9, 30))
    member = Member.get(Member.email == "m0@example.com")
    order = Order.create(campaign=campaign, member=member, product=Product.create(name="Serum", sku="S-1"), order_key="SO-1",
                         updated_at=datetime(2026, 3, 16, 9, 30), updated_by="seed")
    action = Action.create(campaign=campaign, operator="alice", kind="ship", created_at=datetime(2026, 3, 16, 9, 30))
    with db.atomic():
        insert_rows(ActionChange, [ActionChange.action, ActionChange.order, ActionChange.status, ActionChange.shipped_on,
                                   ActionChange.carrier, ActionChange.tracking_number, ActionChange.tracking_url,
                                   ActionChange.version, ActionChange.restored_at],
                    [(action.id, order.id, "shipped", date(2026, 3, 12), "UPS", "1Z\t9", "", 3, None)])
    change = ActionChange.get()
    assert (change.shipped_on, change.tracking_number, change.version, change.restored_at) == (
        date(2026, 3, 12), "1Z\t9", 3, None,
    )
