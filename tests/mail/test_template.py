"""The reminder template: checked when set, filled in when sent."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from string import Template

import pytest

from shiptui.errors import RejectedInput
from shiptui.i18n import translation
from shiptui.services.mail.template import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    PLACEHOLDERS,
    CampaignTemplates,
    ReminderFacts,
    ReminderTemplate,
    check_template,
    reset_template,
    set_review_url,
    set_template,
)
from shiptui.storage import Campaign, ReminderText

FACTS = ReminderFacts(
    member_name="Zoë  Müller", product="Hydra Glow Serum", quantity=2, campaign="Spring Serum",
    order_id="SO-7", shipped_on=date(2026, 3, 16), carrier="DHL", tracking_number="00340434161094042557",
    tracking_url="https://www.dhl.com/track?id=00340434161094042557", sku="HGS-030",
    review_url="https://brand.example/r/$order_id?p=$product",
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
        (None, "Your parcel:\nTracking: $tracking_url\n", "would leave nothing to read while an order has no tracking"),
    ],
)
def test_a_bad_template_is_rejected_when_set_and_nothing_is_saved(db, make_campaign, subject, body, message):
    campaign = make_campaign(1)
    with pytest.raises(RejectedInput, match=message.replace("$", r"\$").replace("(", r"\(")):
        set_template(campaign, subject=subject or "Fine: $product", body=body or "Fine: $member_name")
    assert ReminderText.select().count() == 0


def test_an_unknown_placeholder_error_lists_the_known_ones(db, make_campaign):
    with pytest.raises(RejectedInput) as error:
        set_template(make_campaign(1), subject="Hi $nmae")
    assert all(f"${name}" in str(error.value) for name in PLACEHOLDERS)


def test_every_placeholder_is_filled_in(db, make_campaign):
    campaign = make_campaign(1)
    text = " ".join(f"{name}=${{{name}}}" for name in PLACEHOLDERS)
    template = set_template(campaign, subject="Costs $$0: $product", body="Hello $member_name\n\n" + text)
    subject, body = template.render(FACTS)
    assert subject == "Costs $0: Hydra Glow Serum"
    assert body == (
        "Hello Zoë Müller\n\nmember_name=Zoë Müller product=Hydra Glow Serum sku=HGS-030 quantity=2 campaign=Spring Serum "
        "order_id=SO-7 shipped_on=03/16/2026 carrier=DHL tracking_number=00340434161094042557 "
        "tracking_url=https://www.dhl.com/track?id=00340434161094042557 "
        "review_url=https://brand.example/r/SO-7?p=Hydra%20Glow%20Serum\n"
    )
    assert ReminderTemplate.of(Campaign.get_by_id(campaign.id)) == template


def test_setting_only_the_body_keeps_the_subject_and_reset_restores_the_built_in(db, make_campaign):
    campaign = make_campaign(1)
    set_template(campaign, subject="Shipped: $product")
    template = set_template(campaign, body="Hi $member_name\r\n")
    assert (template.subject, template.body) == ("Shipped: $product", "Hi $member_name\n")
    assert reset_template(campaign) == ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY)
    assert ReminderText.select().count() == 0


def test_the_built_in_template_asks_for_the_review_and_names_member_product_and_tracking():
    subject, body = ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY).render(FACTS)
    assert subject == "Spring Serum: how do you like your Hydra Glow Serum?"
    assert "on its way" not in subject + body
    for fact in ("Hello Zoë Müller,", "shipped on 03/16/2026", "write your honest review",
                 "Write your review here: https://brand.example/r/SO-7?p=Hydra%20Glow%20Serum",
                 "Carrier: DHL", "Tracking number: 00340434161094042557",
                 "https://www.dhl.com/track?id=00340434161094042557", "Order ID: SO-7"):
        assert fact in body


def test_lines_without_a_value_are_left_out_and_so_is_a_paragraph_that_loses_them_all():
    untracked = replace(FACTS, carrier="", tracking_number="", tracking_url="", review_url="")
    _, body = ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY).render(untracked)
    assert "Tracking" not in body and "Carrier" not in body and "arrived yet" not in body
    assert "Write your review here" not in body and "not available" not in body
    assert "\n\n\n" not in body
    assert body.startswith("Hello Zoë Müller,\n\nyour Hydra Glow Serum from the Spring Serum campaign")
    assert body.endswith("Thank you for taking part!\n\nOrder ID: SO-7\n")
    # A carrier without a number keeps its line and the paragraph's heading.
    _, body = ReminderTemplate(DEFAULT_SUBJECT, DEFAULT_BODY).render(replace(untracked, carrier="DPD"))
    assert "Has the parcel not arrived yet? You can follow it here:\nCarrier: DPD\n\n" in body


def test_the_german_built_in_template_speaks_du_with_german_dates_and_the_german_tracking_page():
    german = replace(FACTS, language="de-AT", carrier="UPS", tracking_number="1Z999AA10123456784",
                     tracking_url="https://www.ups.com/track?tracknum=1Z999AA10123456784")
    subject, body = CampaignTemplates("en").render(german)
    assert subject == "Spring Serum: Wie gefällt dir Hydra Glow Serum?"
    assert body.startswith("Hallo Zoë Müller,\n\ndein Produkt „Hydra Glow Serum“ aus der Kampagne „Spring Serum“ "
                           "wurde am 16.03.2026 verschickt")
    assert "schreib\nbitte deine ehrliche Bewertung" in body and "Sie " not in body
    assert "Sendungsverfolgung: https://www.ups.com/track?loc=de_DE&tracknum=1Z999AA10123456784" in body
    assert "Bestellnummer: SO-7" in body


@pytest.mark.parametrize("part", [DEFAULT_SUBJECT, DEFAULT_BODY])
def test_the_german_built_in_template_is_complete_and_uses_only_known_placeholders(part):
    german = translation("de").gettext(part)
    assert german != part
    check_template(german, "German")
    used = {m.group("named") for m in Template.pattern.finditer(german) if m.group("named")}
    assert used == {m.group("named") for m in Template.pattern.finditer(part) if m.group("named")}


def test_a_member_gets_their_languages_template_else_the_campaigns_language(db, make_campaign):
    campaign = make_campaign(1)
    set_template(campaign, subject="Deine Meinung zu $product", language="de")
    set_template(campaign, subject="Your $product, reviewed", body="Hi $member_name\n")
    templates = CampaignTemplates.of(Campaign.get_by_id(campaign.id))
    german_subject, german_body = templates.render(replace(FACTS, language="de-CH"))
    assert german_subject == "Deine Meinung zu Hydra Glow Serum"
    assert german_body.startswith("Hallo Zoë Müller,")  # the built-in German body
    assert templates.render(replace(FACTS, language="fr")) == ("Your Hydra Glow Serum, reviewed", "Hi Zoë Müller\n")


def test_a_template_in_a_language_without_a_built_in_one_needs_subject_and_body(db, make_campaign):
    campaign = make_campaign(1)
    with pytest.raises(RejectedInput, match="needs both a subject and a body"):
        set_template(campaign, subject="Ton avis sur $product", language="fr")
    assert ReminderText.select().count() == 0
    set_template(campaign, subject="Ton avis sur $product", body="Bonjour $member_name, $shipped_on\n", language="fr")
    subject, body = CampaignTemplates.of(campaign).render(replace(FACTS, language="fr-CH"))
    assert (subject, body) == ("Ton avis sur Hydra Glow Serum", "Bonjour Zoë Müller, 16.03.2026\n")


@pytest.mark.parametrize(("url", "message"), [
    ("https://brand.example/review/$order", "unknown placeholder $order"),
    ("https://brand.example/$review_url", "unknown placeholder $review_url"),
    ("brand.example/review/$order_id", "not an absolute http(s) address"),
])
def test_a_bad_review_url_is_refused_and_nothing_is_saved(db, make_campaign, url, message):
    campaign = make_campaign(1)
    with pytest.raises(RejectedInput, match=re.escape(message)):
        set_review_url(campaign, url)
    assert Campaign.get_by_id(campaign.id).review_url == ""
