"""The data model. Moments are stored as naive UTC (see `shiptui.clock.utc_naive`)."""

from __future__ import annotations

import json
from enum import StrEnum

from peewee import (
    AutoField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    Model,
    SQL,
    TextField,
)

database_proxy = DatabaseProxy()


class OrderStatus(StrEnum):
    PENDING = "pending"
    SHIPPED = "shipped"
    WONT_SHIP = "wont_ship"


class ReminderStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SUPPRESSED = "suppressed"  # the address is on the suppression list: not sent while it is


FIRST_REVIEW = "first_review"  # the reminder kind queued when an order ships


# A foreign key whose column leads a composite index is declared index=False: a second
# index on it would only slow every bulk write (PostgreSQL updates all of a row's indexes).


def unchecked_key(model, **kwargs) -> ForeignKeyField:
    """A reference without a constraint, for tables written only by INSERT … SELECT of rows
    that exist (the action log, the outbox): their ON DELETE is a trigger (storage/cascades.py)."""
    return ForeignKeyField(model, _deferred=True, **kwargs)  # peewee creates no constraint for it


class JSONField(TextField):
    """A dict kept as JSON text: the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Campaign(BaseModel):
    name = TextField()
    slug = TextField(unique=True)
    reminder_delay_days = IntegerField(default=7)
    created_at = DateTimeField()
    # The language of a member the file names none for, and of the email of a member
    # whose language has no template ("en", "de").
    language = TextField(default="en")
    # Where a member writes the review: a URL template ($order_id, $product...), or "".
    review_url = TextField(default="")


class Member(BaseModel):
    name = TextField()
    email = TextField(unique=True)
    address_line1 = TextField(default="")
    address_line2 = TextField(default="")
    city = TextField(default="")
    region = TextField(default="")
    postal_code = TextField(default="")
    country = TextField(default="")
    locale = TextField(default="en_US")


class Product(BaseModel):
    name = TextField()
    sku = TextField(unique=True)


# Where an order goes: the name and address as its campaign's file gave them. Members are
# shared by email across campaigns, so these live on the order: loading another campaign's
# file never moves this one's parcel.
SHIP_TO = ("name", "address_line1", "address_line2", "city", "region", "postal_code", "country")


class Order(BaseModel):
    campaign = ForeignKeyField(Campaign, backref="orders", on_delete="CASCADE", index=False)
    member = ForeignKeyField(Member, backref="orders")
    product = ForeignKeyField(Product, backref="orders")
    ship_name = TextField(default="")
    ship_address_line1 = TextField(default="")
    ship_address_line2 = TextField(default="")
    ship_city = TextField(default="")
    ship_region = TextField(default="")
    ship_postal_code = TextField(default="")
    ship_country = TextField(default="")
    quantity = IntegerField(default=1)
    order_key = TextField()  # the external "Order ID", unique per campaign
    status = TextField(default=OrderStatus.PENDING)
    shipped_on = DateField(null=True)
    carrier = TextField(default="")
    tracking_number = TextField(default="")
    tracking_url = TextField(default="")
    language = TextField(default="en")  # the member's, for this order: "de", "en", "de-AT"
    version = IntegerField(default=1)  # optimistic concurrency: +1 on every change
    updated_at = DateTimeField()
    updated_by = TextField()
    # Written by the database's triggers (storage/search.py): what a search looks in, and
    # the Order ID in natural order (SO-2 before SO-10).
    # (A default in the schema too: bulk inserts name only the columns they give.)
    search_text = TextField(default="", constraints=[SQL("DEFAULT ''")])
    sort_key = TextField(default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        table_name = "orders"  # "order" is a reserved word in SQL
        indexes = (
            (("campaign", "order_key"), True),
            (("campaign", "status"), False),
            (("campaign", "sort_key"), False),
        )


class ReminderText(BaseModel):
    """A campaign's own review-reminder template in one language; a part left NULL is the
    built-in one of that language (see services/mail/template.py)."""

    campaign = ForeignKeyField(Campaign, backref="reminder_texts", on_delete="CASCADE", index=False)
    language = TextField()  # a primary language: "en", "de"
    subject = TextField(null=True)
    body = TextField(null=True)

    class Meta:
        indexes = ((("campaign", "language"), True),)


class Action(BaseModel):
    """One operator action (an edit, a bulk mark, an import): the unit of undo."""

    campaign = ForeignKeyField(Campaign, backref="actions", on_delete="CASCADE", index=False)
    operator = TextField()
    kind = TextField()  # ship, wont_ship, track, import, ...
    # What it did, as data told in each reader's language (actions.told_summary): counts
    # by name, and the file of an import or a load.
    counts = JSONField(null=True)
    file_name = TextField(null=True)
    summary = TextField(default="")  # an action of shiptui before 'counts': its words, as written then
    created_at = DateTimeField()
    undone_at = DateTimeField(null=True)  # every change of it is taken back
    undone_by = TextField(null=True)
    # An undo left some orders as they are (someone changed them since): the action stays
    # on its operator's undo list, and undo takes up the rest once that change is gone.
    partly_undone_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("campaign", "operator", "undone_at"), False),)


class ActionChange(BaseModel):
    """An order's state before an action changed it: enough to put it back."""

    action = unchecked_key(Action, backref="changes", index=False)
    order = unchecked_key(Order)
    status = TextField()
    shipped_on = DateField(null=True)
    carrier = TextField()
    tracking_number = TextField()
    tracking_url = TextField()
    version = IntegerField()  # the order's version before the action
    restored_at = DateTimeField(null=True)  # when an undo put this order back
    # The order's state after the action, kept when the action is undone (until then it is
    # the next change's before-state, or the order itself): the audit trail shows it.
    after_status = TextField(null=True)
    after_shipped_on = DateField(null=True)
    after_carrier = TextField(null=True)
    after_tracking_number = TextField(null=True)
    after_tracking_url = TextField(null=True)

    class Meta:
        primary_key = CompositeKey("action", "order")


