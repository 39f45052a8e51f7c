"""Storage: peewee models, database set-up and schema migrations."""

from shiptui.storage.database import open_database, close_database, database
from shiptui.storage.models import (
    FIRST_REVIEW,
    SHIP_TO,
    Action,
    ActionChange,
    Campaign,
    ColumnMapping,
    Member,
    MemberChange,
    Order,
    OrderStatus,
    Product,
    Reminder,
    ReminderStatus,
    TargetId,
)

__all__ = [
    "FIRST_REVIEW",
    "SHIP_TO",
    "Action",
    "ActionChange",
    "Campaign",
    "ColumnMapping",
    "Member",
    "MemberChange",
    "Order",
    "OrderStatus",
    "Product",
    "Reminder",
    "ReminderStatus",
    "TargetId",
    "close_database",
    "database",
    "open_database",
]
