"""The action log: what each operator action did, kept so that undo can take it back.

An action (ship, won't ship, tracking, an import, a load) is recorded as an Action whose
ActionChange rows hold each order's state before it (MemberChange rows a member's name and
address); its counts are kept as data and told in each reader's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import peewee
from peewee import Value

from shiptui import clock
from shiptui.i18n import N_, _, counted, format_number, ngettext
from shiptui.storage import SHIP_TO, Action, ActionChange, Campaign, Member, MemberChange, Order
from shiptui.storage.bulk import staged_keys


def _done(kind: str, count: int) -> str:
    if kind == "ship":
        return counted(ngettext("{count} marked shipped", "{count} marked shipped", count), count)
    if kind == "wont_ship":
        return counted(ngettext("{count} marked won't ship", "{count} marked won't ship", count), count)
    return counted(ngettext("{count} tracking updated", "{count} tracking updated", count), count)


class SkipReason(str, Enum):
    """Why an order (or a member) was left as it was: counted in a summary, in the reader's language."""

    ALREADY_SHIPPED = N_("already shipped")
    ALREADY_WONT_SHIP = N_("already won't ship")
    UNCHANGED = N_("unchanged")
    STALE = N_("changed by someone else")
    LATER_LOAD = N_("changed by a later load")

    def shown(self) -> str:
        return _(self.value)


def import_parts(counts: Mapping[str, int]) -> list[str]:
    """What an import of tracking did, count by count (its preview shows them under its own title)."""
    shipped, wont_ship, reminders = counts["shipped"], counts.get("wont_ship", 0), counts.get("reminders_queued", 0)
    return [
        counted(ngettext("{count} marked shipped", "{count} marked shipped", shipped), shipped),
        *([counted(ngettext("{count} marked won't ship", "{count} marked won't ship", wont_ship), wont_ship)] if wont_ship else []),
        counted(ngettext("{count} tracking updated", "{count} tracking updated", counts["tracking_updated"]), counts["tracking_updated"]),
        counted(ngettext("{count} unchanged", "{count} unchanged", counts["unchanged"]), counts["unchanged"]),
        *([counted(ngettext("{count} reminder queued", "{count} reminders queued", reminders), reminders)] if reminders else []),
    ]


def summary_parts(kind: str, counts: Mapping, file_name: str = "") -> list[str]:
    """What an action did, headline first, in the reader's language: an action is kept as
    its kind and counts and told when read, so operators who speak different languages
    each read the whole log in their own."""
    if kind == "load":
        updated = counts["members_updated"]
        return [counted(ngettext("name or address of {count} member updated by the load of {file}",
                                 "name or address of {count} members updated by the load of {file}",
                                 updated), updated, file=file_name)]
    if kind == "import":
        first, *rest = import_parts(counts)
        return [_("import of {file}: {shipped}").format(file=file_name, shipped=first), *rest]
    parts = [_done(kind, counts["changed"])]
    reminders = counts.get("reminders_queued", 0)
    if reminders:
        parts.append(counted(ngettext("{count} reminder queued", "{count} reminders queued", reminders), reminders))
    parts += [
        _("{count} {category}, skipped").format(count=format_number(count), category=SkipReason(category).shown())
        for category, count in counts.get("skipped", {}).items()
    ]
    return parts


def told_summary(kind: str, counts: Mapping | None, file_name: str | None, written: str) -> str:
    """A stored action's summary for the reader; one of a shiptui before counts keeps its `written` words."""
    if counts is None:
        return written
    return " · ".join(summary_parts(kind, counts, file_name or ""))


@dataclass(frozen=True, slots=True)
class Skipped:
    order_id: str
    category: SkipReason  # short, for counting
    reason: str  # the whole story for this order, with what to do


