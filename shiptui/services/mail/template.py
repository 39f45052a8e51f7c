"""The review-reminder template: the built-in one of the member's language, or the
campaign's own.

A template is text with `$name` (or `${name}`) placeholders, filled in when the reminder
is sent, so it carries the order's latest tracking. `$$` is a literal dollar sign. Every
placeholder is checked when the template is set. A line whose placeholder has no value
(no tracking yet, no review URL) is left out, and so is a paragraph that loses every line
that had one: the email never says "not available".

The built-in template is English, and translated in the catalogs (shiptui/locale). A
member gets the campaign's template of their language, else the built-in one of their
language, else those of the campaign's language: never a half-filled email.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from string import Template
from urllib.parse import quote, urlsplit

from shiptui.errors import RejectedInput
from shiptui.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    format_date,
    has_catalog,
    language_name,
    language_tag,
    pgettext,
    primary_language,
    translation,
)
from shiptui.services.tracking_pages import member_tracking_url
from shiptui.storage import Campaign, ReminderText, database

# What a template may use, and what each one is (shown by `shiptui mail template --help`).
PLACEHOLDERS: dict[str, str] = {
    "member_name": N_("the member's name as in the order"),
    "product": N_("the product's name"),
    "sku": N_("the product's SKU"),
    "quantity": N_("how many of the product were sent"),
    "campaign": N_("the campaign's name"),
    "order_id": N_("the Order ID"),
    "shipped_on": N_("the ship date, as the member writes dates (26.11.2026, 11/26/2026)"),
    "carrier": N_("the shipping company"),
    "tracking_number": N_("the tracking number"),
    "tracking_url": N_("the page where the member follows the parcel"),
    "review_url": N_("where the member writes the review (the campaign's --review-url)"),
}
# What an order may not have yet: a line with one of them is left out while it is empty.
MAY_BE_EMPTY = ("carrier", "tracking_number", "tracking_url", "review_url")
# What a review URL may be made of: it is one of the placeholders itself.
REVIEW_URL_PLACEHOLDERS = [name for name in PLACEHOLDERS if name != "review_url"]

# Sent days after the parcel left: it asks for the review, and helps find a late parcel.
DEFAULT_SUBJECT = N_("$campaign: how do you like your $product?")
DEFAULT_BODY = N_("""\
Hello $member_name,

your $product from the $campaign campaign was shipped on $shipped_on and should
have reached you by now. Once you have tried it, please write your honest review:
it is what the campaign is about, and other members rely on it.

Write your review here: $review_url

Has the parcel not arrived yet? You can follow it here:
Carrier: $carrier
Tracking number: $tracking_number
Track your parcel: $tracking_url

Thank you for taking part!

