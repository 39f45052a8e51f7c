import pytest

from shiptui.errors import NotFound, RejectedInput
from shiptui.services.campaigns import create_campaign, find_campaign, list_campaigns, status_counts
from shiptui.services.fulfillment import mark_shipped, mark_wont_ship
from shiptui.services.orders import OrderTarget, resolve_order_keys


def test_slugs_are_made_from_the_name_and_kept_unique(db):
    assert create_campaign("Frühjahr: Süße Proben!").slug == "fruhjahr-susse-proben"
    assert create_campaign("Frühjahr Süße Proben").slug == "fruhjahr-susse-proben-2"
    assert create_campaign("frühjahr süße proben").slug == "fruhjahr-susse-proben-3"


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
