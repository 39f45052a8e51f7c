"""The data model. Moments are stored as naive UTC (see `shiptui.clock.utc_naive`)."""

from __future__ import annotations

from enum import StrEnum

from peewee import (
    AutoField,
    BooleanField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
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


FIRST_REVIEW = "first_review"  # the reminder kind queued when an order ships


# A foreign key whose column leads a composite index is declared index=False: a second
# index on it would only slow every bulk write (PostgreSQL updates all of a row's indexes).


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Campaign(BaseModel):
    name = TextField()
    slug = TextField(unique=True)
    reminder_delay_days = IntegerField(default=7)
    created_at = DateTimeField()
    # The operator's review-reminder template (NULL: the built-in one); see services/mail.
    reminder_subject_template = TextField(null=True)
    reminder_body_template = TextField(null=True)


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


class Order(BaseModel):
    campaign = ForeignKeyField(Campaign, backref="orders", on_delete="CASCADE", index=False)
    member = ForeignKeyField(Member, backref="orders")
    product = ForeignKeyField(Product, backref="orders")
    quantity = IntegerField(default=1)
    order_key = TextField()  # the external "Order ID", unique per campaign
    status = TextField(default=OrderStatus.PENDING)
    shipped_on = DateField(null=True)
    carrier = TextField(default="")
    tracking_number = TextField(default="")
    tracking_url = TextField(default="")
    version = IntegerField(default=1)  # optimistic concurrency: +1 on every change
    updated_at = DateTimeField()
    updated_by = TextField()

    class Meta:
        table_name = "orders"  # "order" is a reserved word in SQL
        indexes = (
            (("campaign", "order_key"), True),
            (("campaign", "status"), False),
        )


class Action(BaseModel):
    """One operator action (an edit, a bulk mark, an import): the unit of undo."""

    campaign = ForeignKeyField(Campaign, backref="actions", on_delete="CASCADE", index=False)
    operator = TextField()
    kind = TextField()  # ship, wont_ship, track, import, ...
    summary = TextField(default="")
    created_at = DateTimeField()
    undone_at = DateTimeField(null=True)
    undone_by = TextField(null=True)

    class Meta:
        indexes = ((("campaign", "operator", "undone_at"), False),)


class ActionChange(BaseModel):
    """An order's state before an action changed it: enough to put it back."""

    action = ForeignKeyField(Action, backref="changes", on_delete="CASCADE", index=False)
    order = ForeignKeyField(Order, on_delete="CASCADE")
    status = TextField()
    shipped_on = DateField(null=True)
    carrier = TextField()
    tracking_number = TextField()
    tracking_url = TextField()
    version = IntegerField()  # the order's version before the action
    # The order's state after the action, kept when the action is undone (until then it is
    # the next change's before-state, or the order itself): the audit trail shows it.
    after_status = TextField(null=True)
    after_shipped_on = DateField(null=True)
    after_carrier = TextField(null=True)
    after_tracking_number = TextField(null=True)
    after_tracking_url = TextField(null=True)

    class Meta:
        primary_key = CompositeKey("action", "order")


class Reminder(BaseModel):
    """The outbox: one row per order and reminder kind, ever."""

    id = AutoField()
    order = ForeignKeyField(Order, backref="reminders", on_delete="CASCADE", index=False)
    kind = TextField(default=FIRST_REVIEW)
    recipient = TextField()
    subject = TextField(default="")  # rendered when sent, so it carries the latest tracking
    body = TextField(default="")
    message_id = TextField(unique=True)  # fixed when queued, reused on every attempt
    status = TextField(default=ReminderStatus.QUEUED)
    send_after = DateTimeField()
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True)
    last_error = TextField(default="")
    sent_at = DateTimeField(null=True)
    lease_owner = TextField(null=True)
    lease_expires_at = DateTimeField(null=True)
    queued_by = ForeignKeyField(Action, null=True, on_delete="SET NULL")
    queued_at = DateTimeField()

    class Meta:
        indexes = (
            (("order", "kind"), True),
            (("status", "send_after"), False),
        )


class ColumnMapping(BaseModel):
    """A confirmed CSV mapping, remembered for the next file with the same headers."""

    kind = TextField()  # tracking or orders
    header_signature = TextField()
    mapping = TextField()  # JSON: field -> header
    updated_at = DateTimeField()
    updated_by = TextField()

    class Meta:
        indexes = ((("kind", "header_signature"), True),)


class TargetId(BaseModel):
    """Per-connection scratch list of order ids that a bulk statement works on."""

    order_id = IntegerField(primary_key=True)

    class Meta:
        temporary = True


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = DateTimeField()
    fresh = BooleanField(default=False)


MODELS = [Campaign, Member, Product, Order, Action, ActionChange, Reminder, ColumnMapping]
