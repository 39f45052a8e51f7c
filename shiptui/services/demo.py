"""A realistic demo campaign: US and German members, several products, every state."""

from __future__ import annotations

import random
from datetime import timedelta

from functools import lru_cache

from slugify import slugify

from shiptui import clock
from shiptui.services.campaigns import create_campaign
from shiptui.services.carriers import find_carrier
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship
from shiptui.services.orders import OrderTarget
from shiptui.storage import (
    Campaign,
    Member,
    Order,
    OrderStatus,
    Product,
    Reminder,
    ReminderStatus,
    database,
)
from shiptui.storage.bulk import insert_rows

DEMO_NAME = "Demo: Winter Skincare Sampling"
DEMO_OPERATOR = "demo"

PRODUCTS = [
    ("Hydra Glow Serum 30 ml", "HGS-030"),
    ("Night Repair Cream 50 ml", "NRC-050"),
    ("Vitamin C Eye Gel", "VCE-015"),
    ("Gentle Foam Cleanser", "GFC-150"),
    ("SPF 50 Daily Fluid", "SPF-050"),
]

US_FIRST = ["Emily", "Michael", "Sarah", "James", "Zoë", "Seán", "Aaliyah", "Chloé", "Mateo", "Nora", "D'Andre", "Renée"]
US_LAST = ["O'Brien", "Smith", "Johnson", "D'Angelo", "García", "Nguyen", "O'Connor", "Miller", "Brown", "Martínez", "McKenna", "Lee"]
DE_FIRST = ["Jürgen", "Jörg", "Anna-Lena", "Björn", "Käthe", "Sönke", "Lena", "Mia", "Lukas", "Özlem", "Hans-Peter", "Grete"]
DE_LAST = ["Müller", "Schäfer", "Groß", "Weiß", "Köhler", "Bäcker", "Schmidt", "Fischer", "Wagner", "Krüger", "Strauß", "Hoffmann"]

US_PLACES = [
    ("Portland", "OR", "97205"), ("Austin", "TX", "78701"), ("Brooklyn", "NY", "11201"),
    ("Denver", "CO", "80202"), ("Madison", "WI", "53703"), ("Savannah", "GA", "31401"),
]
DE_PLACES = [
    ("München", "Bayern", "80331"), ("Köln", "Nordrhein-Westfalen", "50667"),
    ("Düsseldorf", "Nordrhein-Westfalen", "40213"), ("Hamburg", "Hamburg", "20095"),
    ("Lübeck", "Schleswig-Holstein", "23552"), ("Görlitz", "Sachsen", "02826"),
]
US_STREETS = ["Maple Ave", "Oak Street", "Elm Road", "Sunset Blvd", "Lincoln Way"]
DE_STREETS = ["Hauptstraße", "Schloßallee", "Bahnhofstraße", "Lindenweg", "Gartenstraße"]

US_CARRIERS = ["UPS", "USPS", "FedEx"]
DE_CARRIERS = ["DHL Paket", "DPD", "Hermes", "GLS"]


def _tracking_number(rng: random.Random, carrier: str) -> str:
    if carrier == "UPS":
        return "1Z" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPRSTVWXYZ", k=16))
    length = {"USPS": 22, "FedEx": 12, "DHL Paket": 20, "DPD": 14, "Hermes": 14, "GLS": 12}[carrier]
    return "".join(rng.choices("0123456789", k=length))


@lru_cache(maxsize=None)
def _email_name(first: str, last: str) -> str:
    return slugify(f"{first} {last}", separator=".")


MEMBER_FIELDS = [
    Member.name, Member.email, Member.address_line1, Member.address_line2, Member.city,
    Member.region, Member.postal_code, Member.country, Member.locale,
]


