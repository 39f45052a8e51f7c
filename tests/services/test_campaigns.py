import pytest

from shiptui.errors import NotFound, RejectedInput
from shiptui import clock
from shiptui.services.campaigns import (
    CampaignSettings,
    change_settings,
    create_campaign,
    find_campaign,
    list_campaigns,
    preview_reminder,
    status_counts,
)
from shiptui.storage import Campaign
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship
from shiptui.services.orders import OrderTarget, resolve_order_keys


def test_slugs_are_made_from_the_name_and_kept_unique(db):
    assert create_campaign("Frühjahr: Süße Proben!").slug == "fruhjahr-susse-proben"
    # A name of its own whose slug an older campaign's suffix took already.
    Campaign.create(name="Old duplicate", slug="spring-2", reminder_delay_days=7, created_at=clock.stored_now())
    assert create_campaign("Spring 2").slug == "spring-2-2"


@pytest.mark.parametrize("again", ["Frühjahr Süße Proben", "frühjahr süße proben", "FRUHJAHR  SUSSE PROBEN"])
def test_a_name_taken_in_another_case_or_accents_is_refused_and_names_the_other(db, again):
    create_campaign("Frühjahr: Süße Proben!")
    with pytest.raises(RejectedInput, match=r"campaign name .*there is a campaign 'Frühjahr: Süße Proben!' "
                                            r"already \(slug fruhjahr-susse-proben\): give another name"):
        create_campaign(again)
    assert Campaign.select().count() == 1


def test_settings_rename_change_the_delay_and_the_template_together(db, make_campaign):
    campaign = make_campaign(2, name="Spring")
    make_campaign(1, name="Autumn")
    with pytest.raises(RejectedInput, match="there is a campaign 'Autumn' already"):
        change_settings(campaign, "autumn", 3, "Hi $member_name", "Your $product")
    with pytest.raises(RejectedInput, match="reminder delay 'soon' is not a number of days: give 0 to 365"):
        change_settings(campaign, "Spring Kit", "soon", "Hi $member_name", "Your $product")
    with pytest.raises(RejectedInput, match="unknown placeholder"):
        change_settings(campaign, "Spring Kit", 3, "Hi $name", "Your $product")
    unchanged = find_campaign("spring")  # nothing was saved
    assert (unchanged.name, unchanged.reminder_delay_days) == ("Spring", 7)
    assert CampaignSettings.of(unchanged).subject != "Hi $member_name"

    change_settings(campaign, "Spring  Kit", " 3 ", "Hi $member_name", "Your $product")
    saved = CampaignSettings.of(find_campaign("spring"))  # the slug stays
    assert saved == CampaignSettings("Spring Kit", 3, "Hi $member_name", "Your $product\n")
    change_settings(campaign, "spring kit", 3, saved.subject, saved.body)  # its own name, in another case


def test_the_reminder_preview_fills_an_unsaved_template_with_the_order(db, make_campaign):
    campaign = make_campaign(2, name="Spring")
    subject, body = preview_reminder(campaign, "SO-2", "$campaign for $member_name", "Shipped $shipped_on: $product")
    assert subject == "Spring for Member 2"
    assert body == "Shipped 03/16/2026: Hydra Glow Serum\n"  # a pending order as if shipped today
    with pytest.raises(NotFound, match="unknown Order ID 'SO-9'"):
        preview_reminder(campaign, "SO-9", "$campaign", "$product")


def test_a_campaign_name_needs_letters_and_a_sane_delay(db):
    with pytest.raises(RejectedInput, match="at least one letter or digit"):
        create_campaign(" !!! ")
    with pytest.raises(RejectedInput, match="give 0 to 365"):
        create_campaign("Spring", reminder_delay_days=-1)


def test_an_unknown_campaign_names_the_known_ones(db):
    create_campaign("Spring")
    with pytest.raises(NotFound, match="no campaign 'autumn'; known campaigns: spring"):
        find_campaign("autumn")
    assert find_campaign("Spring").slug == "spring"


def test_counts_by_status(db, make_campaign):
    campaign = make_campaign(4)
    mark_shipped(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-1"])), operator="alice")
    mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-2"])), operator="alice")
    counts = status_counts(campaign)
    assert (counts.pending, counts.shipped, counts.wont_ship, counts.total) == (2, 1, 1, 4)
    (summary,) = list_campaigns()
    assert summary.counts == counts


def test_unknown_order_ids_are_all_named(db, make_campaign):
    campaign = make_campaign(2)
    with pytest.raises(NotFound, match="unknown Order IDs in campaign spring-serum-sampling: SO-9, X"):
        resolve_order_keys(campaign, ["SO-1", "SO-9", "X"])