class Skips:
    """What was left as it was: counted per reason, the first NAMED of each reason kept
    with their story. A ship of a whole campaign may skip 100,000s of orders: every one
    held would cost memory, and every one printed would bury what the operator needs."""

    NAMED = 20

    def __init__(self, skipped: Iterable[Skipped] = ()) -> None:
        self.counts: Counter[SkipReason] = Counter()
        self._named: dict[SkipReason, list[Skipped]] = {}
        self.extend(skipped)

    def append(self, skip: Skipped) -> None:
        self.add(skip.category, 1, [skip])

    def add(self, category: SkipReason, count: int, first: Sequence[Skipped]) -> None:
        """`count` skipped for `category`, of which `first` are the first ones (in the order named)."""
        if count:
            self.counts[category] += count
            named = self._named.setdefault(category, [])
            named += first[: self.NAMED - len(named)]

    def extend(self, skipped: Iterable[Skipped]) -> None:
        if isinstance(skipped, Skips):
            for category, count in skipped.counts.items():
                self.add(category, count, skipped.named(category))
        else:
            for skip in skipped:
                self.append(skip)

    def __iadd__(self, skipped: Iterable[Skipped]) -> Skips:
        self.extend(skipped)
        return self

    def named(self, category: SkipReason) -> list[Skipped]:
        return self._named.get(category, [])

    def unnamed(self, category: SkipReason) -> int:
        """How many of `category` are counted but not named."""
        return self.counts[category] - len(self.named(category))

    def __len__(self) -> int:
        return sum(self.counts.values())

    def __iter__(self) -> Iterator[Skipped]:
        """The named ones, reason by reason."""
        for named in self._named.values():
            yield from named


@dataclass
class ActionResult:
    """What an action did, in the words the operator is shown."""

    kind: str  # ship, wont_ship, track: as the action is stored
    changed: int = 0
    reminders_queued: int = 0
    skipped: Skips = field(default_factory=Skips)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was filled in for the operator
    action_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.skipped, Skips):
            self.skipped = Skips(self.skipped)

    def tally(self) -> dict:
        """What the action did, by name, as the action log keeps it."""
        return {
            "changed": self.changed, "reminders_queued": self.reminders_queued,
            "skipped": {category.value: count for category, count in self.skipped.counts.items()},
        }

    def summary(self) -> str:
        return " · ".join(summary_parts(self.kind, self.tally()))


def begin_action(campaign: Campaign, operator: str, kind: str, file_name: str | None = None) -> Action:
    return Action.create(
        campaign=campaign, operator=operator, kind=kind, file_name=file_name, created_at=clock.stored_now()
    )


# What an action may change of an order, and so what the action log keeps and undo restores.
ORDER_STATE = ("status", "shipped_on", "carrier", "tracking_number", "tracking_url")


def state_from(source: type[peewee.Model]) -> dict[str, peewee.Field]:
    """An order's state taken from the same-named columns of `source` (for `stamp`)."""
    return {name: getattr(source, name) for name in ORDER_STATE}


def record_changes(action: Action, eligible: peewee.Expression) -> int:
    """Save the before-state of every order matching `eligible` under `action`."""
    return _record(action, Order.select().where(eligible))


def record_checked_changes(action: Action, checked: type[peewee.Model]) -> int:
    """Save the before-state of the orders `checked` names (its `order_id`), each if it is
    still at the `version` it was checked at. A join reads each order once; as an
    `Order.id IN (…)` of the same join, every order was read twice."""
    return _record(action, checked.select().join(
        Order, on=(Order.id == checked.order_id) & (Order.version == checked.version)))


def _record(action: Action, orders: peewee.Select) -> int:
    return (
        ActionChange.insert_from(
            orders.select(Value(action.id), Order.id, *state_from(Order).values(), Order.version),
            fields=[
                ActionChange.action, ActionChange.order, *state_from(ActionChange).values(),
                ActionChange.version,
            ],
        )
        .as_rowcount()
        .execute()
    )


def stamp(operator: str, **values) -> dict:
    """The update of a changed order: its new values, a new version, who and when."""
    return {
        **{getattr(Order, name): value for name, value in values.items()},
        Order.version: Order.version + 1,
        Order.updated_at: clock.stored_now(),
        Order.updated_by: operator,
    }


def finish_action(action: Action, result: ActionResult) -> ActionResult:
    """Keep the action if it changed anything (it is what undo takes back), else drop it."""
    if result.changed:
        action.counts = result.tally()
        action.save(only=[Action.counts])
        result.action_id = action.id
    else:
        action.delete_instance()
    return result


def record_member_changes(action: Action, emails: Sequence[str]) -> None:
    """Save the name and address of the members with these emails, before `action` changes them."""
    staged = staged_keys(emails)
    MemberChange.insert_from(
        Member.select(Value(action.id), Member.id, *(getattr(Member, name) for name in SHIP_TO))
        .join(staged, on=(staged.key == Member.email)),
        fields=[MemberChange.action, MemberChange.member,
                *(getattr(MemberChange, name) for name in SHIP_TO)],
    ).execute()
