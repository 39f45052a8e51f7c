"""Storage: peewee models, database set-up and schema migrations."""

from shiptui.storage.database import open_database, close_database, database
from shiptui.storage.models import (
    FIRST_REVIEW,
    Action,
    ActionChange,
    Campaign,
    ColumnMapping,
    Member,
    Order,
    OrderStatus,
    Product,
    Reminder,
    ReminderStatus,
    SendPace,
    Suppression,
    ReminderText,
    TargetId,
)

__all__ = [
    "FIRST_REVIEW",
    "Action",
    "ActionChange",
    "Campaign",
    "ColumnMapping",
    "Member",
    "Order",
    "OrderStatus",
    "Product",
    "Reminder",
    "ReminderStatus",
    "SendPace",
    "Suppression",
    "ReminderText",
    "TargetId",
    "close_database",
    "database",
    "open_database",
]
