"""A realistic demo campaign: US and German members, several products, every state."""

from __future__ import annotations

import random
from datetime import timedelta

from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence

from slugify import slugify

from shiptui import clock
from shiptui.i18n import language_of_country
from shiptui.services.campaigns import create_campaign
from shiptui.services.carrier_detection import fits_carrier
from shiptui.services.carriers import find_carrier
from shiptui.services.csv.staging import in_batches
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship
from shiptui.services.orders import OrderTarget
from shiptui.storage import (
    SHIP_TO,
    Campaign,
    Member,
    Order,
    OrderStatus,
    Product,
    Reminder,
    ReminderStatus,
    database,
)
from shiptui.storage.bulk import insert_order_rows, insert_rows
from shiptui.storage.search import derived_columns

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


# Each carrier's number before its check digit: a prefix and random characters.
_SERIALS = {
    "UPS": ("1Z", "0123456789ABCDEFGHJKLMNPRSTVWXYZ", 15), "USPS": ("9400", "0123456789", 17),
    "FedEx": ("", "0123456789", 11), "DHL Paket": ("00340434", "0123456789", 11),
    "DPD": ("0", "0123456789", 12), "Hermes": ("0", "0123456789", 12), "GLS": ("", "0123456789", 11),
}


def _tracking_number(rng: random.Random, carrier: str) -> str:
    """A number the carrier could have issued: its check digit fits."""
    prefix, alphabet, count = _SERIALS[carrier]
    serial = prefix + "".join(rng.choices(alphabet, k=count))
    return next(serial + digit for digit in "0123456789" if fits_carrier(carrier, serial + digit))


@lru_cache(maxsize=None)
def _email_name(first: str, last: str) -> str:
    return slugify(f"{first} {last}", separator=".")


class MemberRow(NamedTuple):
    name: str
    email: str
    address_line1: str
    address_line2: str
    city: str
    region: str
    postal_code: str
    country: str
    locale: str


class DemoOrder(NamedTuple):
    sku: str
    quantity: int
    order_key: str
    carrier: str
    tracking_number: str
    tracking_url: str


MEMBER_FIELDS = [getattr(Member, name) for name in MemberRow._fields]
ORDER_FIELDS = [
    Order.campaign, Order.member, Order.product, Order.quantity, Order.order_key, Order.status,
    Order.carrier, Order.tracking_number, Order.tracking_url, Order.version, Order.updated_at,
    Order.updated_by, Order.language, *(getattr(Order, f"ship_{name}") for name in SHIP_TO),
    Order.search_text, Order.sort_key,
]


def _demo_member(rng: random.Random, index: int) -> MemberRow:
    german = rng.random() < 0.4
    first = rng.choice(DE_FIRST if german else US_FIRST)
    last = rng.choice(DE_LAST if german else US_LAST)
    city, region, postal = rng.choice(DE_PLACES if german else US_PLACES)
    number = rng.randint(1, 240)
    street = rng.choice(DE_STREETS if german else US_STREETS)
    return MemberRow(
        name=f"{first} {last}",
        email=f"{_email_name(first, last)}.{index}@{'example.de' if german else 'example.com'}",
        address_line1=f"{street} {number}" if german else f"{number} {street}",
        address_line2="" if rng.random() < 0.8 else ("Hinterhaus" if german else f"Apt {rng.randint(1, 40)}"),
        city=city,
        region=region,
        postal_code=postal,
        country="DE" if german else "US",
        locale="de_DE" if german else "en_US",
    )


def _demo_order(rng: random.Random, index: int, member: MemberRow, tracked: bool) -> DemoOrder:
    carrier = rng.choice(DE_CARRIERS if member.country == "DE" else US_CARRIERS) if tracked else ""
    number = _tracking_number(rng, carrier) if tracked else ""
    return DemoOrder(
        sku=rng.choice(PRODUCTS)[1],
        quantity=1 if rng.random() < 0.9 else 2,
        order_key=f"SO-{100001 + index}",
        carrier=carrier,
        tracking_number=number,
        tracking_url=find_carrier(carrier).tracking_url(number, language_of_country(member.country)) if tracked else "",
    )


