"""The reminder template: checked when set, filled in when sent."""

from __future__ import annotations

from datetime import date

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.mail.template import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    PLACEHOLDERS,
    ReminderFacts,
    ReminderTemplate,
    reset_template,
    set_template,
)
from shiptui.storage import Campaign

FACTS = ReminderFacts(
    member_name="Zoë  Müller", product="Hydra Glow Serum", quantity=2, campaign="Spring Serum",
    order_id="SO-7", shipped_on=date(2026, 3, 16), carrier="DHL", tracking_number="00340434161094042557",
    tracking_url="https://www.dhl.com/track?id=00340434161094042557",
)


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("Hi $name", None, "unknown placeholder $name at line 1, column 4"),
        ("Hi ${member}", None, "unknown placeholder $member at line 1, column 4"),
        ("Only $5 off", None, "a $ that starts no placeholder at line 1, column 6: write $$ for a dollar sign"),
        (None, "Hello,\n\nyour $product, $trackingnumber", "unknown placeholder $trackingnumber at line 3, column 16"),
        ("Two\nlines", None, "must be one line"),
        ("   ", None, "the subject template is empty"),
        (None, "\n \n", "the body template is empty"),
    ],
)
def test_a_bad_template_is_rejected_when_set_and_nothing_is_saved(db, make_campaign, subject, body, message):
    campaign = make_campaign(1)
    with pytest.raises(RejectedInput, match=message.replace("$", r"\$").replace("(", r"\(")):
        set_template(campaign, subject=subject or "Fine: $product", body=body or "Fine: $member_name")
    stored = Campaign.get_by_id(campaign.id)
    assert (stored.reminder_subject_template, stored.reminder_body_template) == (None, None)


def test_an_unknown_placeholder_error_lists_the_known_ones(db, make_campaign):
    with pytest.raises(RejectedInput) as error:
        set_template(make_campaign(1), subject="Hi $nmae")
    assert all(f"${name}" in str(error.value) for name in PLACEHOLDERS)


def test_every_placeholder_is_filled_in(db, make_campaign):
    campaign = make_campaign(1)
    text = " ".join(f"{name}=${{{name}}}" for name in PLACEHOLDERS)
    template = set_template(campaign, subject="Costs $$0: $product", body=text)
    subject, body = template.render(FACTS)
    assert subject == "Costs $0: Hydra Glow Serum"
    assert body == (
        "member_name=Zoë Müller product=Hydra Glow Serum quantity=2 campaign=Spring Serum "
        "order_id=SO-7 shipped_on=03/16/2026 carrier=DHL tracking_number=00340434161094042557 "
        "tracking_url=https://www.dhl.com/track?id=00340434161094042557\n"
    )
    assert ReminderTemplate.of(Campaign.get_by_id(campaign.id)) == template


def test_setting_only_the_body_keeps_the_subject_and_reset_restores_the_built_in(db, make_campaign):
    campaign = make_campaign(1)
    set_template(campaign, subject="Shipped: $product")
    template = set_template(campaign, body="Hi $member_name\r\n")
    assert (template.subject, template.body) == ("Shipped: $product", "Hi $member_name\n")
    assert reset_template(campaign) == ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY)
    assert Campaign.get_by_id(campaign.id).reminder_body_template is None


def test_the_built_in_template_names_member_product_campaign_and_tracking():
    subject, body = ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY).render(FACTS)
    assert subject == "Your Hydra Glow Serum from Spring Serum is on its way"
    for fact in ("Hello Zoë Müller,", "DHL", "00340434161094042557",
                 "https://www.dhl.com/track?id=00340434161094042557", "SO-7", "03/16/2026"):
        assert fact in body
