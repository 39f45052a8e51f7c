"""The review-reminder template: the built-in one, or the campaign's own.

A template is text with `$name` (or `${name}`) placeholders, filled in when the reminder
is sent, so it carries the order's latest tracking. `$$` is a literal dollar sign. Every
placeholder is checked when the template is set: an email never goes out half-filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from string import Template

from shiptui.errors import RejectedInput
from shiptui.services.fulfillment import us_date
from shiptui.storage import Campaign, database

# What a template may use, and what each one is (shown by `shiptui mail template --help`).
PLACEHOLDERS: dict[str, str] = {
    "member_name": "the member's name as in the order",
    "product": "the product's name",
    "quantity": "how many of the product were sent",
    "campaign": "the campaign's name",
    "order_id": "the Order ID",
    "shipped_on": "the ship date, MM/DD/YYYY",
    "carrier": "the shipping company",
    "tracking_number": "the tracking number",
    "tracking_url": "the page where the member follows the parcel",
}

# An order may ship before its tracking is entered: the email then says so in words.
NOT_AVAILABLE = "not available yet"

DEFAULT_SUBJECT = "Your $product from $campaign is on its way"
DEFAULT_BODY = """\
Hello $member_name,

good news: your $product from the $campaign campaign has shipped on $shipped_on.

Carrier: $carrier
Tracking number: $tracking_number
Follow your parcel: $tracking_url

Once you have tried it, please share your honest review with the community:
it is what the campaign is about, and other members rely on it.

Thank you for taking part!

Order ID: $order_id
"""

MAX_SUBJECT_LENGTH = 200


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

    def values(self) -> dict[str, str]:
        return {
            "member_name": " ".join(self.member_name.split()),
            "product": self.product,
            "quantity": str(self.quantity),
            "campaign": self.campaign,
            "order_id": self.order_id,
            "shipped_on": us_date(self.shipped_on) or NOT_AVAILABLE,
            "carrier": self.carrier or NOT_AVAILABLE,
            "tracking_number": self.tracking_number or NOT_AVAILABLE,
            "tracking_url": self.tracking_url or NOT_AVAILABLE,
        }


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check_template(text: str, part: str) -> str:
    """`text` if every placeholder in it is known, else RejectedInput naming the first bad one."""
    template = Template(text)
    known = ", ".join(f"${name}" for name in PLACEHOLDERS)
    for match in template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if match.group("invalid") is not None:
            raise RejectedInput(
                f"the {part} template has a $ that starts no placeholder at "
                f"{_position(text, match.start())}: write $$ for a dollar sign, or use one of {known}"
            )
        if name is not None and name not in PLACEHOLDERS:
            raise RejectedInput(
                f"the {part} template uses the unknown placeholder ${name} at "
                f"{_position(text, match.start())}: use one of {known}"
            )
    return text


def check_subject(text: str) -> str:
    subject = text.strip()
    if not subject:
        raise RejectedInput("the subject template is empty: give the line the email's subject is made from")
    if any(ord(char) < 32 or ord(char) == 127 for char in subject):
        raise RejectedInput(
            "the subject template must be one line of text without control characters "
            "(it has a line break or tab): put it on one line"
        )
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise RejectedInput(
            f"the subject template is {len(subject)} characters long: keep it under {MAX_SUBJECT_LENGTH}"
        )
    return check_template(subject, "subject")


def check_body(text: str) -> str:
    if not text.strip():
        raise RejectedInput("the body template is empty: give the text of the email")
    body = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return check_template(body.strip("\n") + "\n", "body")


@dataclass(frozen=True)
class ReminderTemplate:
    subject: str
    body: str

    @classmethod
    def of(cls, campaign: Campaign) -> "ReminderTemplate":
        return cls(
            campaign.reminder_subject_template or DEFAULT_SUBJECT,
            campaign.reminder_body_template or DEFAULT_BODY,
        )

    def render(self, facts: ReminderFacts) -> tuple[str, str]:
        """The subject and body of one reminder."""
        values = facts.values()
        return Template(self.subject).substitute(values), Template(self.body).substitute(values)


def set_template(campaign: Campaign, *, subject: str | None = None, body: str | None = None) -> ReminderTemplate:
    """Replace the campaign's subject and/or body template; both are checked before either is saved."""
    if subject is not None:
        subject = check_subject(subject)
    if body is not None:
        body = check_body(body)
    with database().atomic():
        if subject is not None:
            campaign.reminder_subject_template = subject
        if body is not None:
            campaign.reminder_body_template = body
        campaign.save(only=[Campaign.reminder_subject_template, Campaign.reminder_body_template])
    return ReminderTemplate.of(campaign)


def reset_template(campaign: Campaign) -> ReminderTemplate:
    """Go back to the built-in template."""
    campaign.reminder_subject_template = None
    campaign.reminder_body_template = None
    campaign.save(only=[Campaign.reminder_subject_template, Campaign.reminder_body_template])
    return ReminderTemplate.of(campaign)
