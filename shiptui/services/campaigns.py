"""Campaigns: creating them, finding them by slug, counting their orders by status."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn
from slugify import slugify

from shiptui import clock
from shiptui.errors import NotFound, RejectedInput
from shiptui.i18n import DEFAULT_LANGUAGE, OPERATOR_LANGUAGES, _, has_catalog, language_tag, primary_language
from shiptui.services.mail.template import check_review_url
from shiptui.storage import Campaign, Order, OrderStatus, database

MAX_REMINDER_DELAY_DAYS = 365


@dataclass(frozen=True)
class StatusCounts:
    pending: int = 0
    shipped: int = 0
    wont_ship: int = 0

    @classmethod
    def from_mapping(cls, counts: dict[str, int]) -> "StatusCounts":
        return cls(
            pending=counts.get(OrderStatus.PENDING, 0),
            shipped=counts.get(OrderStatus.SHIPPED, 0),
            wont_ship=counts.get(OrderStatus.WONT_SHIP, 0),
        )

    @property
    def total(self) -> int:
        return self.pending + self.shipped + self.wont_ship


@dataclass(frozen=True)
class CampaignSummary:
    name: str
    slug: str
    reminder_delay_days: int
    counts: StatusCounts


def campaign_language(text: str) -> str:
    """A campaign's language: one shiptui has a built-in email in (en, de; de-AT is de)."""
    try:
        language = primary_language(language_tag(text))
    except ValueError:
        language = ""
    if not has_catalog(language):
        raise RejectedInput(
            _("a campaign's language is one shiptui writes its email in: give one of {languages}, "
              "not {value!r}").format(languages=", ".join(OPERATOR_LANGUAGES), value=text)
        )
    return language


def create_campaign(
    name: str, reminder_delay_days: int = 7, *, language: str = DEFAULT_LANGUAGE, review_url: str = ""
) -> Campaign:
    name = " ".join((name or "").split())
    language = campaign_language(language)
    review_url = check_review_url(review_url)
    base = slugify(name)
    if not base:
        raise RejectedInput(_("a campaign name needs at least one letter or digit"))
    if not 0 <= reminder_delay_days <= MAX_REMINDER_DELAY_DAYS:
        raise RejectedInput(
            _("reminder delay {days} days is out of range: give 0 to {most}").format(
                days=reminder_delay_days, most=MAX_REMINDER_DELAY_DAYS)
        )
    with database().atomic():
        taken = {
            slug for (slug,) in Campaign.select(Campaign.slug)
            .where((Campaign.slug == base) | Campaign.slug.startswith(base + "-"))
            .tuples()
        }
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return Campaign.create(
            name=name,
            slug=slug,
            reminder_delay_days=reminder_delay_days,
            created_at=clock.stored_now(),
            language=language,
            review_url=review_url,
        )


def find_campaign(slug: str) -> Campaign:
    campaign = Campaign.get_or_none(Campaign.slug == slug) or Campaign.get_or_none(
        Campaign.slug == slugify(slug or "")
    )
    if campaign is None:
        known = ", ".join(c.slug for c in Campaign.select(Campaign.slug).order_by(Campaign.slug))
        hint = (_("known campaigns: {campaigns}").format(campaigns=known) if known
                else _("there is no campaign yet: see `shiptui new-campaign`"))
        raise NotFound(_("no campaign {slug}; {hint}").format(slug=repr(slug), hint=hint))
    return campaign


def status_counts(campaign: Campaign) -> StatusCounts:
    rows = (
        Order.select(Order.status, fn.COUNT(Order.id))
        .where(Order.campaign == campaign)
        .group_by(Order.status)
        .tuples()
    )
    return StatusCounts.from_mapping(dict(rows))


def list_campaigns() -> list[CampaignSummary]:
    counts: dict[int, dict[str, int]] = {}
    for campaign_id, status, count in (
        Order.select(Order.campaign, Order.status, fn.COUNT(Order.id))
        .group_by(Order.campaign, Order.status)
        .tuples()
    ):
        counts.setdefault(campaign_id, {})[status] = count
    return [
        CampaignSummary(
            name=campaign.name,
            slug=campaign.slug,
            reminder_delay_days=campaign.reminder_delay_days,
            counts=StatusCounts.from_mapping(counts.get(campaign.id, {})),
        )
        for campaign in Campaign.select().order_by(Campaign.name)
    ]