class MemberChange(BaseModel):
    """A member's name and address before a load of orders changed them: undo puts them back."""

    action = ForeignKeyField(Action, backref="member_changes", on_delete="CASCADE", index=False)
    member = ForeignKeyField(Member, on_delete="CASCADE")
    name = TextField()
    address_line1 = TextField()
    address_line2 = TextField()
    city = TextField()
    region = TextField()
    postal_code = TextField()
    country = TextField()
    restored_at = DateTimeField(null=True)

    class Meta:
        primary_key = CompositeKey("action", "member")


class Reminder(BaseModel):
    """The outbox: one row per order and reminder kind, ever."""

    id = AutoField()
    order = unchecked_key(Order, backref="reminders", index=False)
    kind = TextField(default=FIRST_REVIEW)
    recipient = TextField()
    subject = TextField(default="")  # rendered when sent, so it carries the latest tracking
    body = TextField(default="")
    # Fixed when queued, reused on every attempt. Unique without an index: it names the
    # kind and the order, and (order, kind) is unique. Never looked up, an index of it cost
    # every reminder queued a random insert (a fifth of queuing 100,000 on SQLite).
    message_id = TextField()
    status = TextField(default=ReminderStatus.QUEUED)
    send_after = DateTimeField()
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True)
    last_error = TextField(default="")
    sent_at = DateTimeField(null=True)
    lease_owner = TextField(null=True)
    lease_expires_at = DateTimeField(null=True)
    queued_by = unchecked_key(Action, null=True)
    queued_at = DateTimeField()

    class Meta:
        indexes = ((("order", "kind"), True),)


# What a sender claims (queued, or sending with an expired lease), by when it is due. Only
# those reminders: every other status change leaves this index alone, and a million sent
# or cancelled reminders are not in it.
CLAIMABLE = (ReminderStatus.QUEUED, ReminderStatus.SENDING)
Reminder.add_index(Reminder.index(
    Reminder.send_after, name="reminder_claimable",
    where=SQL("status IN ({})".format(", ".join(f"'{status.value}'" for status in CLAIMABLE))),
))


class ColumnMapping(BaseModel):
    """A confirmed CSV mapping, remembered for the next file with the same headers."""

    kind = TextField()  # tracking or orders
    header_signature = TextField()
    mapping = TextField()  # JSON: field -> header
    updated_at = DateTimeField()
    updated_by = TextField()

    class Meta:
        indexes = ((("kind", "header_signature"), True),)


class Suppression(BaseModel):
    """An address no reminder goes to, in any campaign (unsubscribed, or the mailbox is gone)."""

    address = TextField(unique=True)  # the local part as given, the domain in lower case
    reason = TextField()
    since = DateTimeField()
    suppressed_by = TextField()


class SendPace(BaseModel):
    """The next free send slot of every sender on this database: one row, id 1."""

    id = IntegerField(primary_key=True)
    next_slot = DoubleField()  # Unix time, seconds


class TargetId(BaseModel):
    """Per-connection scratch list of order ids that a bulk statement works on."""

    order_id = IntegerField(primary_key=True)

    class Meta:
        temporary = True


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = DateTimeField()


MODELS = [
    Campaign, Member, Product, Order, ReminderText, Action, ActionChange, MemberChange, Reminder,
    ColumnMapping, Suppression, SendPace,
]
