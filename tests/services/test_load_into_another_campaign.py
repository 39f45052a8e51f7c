"""Members are shared by email across campaigns (issue 8, item 10): loading campaign B's file
never changes where campaign A's orders go, in any reader; the member changes a load does
make are in the log and undo takes them back. On SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest

from shiptui.services import history, outbox
from shiptui.services.campaigns import create_campaign
from shiptui.services.csv.export import write_export
from shiptui.services.csv.mapping import ORDERS, initial_mapping
from shiptui.services.csv.orders_import import apply_orders_import, check_orders_file
from shiptui.services.csv.reading import open_csv
from shiptui.services.orders import member_orders
from shiptui.services.fulfillment import mark_shipped
from shiptui.services.undo import undo_last
from shiptui.services.mail.sender import load_outgoing
from shiptui.services.orders import OrderTarget, get_order, order_rows
from shiptui.storage import Member, Reminder

HEADER = "Order ID,Member Name,Email,Address Line 1,City,State/Region,Postal Code,Country,Product,SKU\n"
ANN_IN_A = "A-1,Ann Archer,ann@example.com,1 Old Street,Portland,OR,97205,US,Hydra Glow Serum,HGS-030\n"
ANN_IN_B = "B-1,Ann Baker,ann@example.com,99 New Road,Boston,MA,02101,US,Hydra Glow Serum,HGS-030\n"


def load(campaign, path, operator="alice"):
    table = open_csv(path)
    preview = check_orders_file(campaign, table, initial_mapping(ORDERS, table.headers))
    return apply_orders_import(campaign, preview, operator=operator)


@pytest.fixture
def two_campaigns(db, tmp_path):
    """Campaign A with Ann's order shipped, then campaign B's file loaded by bob, with
    another name and address for Ann."""
    first, second = create_campaign("Campaign A"), create_campaign("Campaign B")
    (tmp_path / "a.csv").write_text(HEADER + ANN_IN_A, encoding="utf-8")
    (tmp_path / "b.csv").write_text(HEADER + ANN_IN_B, encoding="utf-8")
    load(first, tmp_path / "a.csv")
    mark_shipped(first, OrderTarget.of_ids([get_order(first, "A-1").id]), operator="alice")
    load(second, tmp_path / "b.csv", operator="bob")
    return first, second


def exported(campaign) -> list[str]:
    out = io.StringIO()
    write_export(campaign, out)
    return out.getvalue().splitlines()[1:]


def test_campaign_a_still_ships_to_the_name_and_address_it_was_loaded_with(two_campaigns):
    first, second = two_campaigns

    assert exported(first) == [
        "A-1,Ann Archer,ann@example.com,1 Old Street,,Portland,OR,97205,US,Hydra Glow Serum,HGS-030,1,"
        "Shipped,03/16/2026,,,,en"
    ]
    assert exported(second)[0].startswith("B-1,Ann Baker,ann@example.com,99 New Road,,Boston,MA,02101,US,")
    assert [row.member_name for row in order_rows(first)] == ["Ann Archer"]
    assert [row.member_name for row in order_rows(second)] == ["Ann Baker"]
    assert member_orders(first, get_order(first, "A-1").id).name == "Ann Archer"
    (reminder,) = outbox.outbox_rows(campaign=first)
    assert reminder.member_name == "Ann Archer"
    (outgoing,) = load_outgoing([reminder.id])
    assert outgoing.facts.member_name == "Ann Archer", "the reminder greets the order's addressee"
    assert Reminder.get_by_id(reminder.id).recipient == "ann@example.com"


def test_the_member_change_of_a_load_is_logged_and_undone(two_campaigns):
    _, second = two_campaigns
    ann = Member.get(Member.email == "ann@example.com")
    assert (ann.name, ann.address_line1, ann.city) == ("Ann Baker", "99 New Road", "Boston")
    (entry,) = history.campaign_history(second)
    assert (entry.operator, entry.kind) == ("bob", "load")
    assert entry.summary == "name or address of 1 member updated by the load of b.csv"

    result = undo_last(second, operator="bob")

    assert result.members_restored == 1
    assert "1 member restored" in result.summary()
    ann = Member.get(Member.email == "ann@example.com")
    assert (ann.name, ann.address_line1, ann.city, ann.region, ann.postal_code) == (
        "Ann Archer", "1 Old Street", "Portland", "OR", "97205",
    )
    assert [row.member_name for row in order_rows(second)] == ["Ann Baker"], "B-1 keeps its ship-to"
    assert history.campaign_history(second)[0].undone_by == "bob"


def test_undoing_an_older_load_leaves_a_later_loads_member_change(two_campaigns, tmp_path):
    first, second = two_campaigns
    (tmp_path / "c.csv").write_text(
        HEADER + ANN_IN_A.replace("A-1", "A-2").replace("1 Old Street", "5 Third Lane"), encoding="utf-8"
    )
    load(first, tmp_path / "c.csv", operator="carol")

    result = undo_last(second, operator="bob")

    assert result.members_restored == 0
    assert [(skip.order_id, skip.category) for skip in result.skipped] == [
        ("ann@example.com", "changed by a later load")
    ]
    assert Member.get(Member.email == "ann@example.com").address_line1 == "5 Third Lane"
    assert history.campaign_history(second)[0].undone_at is None, "it waits for carol's load"


def test_a_load_that_moves_several_members_gives_each_its_own_address_and_undo_puts_each_back(db, tmp_path):
    first, second = create_campaign("Campaign A"), create_campaign("Campaign B")
    ben_in_a = "A-2,Ben Brook,ben@example.com,2 Elm Street,Salem,OR,97301,US,Hydra Glow Serum,HGS-030\n"
    cat_in_a = "A-3,Cat Cole,cat@example.com,3 Pine Road,Eugene,OR,97401,US,Hydra Glow Serum,HGS-030\n"
    (tmp_path / "a.csv").write_text(HEADER + ANN_IN_A + ben_in_a + cat_in_a, encoding="utf-8")
    load(first, tmp_path / "a.csv")
    # Ann and Ben move (each to an address of their own); Cat comes again as she was.
    ben_in_b = "B-2,Ben Brook,ben@example.com,7 Lake View,Austin,TX,73301,US,Hydra Glow Serum,HGS-030\n"
    (tmp_path / "b.csv").write_text(HEADER + ANN_IN_B + ben_in_b + cat_in_a.replace("A-3", "B-3"), encoding="utf-8")

    result = load(second, tmp_path / "b.csv", operator="bob")

    assert result.members_updated == 2
    addresses = {member.email: (member.name, member.address_line1, member.city, member.region, member.postal_code)
                 for member in Member.select()}
    assert addresses == {
        "ann@example.com": ("Ann Baker", "99 New Road", "Boston", "MA", "02101"),
        "ben@example.com": ("Ben Brook", "7 Lake View", "Austin", "TX", "73301"),
        "cat@example.com": ("Cat Cole", "3 Pine Road", "Eugene", "OR", "97401"),
    }
    assert undo_last(second, operator="bob").members_restored == 2
    assert {member.email: member.address_line1 for member in Member.select()} == {
        "ann@example.com": "1 Old Street", "ben@example.com": "2 Elm Street", "cat@example.com": "3 Pine Road",
    }
