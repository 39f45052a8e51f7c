"""The languages step brings a database of the first schema forward without losing the
campaign's own reminder template, and gives German members' orders German."""

from shiptui.storage import Campaign, Order, ReminderText, close_database, open_database
from shiptui.storage.migrations import STEPS, latest_version
from shiptui.storage.models import SchemaVersion

from tests.storage.version_1 import create_version_1

_VERSION_1_ROWS = (
    "INSERT INTO campaign (id, name, slug, reminder_delay_days, created_at, "
    "reminder_subject_template, reminder_body_template) "
    "VALUES (1, 'Spring', 'spring', 7, '2026-01-01 00:00:00', 'Review $product', 'Hi $member_name')",
    "INSERT INTO product (id, name, sku) VALUES (1, 'Hydra Glow Serum', 'HGS-030')",
    *(
        "INSERT INTO member (id, name, email, address_line1, address_line2, city, region, "
        f"postal_code, country, locale) VALUES ({n}, 'M{n}', 'm{n}@example.com', '1 Main St', '', "
        f"'Town', '', '12345', '{country}', '')"
        for n, country in ((1, "US"), (2, "AT"), (3, "DE"))
    ),
    *(
        "INSERT INTO orders (id, campaign_id, member_id, product_id, quantity, order_key, status, "
        "shipped_on, carrier, tracking_number, tracking_url, version, updated_at, updated_by) "
        f"VALUES ({n}, 1, {n}, 1, 1, 'SO-{n}', 'pending', NULL, '', '', '', 1, '2026-01-01 00:00:00', 'seed')"
        for n in (1, 2, 3)
    ),
)


def test_orders_get_their_members_language_and_the_template_becomes_the_english_one(db_location):
    create_version_1(db_location, *_VERSION_1_ROWS)
    db = open_database(db_location)
    try:
        assert max(version.version for version in SchemaVersion.select()) == latest_version(STEPS)
        assert dict(Order.select(Order.order_key, Order.language).tuples()) == {
            "SO-1": "en", "SO-2": "de-AT", "SO-3": "de",
        }
        assert Campaign.get_by_id(1).language == "en"
        texts = [(t.language, t.subject, t.body) for t in ReminderText.select()]
        assert texts == [("en", "Review $product", "Hi $member_name")]
        columns = [column.name for column in db.get_columns("campaign")]
        assert "reminder_subject_template" not in columns
    finally:
        close_database()
