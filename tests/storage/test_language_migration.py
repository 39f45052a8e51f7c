"""The languages step brings a database of the first schema forward without losing the
campaign's own reminder template, and gives German members' orders German."""

from shiptui.storage import Campaign, Order, ReminderText, close_database, open_database
from shiptui.storage.migrations import STEPS, latest_version
from shiptui.storage.models import SchemaVersion

from tests.storage.version_1 import VERSION_1_ROWS, create_version_1


def test_orders_get_their_members_language_and_the_template_becomes_the_english_one(db_location):
    create_version_1(db_location, *VERSION_1_ROWS)
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
