"""Campaigns: creating them, finding them by slug, counting their orders by status."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn
from slugify import slugify

from shiptui import clock
from shiptui.errors import NotFound, RejectedInput
from shiptui.i18n import DEFAULT_LANGUAGE, OPERATOR_LANGUAGES, _, has_catalog, language_tag, primary_language
from shiptui.services.mail.template import (
    ReminderFacts,
    ReminderTemplate,
    check_body,
    check_review_url,
    check_subject,
    set_template,
)
from shiptui.services.orders import NATURAL_ORDER, get_order
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


def reminder_delay(days: int | str) -> int:
    """A reminder delay in days, as given or as typed into a field."""
    try:
        days = int(str(days).strip())
    except ValueError:
        raise RejectedInput(
            _("reminder delay {value!r} is not a number of days: give 0 to {most}").format(
                value=days, most=MAX_REMINDER_DELAY_DAYS)
        ) from None
    if not 0 <= days <= MAX_REMINDER_DELAY_DAYS:
        raise RejectedInput(
            _("reminder delay {days} days is out of range: give 0 to {most}").format(
                days=days, most=MAX_REMINDER_DELAY_DAYS)
        )
    return days


def campaign_name(name: str, *, renamed: Campaign | None = None) -> str:
    """A new campaign's name (or `renamed`'s new one), its spaces tidied. Two campaigns
    never share a name, nor one that differs only in case, accents or punctuation (the
    same slug): the list could not tell them apart."""
    name = " ".join((name or "").split())
    base = slugify(name)
    if not base:
        raise RejectedInput(_("a campaign name needs at least one letter or digit"))
    others = Campaign.select(Campaign.name, Campaign.slug)
    if renamed is not None:
        others = others.where(Campaign.id != renamed.id)
    for other_name, other_slug in others.tuples():
        if slugify(other_name) == base:
            raise RejectedInput(
                _("campaign name {name!r}: there is a campaign {other!r} already (slug {slug}): "
                  "give another name").format(name=name, other=other_name, slug=other_slug)
            )
    return name


def create_campaign(
    name: str, reminder_delay_days: int = 7, *, language: str = DEFAULT_LANGUAGE, review_url: str = ""
) -> Campaign:
    language = campaign_language(language)
    review_url = check_review_url(review_url)
    reminder_delay_days = reminder_delay(reminder_delay_days)
    with database().atomic():
        name = campaign_name(name)
        base = slugify(name)
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


@dataclass(frozen=True)
class CampaignSettings:
    """What the console's settings dialog edits: the reminder template is the one in the
    campaign's language."""

    name: str
    reminder_delay_days: int
    subject: str
    body: str

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignSettings":
        template = ReminderTemplate.of(campaign)
        return cls(campaign.name, campaign.reminder_delay_days, template.subject, template.body)


def change_settings(campaign: Campaign, name: str, reminder_delay_days: int | str, subject: str, body: str) -> Campaign:
    """Rename the campaign, change its reminder delay (for orders shipped from now on) and its
    reminder template, all checked first and saved together. The slug stays: scripts use it."""
    days = reminder_delay(reminder_delay_days)
    subject, body = check_subject(subject), check_body(body)
    with database().atomic():
        current = CampaignSettings.of(campaign)
        campaign.name = campaign_name(name, renamed=campaign)
        campaign.reminder_delay_days = days
        campaign.save(only=[Campaign.name, Campaign.reminder_delay_days])
        if (subject, body) != (current.subject, current.body):
            set_template(campaign, subject=subject, body=body)
    return campaign


def preview_reminder(campaign: Campaign, order_key: str, subject: str, body: str) -> tuple[str, str]:
    """The subject and text of the reminder `subject` and `body` make for one order, as its
    member would read them (a pending order as if shipped today); nothing is saved."""
    template = ReminderTemplate(check_subject(subject), check_body(body))
    order = get_order(campaign, order_key)
    facts = ReminderFacts(
        member_name=order.ship_name, product=order.product.name, quantity=order.quantity,
        campaign=campaign.name, order_id=order.order_key, shipped_on=order.shipped_on or clock.today(),
        carrier=order.carrier, tracking_number=order.tracking_number, tracking_url=order.tracking_url,
        language=campaign.language, sku=order.product.sku, review_url=campaign.review_url,
    )
    return template.render(facts)


def first_order_id(campaign: Campaign) -> str:
    """The campaign's first Order ID as the dashboard lists them; "" without orders."""
    first = Order.select(Order.order_key).where(Order.campaign == campaign).order_by(*NATURAL_ORDER).first()
    return first.order_key if first else ""


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
