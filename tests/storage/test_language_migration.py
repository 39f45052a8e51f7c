"""The languages step brings a database of the first schema forward without losing the
campaign's own reminder template, and gives German members' orders German."""

import peewee
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run

from shiptui.storage import Campaign, Member, Order, ReminderText
from shiptui.storage.migrations import migrate
from shiptui.storage.models import SchemaVersion


def _back_to_the_first_schema(db: peewee.Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    run(
        migrator.drop_column("orders", "language"),
        migrator.drop_column("campaign", "language"),
        migrator.drop_column("campaign", "review_url"),
        migrator.add_column("campaign", "reminder_subject_template", peewee.TextField(null=True)),
        migrator.add_column("campaign", "reminder_body_template", peewee.TextField(null=True)),
    )
    db.drop_tables([ReminderText])
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=1, applied_at=SchemaVersion.applied_at.adapt("2026-01-01 00:00:00"))


def test_orders_get_their_members_language_and_the_template_becomes_the_english_one(db, make_campaign):
    campaign = make_campaign(3)
    Member.update(country="AT").where(Member.email.startswith("member2.")).execute()
    Member.update(country="DE").where(Member.email.startswith("member3.")).execute()
    _back_to_the_first_schema(db)
    db.execute_sql(
        "UPDATE campaign SET reminder_subject_template = 'Review $product', "
        "reminder_body_template = 'Hi $member_name' WHERE id = %s" % campaign.id
    )

    assert migrate(db) == 1

    assert dict(Order.select(Order.order_key, Order.language).tuples()) == {
        "SO-1": "en", "SO-2": "de-AT", "SO-3": "de",
    }
    assert Campaign.get_by_id(campaign.id).language == "en"
    texts = [(t.language, t.subject, t.body) for t in ReminderText.select()]
    assert texts == [("en", "Review $product", "Hi $member_name")]
    columns = [column.name for column in db.get_columns("campaign")]
    assert "reminder_subject_template" not in columns