Order ID: $order_id
""")

MAX_SUBJECT_LENGTH = 200
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class ReminderFacts:
    """What a reminder says about its order, read when it is sent."""

    member_name: str
    product: str
    quantity: int
    campaign: str
    order_id: str
    shipped_on: date | None
    carrier: str
    tracking_number: str
    tracking_url: str
    language: str = DEFAULT_LANGUAGE  # the member's: dates and tracking pages follow it
    sku: str = ""
    review_url: str = ""  # the campaign's review URL template

    def values(self) -> dict[str, str]:
        values = {
            "member_name": " ".join(self.member_name.split()),
            "product": self.product,
            "sku": self.sku,
            "quantity": str(self.quantity),
            "campaign": self.campaign,
            "order_id": self.order_id,
            "shipped_on": format_date(self.shipped_on, self.language),
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "tracking_url": member_tracking_url(
                self.carrier, self.tracking_number, self.tracking_url, self.language
            ),
        }
        values["review_url"] = fill_review_url(self.review_url, values)
        return values


def fill_review_url(template: str, values: Mapping[str, str]) -> str:
    """The review URL of one order: each value made safe to stand in a URL."""
    if not template:
        return ""
    return Template(template).substitute({name: quote(value, safe="") for name, value in values.items()})


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return _("line {line}, column {column}").format(line=line, column=column)


def check_template(text: str, part: str, allowed: Iterable[str] = PLACEHOLDERS) -> str:
    """`text` if every placeholder in it is known, else RejectedInput naming the first bad one.

    `part` names the text for the operator ("subject", "body", "review URL").
    """
    allowed = list(allowed)
    template = Template(text)
    known = ", ".join(f"${name}" for name in allowed)
    for match in template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if match.group("invalid") is not None:
            raise RejectedInput(
                _("the {part} template has a $ that starts no placeholder at {position}: "
                  "write $$ for a dollar sign, or use one of {known}").format(
                    part=part, position=_position(text, match.start()), known=known)
            )
        if name is not None and name not in allowed:
            raise RejectedInput(
                _("the {part} template uses the unknown placeholder ${name} at {position}: "
                  "use one of {known}").format(
                    part=part, name=name, position=_position(text, match.start()), known=known)
            )
    return text


def check_subject(text: str) -> str:
    subject = text.strip()
    if not subject:
        raise RejectedInput(_("the subject template is empty: give the line the email's subject is made from"))
    if any(ord(char) < 32 or ord(char) == 127 for char in subject):
        raise RejectedInput(
            _("the subject template must be one line of text without control characters "
              "(it has a line break or tab): put it on one line")
        )
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise RejectedInput(
            _("the subject template is {length} characters long: keep it under {limit}").format(
                length=len(subject), limit=MAX_SUBJECT_LENGTH)
        )
    return check_template(subject, pgettext("template part", "subject"))


def check_body(text: str) -> str:
    if not text.strip():
        raise RejectedInput(_("the body template is empty: give the text of the email"))
    body = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    body = check_template(body.strip("\n") + "\n", pgettext("template part", "body"))
    bare = dict.fromkeys(PLACEHOLDERS, "x") | dict.fromkeys(MAY_BE_EMPTY, "")
    if not fill_body(body, bare).strip():
        raise RejectedInput(
            _("the body template would leave nothing to read while an order has no tracking or "
              "review URL (those lines are left out): add a line without {names}").format(
                names=", ".join(f"${name}" for name in MAY_BE_EMPTY))
        )
    return body


def check_review_url(text: str) -> str:
    """A review URL template: an http(s) address with placeholders of the order, or ""."""
    url = (text or "").strip()
    if not url:
        return ""
    check_template(url, pgettext("template part", "review URL"), REVIEW_URL_PLACEHOLDERS)
    sample = fill_review_url(url, dict.fromkeys(REVIEW_URL_PLACEHOLDERS, "x"))
    parts = urlsplit(sample)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
        char.isspace() or ord(char) < 32 for char in sample
    ):
        raise RejectedInput(
            _("the review URL {url!r} is not an absolute http(s) address: give one starting "
              "with https://, e.g. https://brand.example/review?order=$order_id").format(url=url)
        )
    return url


def fill_body(body: str, values: Mapping[str, str]) -> str:
    """The body filled in (see `body_in_use`)."""
    return Template(body_in_use(body, values)).substitute(values)


def body_in_use(body: str, values: Mapping[str, str]) -> str:
    """The body template, paragraph by paragraph, as these values use it (see
    `_paragraph`); the text and the HTML part are both filled from it."""
    paragraphs = (_paragraph(p, values) for p in _PARAGRAPH_BREAK.split(body.strip("\n")))
    return "\n\n".join(p for p in paragraphs if p is not None) + "\n"


def _paragraph(paragraph: str, values: Mapping[str, str]) -> str | None:
    """The paragraph without its lines whose placeholders have no value; None when every
    line that had a placeholder is gone."""
    kept: list[str] = []
    with_placeholders = dropped = 0
    for line in paragraph.split("\n"):
        names = [
            match.group("named") or match.group("braced")
            for match in Template.pattern.finditer(line)
            if match.group("named") or match.group("braced")
        ]
        if names:
            with_placeholders += 1
            if not all(values[name] for name in names):
                dropped += 1
                continue
        kept.append(line)
    if with_placeholders and dropped == with_placeholders:
        return None
    return "\n".join(kept)


@dataclass(frozen=True)
class ReminderTemplate:
    subject: str
    body: str

    @classmethod
    def of(cls, campaign: Campaign) -> "ReminderTemplate":
        """The campaign's template in its own language."""
        return CampaignTemplates.of(campaign).in_language(campaign.language)

    def render(self, facts: ReminderFacts) -> tuple[str, str]:
        """The subject and body of one reminder."""
        values = facts.values()
        subject = " ".join(Template(self.subject).substitute(values).split())
        return subject, fill_body(self.body, values)


def built_in(language: str) -> ReminderTemplate | None:
    """shiptui's own template in this language, if its catalog has one."""
    if not has_catalog(language):
        return None
    catalog = translation(language)
    return ReminderTemplate(catalog.gettext(DEFAULT_SUBJECT), catalog.gettext(DEFAULT_BODY))