def _member_row(rng: random.Random, index: int) -> tuple:
    german = rng.random() < 0.4
    first = rng.choice(DE_FIRST if german else US_FIRST)
    last = rng.choice(DE_LAST if german else US_LAST)
    city, region, postal = rng.choice(DE_PLACES if german else US_PLACES)
    number = rng.randint(1, 240)
    street = rng.choice(DE_STREETS if german else US_STREETS)
    return (
        f"{first} {last}",
        f"{_email_name(first, last)}.{index}@{'example.de' if german else 'example.com'}",
        f"{street} {number}" if german else f"{number} {street}",
        "" if rng.random() < 0.8 else ("Hinterhaus" if german else f"Apt {rng.randint(1, 40)}"),
        city,
        region,
        postal,
        "DE" if german else "US",
        "de_DE" if german else "en_US",
    )


ORDER_FIELDS = [
    Order.campaign, Order.member, Order.product, Order.quantity, Order.order_key, Order.status,
    Order.carrier, Order.tracking_number, Order.tracking_url, Order.version, Order.updated_at,
    Order.updated_by,
]


def build_demo_campaign(orders: int = 2000, seed: int = 7) -> tuple[Campaign, bool]:
    """The demo campaign, created with `orders` orders unless it exists already."""
    existing = Campaign.get_or_none(Campaign.name == DEMO_NAME)
    if existing is not None:
        return existing, False
    rng = random.Random(seed)
    now = clock.stored_now()
    with database().atomic():
        campaign = create_campaign(DEMO_NAME, reminder_delay_days=7)
        products = [Product.get_or_create(sku=sku, defaults={"name": name})[0] for name, sku in PRODUCTS]
        first_member = (Member.select(Member.id).order_by(Member.id.desc()).scalar() or 0) + 1
        members = [_member_row(rng, campaign.id * 1_000_000 + i) for i in range(orders)]
        insert_rows(Member, MEMBER_FIELDS, members)
        member_ids = [
            member_id for (member_id,) in Member.select(Member.id)
            .where(Member.id >= first_member).order_by(Member.id).tuples()
        ]
        order_rows = []
        for i, member_id in enumerate(member_ids):
            german = members[i][7] == "DE"
            carrier = rng.choice(DE_CARRIERS if german else US_CARRIERS)
            tracked = rng.random() < 0.45
            number = _tracking_number(rng, carrier) if tracked else ""
            order_rows.append((
                campaign.id,
                member_id,
                rng.choice(products).id,
                1 if rng.random() < 0.9 else 2,
                f"SO-{100001 + i}",
                OrderStatus.PENDING.value,
                carrier if tracked else "",
                number,
                find_carrier(carrier).tracking_url(number) if tracked else "",
                1,
                now,
                DEMO_OPERATOR,
            ))
        insert_rows(Order, ORDER_FIELDS, order_rows)
        order_ids = [
            order_id for (order_id,) in Order.select(Order.id)
            .where(Order.campaign == campaign).order_by(Order.id).tuples()
        ]
        tracked_ids = [oid for oid, row in zip(order_ids, order_rows) if row[7]]
        # Most tracked orders have shipped, on days of the last three weeks.
        by_day: dict[int, list[int]] = {}
        for order_id in tracked_ids:
            if rng.random() < 0.8:
                by_day.setdefault(rng.randint(0, 20), []).append(order_id)
        for days_ago, ids in sorted(by_day.items(), reverse=True):
            mark_shipped(campaign, OrderTarget.of_ids(ids), operator=DEMO_OPERATOR,
                         shipped_on=clock.today() - timedelta(days=days_ago))
        untracked = [oid for oid, row in zip(order_ids, order_rows) if not row[7]]
        mark_wont_ship(campaign, OrderTarget.of_ids(rng.sample(untracked, k=len(untracked) // 25)),
                       operator=DEMO_OPERATOR)
        # Reminders of orders shipped more than a week ago have gone out.
        week_ago = clock.today() - timedelta(days=campaign.reminder_delay_days)
        Reminder.update(status=ReminderStatus.SENT, attempts=1, sent_at=now).where(
            Reminder.order.in_(
                Order.select(Order.id).where(Order.campaign == campaign, Order.shipped_on < week_ago)
            )
        ).execute()
    return campaign, True