def demo_rows(orders: int, seed: int, email_prefix: int = 0, tracked_share: float = 0.45) -> list[tuple[MemberRow, DemoOrder]]:
    """Members and their orders, one each, reproducible from `seed`."""
    return list(_demo_rows(orders, seed, email_prefix, tracked_share))


def _demo_rows(orders: int, seed: int, email_prefix: int = 0, tracked_share: float = 0.45) -> Iterator[tuple[MemberRow, DemoOrder]]:
    rng = random.Random(seed)
    for index in range(orders):
        member = _demo_member(rng, email_prefix + index)
        yield member, _demo_order(rng, index, member, rng.random() < tracked_share)


def insert_orders(campaign: Campaign, rows: Sequence[tuple[MemberRow, DemoOrder]]) -> list[int]:
    """Insert the members and their pending orders; returns their ids in row order."""
    now = clock.stored_now()
    products = {
        sku: Product.get_or_create(sku=sku, defaults={"name": name})[0].id for name, sku in PRODUCTS
    }
    first_member = (Member.select(Member.id).order_by(Member.id.desc()).scalar() or 0) + 1
    last_order = Order.select(Order.id).order_by(Order.id.desc()).scalar() or 0
    insert_rows(Member, MEMBER_FIELDS, [member for member, _ in rows])
    member_ids = [
        member_id for (member_id,) in Member.select(Member.id)
        .where(Member.id >= first_member).order_by(Member.id).tuples()
    ]
    insert_order_rows(ORDER_FIELDS, [
        (campaign.id, member_id, products[order.sku], order.quantity, order.order_key,
         OrderStatus.PENDING.value, order.carrier, order.tracking_number, order.tracking_url, 1,
         now, DEMO_OPERATOR, language_of_country(member.country) or campaign.language,
         *(getattr(member, name) for name in SHIP_TO),
         *derived_columns(order.order_key, member.name, member.email))
        for member_id, (member, order) in zip(member_ids, rows)
    ])
    return [
        order_id for (order_id,) in Order.select(Order.id)
        .where(Order.id > last_order).order_by(Order.id).tuples()
    ]


def build_demo_campaign(orders: int = 2000, seed: int = 7) -> tuple[Campaign, bool]:
    """The demo campaign with `orders` orders in every state, unless it exists already."""
    existing = Campaign.get_or_none(Campaign.name == DEMO_NAME)
    if existing is not None:
        return existing, False
    rng = random.Random(seed)
    with database().atomic():
        campaign = create_campaign(DEMO_NAME, reminder_delay_days=7)
        # Most tracked orders have shipped, on days of the last three weeks.
        by_day: dict[int, list[int]] = {}
        untracked: list[int] = []
        # Made and inserted a batch at a time: a million rows as objects take a gigabyte.
        for rows in in_batches(_demo_rows(orders, seed, email_prefix=campaign.id * 1_000_000), 50_000):
            for order_id, (_, order) in zip(insert_orders(campaign, rows), rows):
                if not order.tracking_number:
                    untracked.append(order_id)
                elif rng.random() < 0.8:
                    by_day.setdefault(rng.randint(0, 20), []).append(order_id)
        for days_ago, ids in sorted(by_day.items(), reverse=True):
            mark_shipped(campaign, OrderTarget.of_ids(ids), operator=DEMO_OPERATOR,
                         shipped_on=clock.today() - timedelta(days=days_ago))
        mark_wont_ship(campaign, OrderTarget.of_ids(rng.sample(untracked, k=len(untracked) // 25)),
                       operator=DEMO_OPERATOR)
        # Reminders of orders shipped more than a week ago have gone out.
        week_ago = clock.today() - timedelta(days=campaign.reminder_delay_days)
        Reminder.update(status=ReminderStatus.SENT, attempts=1, sent_at=clock.stored_now()).where(
            Reminder.order.in_(
                Order.select(Order.id).where(Order.campaign == campaign, Order.shipped_on < week_ago)
            )
        ).execute()
    return campaign, True