@dataclass(frozen=True)
class CampaignTemplates:
    """A campaign's language and its own templates: language -> (subject, body), NULL
    parts being the built-in ones."""

    language: str
    own: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignTemplates":
        return templates_of_campaigns([campaign.id], {campaign.id: campaign.language})[campaign.id]

    def in_language(self, language: str) -> ReminderTemplate | None:
        """The complete template of one language (primary subtag), or None."""
        subject, body = self.own.get(language, (None, None))
        fallback = built_in(language) if subject is None or body is None else None
        subject = subject or (fallback.subject if fallback else None)
        body = body or (fallback.body if fallback else None)
        return ReminderTemplate(subject, body) if subject and body else None

    def for_member(self, member_language: str) -> tuple[str, ReminderTemplate]:
        """The language a member is written in, and the template: their language's, else
        the campaign's, else English."""
        for language in (primary_language(member_language), self.language):
            template = self.in_language(language)
            if template is not None:
                return language, template
        return DEFAULT_LANGUAGE, self.in_language(DEFAULT_LANGUAGE)  # English is always built in

    def choose(self, facts: ReminderFacts) -> tuple[ReminderTemplate, ReminderFacts]:
        """The template of one order's reminder in its member's language, and the facts
        to fill it with (dates in the member's format when that is the email's language,
        else in the email's language's)."""
        language, template = self.for_member(facts.language)
        if primary_language(facts.language) != language:
            facts = replace(facts, language=language)
        return template, facts

    def render(self, facts: ReminderFacts) -> tuple[str, str]:
        """The subject and body of one order's reminder in its member's language."""
        template, facts = self.choose(facts)
        return template.render(facts)


def templates_of_campaigns(
    campaign_ids: Iterable[int], languages: Mapping[int, str]
) -> dict[int, CampaignTemplates]:
    """Each campaign's templates, in one query (`languages`: campaign id -> its language)."""
    own: dict[int, dict[str, tuple[str | None, str | None]]] = {}
    ids = list(dict.fromkeys(campaign_ids))
    for campaign_id, language, subject, body in (
        ReminderText.select(ReminderText.campaign, ReminderText.language, ReminderText.subject, ReminderText.body)
        .where(ReminderText.campaign.in_(ids))
        .tuples()
    ):
        own.setdefault(campaign_id, {})[language] = (subject, body)
    return {i: CampaignTemplates(languages[i], own.get(i, {})) for i in ids}


def template_language(text: str | None, campaign: Campaign) -> str:
    """The language a `--lang` names (its primary subtag: de-AT is de); the campaign's without one."""
    if not text:
        return campaign.language
    try:
        return primary_language(language_tag(text))
    except ValueError:
        raise RejectedInput(
            _("unknown language {value!r}: give a language code such as de or en").format(value=text)
        ) from None


def set_template(
    campaign: Campaign, *, subject: str | None = None, body: str | None = None, language: str | None = None
) -> ReminderTemplate:
    """Replace the campaign's subject and/or body template of a language (default: the
    campaign's); both are checked before either is saved."""
    language = language or campaign.language
    if subject is not None:
        subject = check_subject(subject)
    if body is not None:
        body = check_body(body)
    with database().atomic():
        stored = ReminderText.get_or_none(ReminderText.campaign == campaign, ReminderText.language == language)
        subject = subject if subject is not None else (stored.subject if stored else None)
        body = body if body is not None else (stored.body if stored else None)
        if built_in(language) is None and not (subject and body):
            raise RejectedInput(
                _("shiptui has no email of its own in {language}, so a template in it needs both "
                  "a subject and a body: give --subject and --body-file together").format(
                    language=language_name(language))
            )
        ReminderText.insert(campaign=campaign, language=language, subject=subject, body=body).on_conflict(
            conflict_target=[ReminderText.campaign, ReminderText.language],
            update={ReminderText.subject: subject, ReminderText.body: body},
        ).execute()
    return CampaignTemplates.of(campaign).in_language(language)


def reset_template(campaign: Campaign, language: str | None = None) -> ReminderTemplate:
    """Go back to the built-in template of a language (default: the campaign's); a language
    without one falls back to the campaign's language's."""
    language = language or campaign.language
    ReminderText.delete().where(
        ReminderText.campaign == campaign, ReminderText.language == language
    ).execute()
    return CampaignTemplates.of(campaign).for_member(language)[1]


def has_own_template(campaign: Campaign, language: str) -> bool:
    return ReminderText.select().where(
        ReminderText.campaign == campaign, ReminderText.language == language
    ).exists()


def set_review_url(campaign: Campaign, url: str) -> str:
    """Set (or, with "", clear) the campaign's review URL template."""
    campaign.review_url = check_review_url(url)
    campaign.save(only=[Campaign.review_url])
    return campaign.review_url
