"""Import of tracking data: what goes in, what is refused (with line and column), and
that a refused file writes nothing (SPEC §3)."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.csv.mapping import TRACKING, initial_mapping
from shiptui.services.csv.reading import RejectedFile, open_csv
from shiptui.services.csv.tracking_import import apply_tracking_import, check_tracking_file
from shiptui.services.fulfillment import mark_wont_ship, update_tracking
from shiptui.services.undo import undo_last
from shiptui.services.orders import OrderTarget, get_order, resolve_order_keys
from shiptui.storage import Action, Order, OrderStatus, Reminder, ReminderStatus
from shiptui.storage.database import database
from tests.conftest import order_state
from tests.csv.conftest import db_dump, many_bad_rows


def check(campaign, path, **chosen):
    table = open_csv(path)
    return check_tracking_file(campaign, table, initial_mapping(TRACKING, table.headers, chosen))


def run_import(campaign, path, operator="alice", **chosen):
    return apply_tracking_import(campaign, check(campaign, path, **chosen), operator=operator)


def order(campaign, key) -> Order:
    return get_order(campaign, key)


# --- files that go in ------------------------------------------------------------


def test_utf8_with_bom_ships_the_order_on_the_file_date_and_queues_one_reminder(campaign, copy_file):
    result = run_import(campaign, copy_file("utf8_bom.csv"))
    so1 = order(campaign, "SO-1")
    assert (so1.status, so1.shipped_on, so1.carrier, so1.tracking_number) == (
        "shipped", date(2026, 3, 14), "UPS", "1Z999AA10123456784",
    )
    assert so1.tracking_url == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert so1.updated_by == "alice"
    assert (result.shipped, result.reminders_queued) == (1, 1)
    assert Reminder.select().where(Reminder.order == so1).count() == 1


def test_windows1252_semicolon_file_with_german_headers(campaign, copy_file):
    table = open_csv(copy_file("windows1252_semicolon.csv"))
    assert table.described() == "Windows-1252, semicolon-separated, 4 columns"
    run_import(campaign, table.path)
    so2 = order(campaign, "SO-2")
    assert (so2.shipped_on, so2.carrier, so2.tracking_number) == (
        date(2026, 3, 14), "Österreichische Post", "AT123456789",
    )


def test_tab_separated_file_with_aliases_and_iso_dates(campaign, copy_file):
    table = open_csv(copy_file("tab_separated.csv"))
    assert table.delimiter == "\t"
    run_import(campaign, table.path)
    so3 = order(campaign, "SO-3")
    assert (so3.shipped_on, so3.carrier, so3.tracking_number) == (date(2026, 3, 13), "FedEx", "123456789012")


def test_quoted_newlines_blank_lines_and_trailing_spaces(campaign, copy_file):
    preview = check(campaign, copy_file("quoted_blank_trailing.csv"))
    assert preview.ok and (preview.rows, preview.to_ship) == (2, 2)
    apply_tracking_import(campaign, preview, operator="alice")
    assert order(campaign, "SO-1").tracking_number == "1Z999AA10123456784"
    assert order(campaign, "SO-2").carrier == "FedEx"
    assert order(campaign, "SO-2").shipped_on == date(2026, 3, 15)


def test_excel_text_marker_is_taken_off(campaign, copy_file):
    run_import(campaign, copy_file("excel_text_marker.csv"))
    so1 = order(campaign, "SO-1")
    assert (so1.status, so1.tracking_number) == ("pending", "1Z999AA10123456784")


def test_empty_cells_leave_stored_values_and_tracking_alone_does_not_ship(campaign, write_file):
    update_tracking(campaign, order(campaign, "SO-1"), number="123456789012", carrier="FedEx",
                    url="https://example.com/custom-page", operator="bob")
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Carrier,Tracking Number,Tracking URL\n"
                      "SO-1,03/14/2026,,,\nSO-2,,UPS,1Z999AA10123456785,\n")
    result = run_import(campaign, path)
    so1, so2 = order(campaign, "SO-1"), order(campaign, "SO-2")
    assert (so1.status, so1.carrier, so1.tracking_number, so1.tracking_url) == (
        "shipped", "FedEx", "123456789012", "https://example.com/custom-page",
    )
    assert (so2.status, so2.shipped_on, so2.carrier) == ("pending", None, "UPS")
    assert (result.shipped, result.tracking_updated, result.reminders_queued) == (1, 1, 1)


def test_reimporting_the_same_file_changes_nothing_and_queues_nothing(campaign, copy_file):
    path = copy_file("one_bad_row.csv").with_name("good.csv")
    path.write_text("Order ID,Shipped Date,Tracking Number\nSO-1,03/14/2026,1Z999AA10123456784\n")
    run_import(campaign, path)
    before, actions = db_dump(), Action.select().count()
    result = run_import(campaign, path)
    assert (result.shipped, result.tracking_updated, result.unchanged, result.reminders_queued) == (0, 0, 1, 0)
    assert result.action_id is None
    assert db_dump() == before and Action.select().count() == actions


def test_undo_takes_the_whole_import_back_and_cancels_its_reminders(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Number\n"
                      "SO-1,03/14/2026,1Z999AA10123456784\nSO-2,03/15/2026,\nSO-3,,1Z999AA10123456786\n")
    before = order_state(campaign)
    result = run_import(campaign, path)
    assert result.summary() == ("import of t.csv: 2 marked shipped · 1 tracking updated · "
                                "0 unchanged · 2 reminders queued")
    undone = undo_last(campaign, operator="alice")
    assert (undone.restored, undone.reminders_cancelled) == (3, 2)
    after = order_state(campaign)
    assert {key: state[:-1] for key, state in after.items()} == {key: state[:-1] for key, state in before.items()}
    assert {r.status for r in Reminder.select()} == {ReminderStatus.CANCELLED}


def test_already_shipped_order_with_the_same_date_is_unchanged(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date\nSO-1,03/14/2026\n")
    run_import(campaign, path)
    again = write_file("u.csv", "Order ID,Shipped Date\nSO-1,2026-03-14\n")
    preview = check(campaign, again)
    assert preview.ok and preview.unchanged == 1 and not preview.changes


def test_exported_numbers_whose_zeros_excel_dropped_are_recognised(campaign, write_file):
    update_tracking(campaign, order(campaign, "SO-1"), number="00340434161094042557",
                    carrier="DHL Paket", url="", operator="bob")
    path = write_file("t.csv", "Order ID,Tracking Carrier,Tracking Number\nSO-1,DHL Paket,340434161094042557\n")
    preview = check(campaign, path)
    assert preview.ok and preview.unchanged == 1


def test_a_file_checked_on_one_thread_is_applied_on_another(campaign, write_file):
    # The console checks and applies on two threads, each with its own connection: the
    # checked rows wait where the applying connection can read them (not in a TEMP table).
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Carrier,Tracking Number,Status\n"
                               "SO-1,03/14/2026,UPS,1Z999AA10123456784,\nSO-2,,,,Won't ship\n")
    checked = []

    def check_on_own_connection():
        checked.append(check(campaign, path))
        database().close()

    worker = threading.Thread(target=check_on_own_connection)
    worker.start()
    worker.join()
    result = apply_tracking_import(campaign, checked[0], operator="alice")
    assert (result.shipped, result.wont_ship, result.reminders_queued) == (1, 1, 1)
    so1, so2 = order(campaign, "SO-1"), order(campaign, "SO-2")
    assert (so1.status, so1.shipped_on, so1.tracking_number) == ("shipped", date(2026, 3, 14), "1Z999AA10123456784")
    assert so1.tracking_url == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert so2.status == "wont_ship"


def test_order_ids_with_quotes_backslashes_and_accents_are_found(campaign, write_file):
    # The check sends each batch's Order IDs as one JSON array (SQLite) or text[] (PostgreSQL).
    template = order(campaign, "SO-1")
    keys = ['Ö-"7"', "A\\B,[1]", "Ünïcødé-ß", "SO-1 ", "{x}"]
    for key in keys:
        Order.create(campaign=campaign, member=template.member, product=template.product, order_key=key,
                     updated_at=template.updated_at, updated_by="seed", **{
                         name: getattr(template, name) for name in template._meta.fields if name.startswith("ship_")})
    quoted = "".join(f'"{key.strip()}",03/14/2026\n'.replace('"7"', '""7""') for key in keys)
    preview = check(campaign, write_file("t.csv", f"Order ID,Shipped Date\n{quoted}SO-2,03/14/2026\n"))
    # "SO-1 " is read as SO-1 (cells are trimmed): that order ships, the one with the space is not named
    assert preview.ok and preview.to_ship == len(keys) + 1
    apply_tracking_import(campaign, preview, operator="alice")
    assert {key for (key,) in Order.select(Order.order_key).where(Order.status == OrderStatus.SHIPPED).tuples()} == {
        'Ö-"7"', "A\\B,[1]", "Ünïcødé-ß", "SO-1", "{x}", "SO-2"}


def test_same_order_twice_with_the_same_data_counts_once(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date\nSO-1,03/14/2026\nSO-1,03/14/2026\n")
    assert check(campaign, path).to_ship == 1


def test_map_option_beats_automatic_matching(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Dispatch\nSO-1,03/14/2026,03/13/2026\n")
    run_import(campaign, path, shipped_date="Dispatch")
    assert order(campaign, "SO-1").shipped_on == date(2026, 3, 13)


def test_an_order_changed_between_check_and_apply_is_not_overwritten(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date\nSO-1,03/14/2026\nSO-2,03/14/2026\n")
    preview = check(campaign, path)
    mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-2"])), operator="bob")
    before = db_dump()
    with pytest.raises(RejectedInput, match="1 order of t.csv changed since the file was checked"):
        apply_tracking_import(campaign, preview, operator="alice")
    assert db_dump() == before


# --- files that are refused: the message names line and column; nothing is written ---

REFUSED = [
    # file, line, column letter and header, words of the reason
    ("scientific_notation.csv", 2, "D ('Tracking Number')", "scientific notation"),
    ("lost_leading_zeros.csv", 2, "D ('Tracking Number')", "2 leading zeros"),
    ("impossible_date.csv", 2, "B ('Shipped Date')", "no such day"),
    ("ambiguous_date.csv", 2, "B ('Shipped Date')", "two-digit year is ambiguous"),
    ("ambiguous_date.csv", 3, "B ('Shipped Date')", "day and month could be either way"),
    ("unparseable_date.csv", 2, "B ('Shipped Date')", "not a date"),
    ("future_date.csv", 2, "B ('Shipped Date')", "in the future"),
    ("unknown_order.csv", 3, "A ('Order ID')", "no order with this ID in campaign"),
    ("other_campaign_order.csv", 2, "A ('Order ID')", "belongs to campaign autumn-lipstick-sampling"),
    ("duplicate_order.csv", 3, "A ('Order ID')", "also on line 2, with other data"),
    ("wont_ship_date.csv", 2, "B ('Shipped Date')", "marked won't ship"),
    ("bad_urls.csv", 2, "E ('Tracking URL')", "not an absolute http(s) address"),
    ("bad_urls.csv", 3, "E ('Tracking URL')", "not an absolute http(s) address"),
    ("bad_urls.csv", 4, "E ('Tracking URL')", "not an absolute http(s) address"),
    ("multiline_then_bad_date.csv", 5, "E ('Shipped Date')", "no such day"),
    ("ragged.csv", 3, None, "has 6 cells but the header has 5"),
    ("one_bad_row.csv", 4, "B ('Shipped Date')", "no such day"),
]


@pytest.mark.parametrize("name, line, column, reason", REFUSED, ids=[f"{r[0]}:{r[1]}" for r in REFUSED])
def test_refused_row_names_line_and_column_and_writes_nothing(campaign, copy_file, name, line, column, reason):
    mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-3"])), operator="bob")
    before = db_dump()
    preview = check(campaign, copy_file(name))
    where = f"line {line}, column {column}" if column else f"line {line}:"
    matching = [p.message() for p in preview.problems if p.message().startswith(where) and reason in p.message()]
    assert matching, [p.message() for p in preview.problems]
    with pytest.raises(RejectedFile) as refused:
        apply_tracking_import(campaign, preview, operator="alice")
    assert where in str(refused.value) or len(preview.problems) > 5
    assert "nothing was changed" in str(refused.value)
    assert db_dump() == before


def test_a_cell_holding_a_colon_is_shown_whole_in_the_reason_and_the_fix_says_what_to_do(campaign, write_file):
    """The service's reason and fix are taken as given, not cut at the last ": " of the text."""
    preview = check(campaign, write_file("t.csv", "Order ID,Tracking Number\nSO-1,AB: CD!\n"))
    [problem] = preview.problems
    assert (problem.reason, problem.fix) == (
        "tracking number 'AB: CD!' may hold only letters, digits and hyphens", "correct the cell")


def test_cells_of_an_unknown_order_are_checked_too(campaign, write_file):
    preview = check(campaign, write_file("t.csv", "Order ID,Shipped Date\nSO-77,02/30/2026\n"))
    assert [p.where() for p in preview.problems] == [
        "line 2, column A ('Order ID')", "line 2, column B ('Shipped Date')",
    ]


def test_every_problem_of_a_file_is_reported_at_once(campaign, copy_file):
    preview = check(campaign, copy_file("bad_urls.csv"))
    assert [p.line for p in preview.problems] == [2, 3, 4]
    assert preview.rejected_rows == 3 and preview.tracking_updates == 0


def test_tracking_for_a_wont_ship_order_is_refused(campaign, write_file):
    mark_wont_ship(campaign, OrderTarget.of_ids(resolve_order_keys(campaign, ["SO-3"])), operator="bob")
    preview = check(campaign, write_file("t.csv", "Order ID,Tracking Number\nSO-3,1Z999AA10123456784\n"))
    assert [p.message() for p in preview.problems] == [
        "line 2, column B ('Tracking Number'): '1Z999AA10123456784': order SO-3 is marked won't ship: "
        "it cannot take tracking; mark it shipped in shiptui first if it did ship, or empty this cell"
    ]


def test_a_different_date_for_a_shipped_order_is_refused(campaign, write_file):
    run_import(campaign, write_file("t.csv", "Order ID,Shipped Date\nSO-1,03/14/2026\n"))
    preview = check(campaign, write_file("u.csv", "Order ID,Shipped Date\nSO-1,03/15/2026\n"))
    assert "already marked shipped on 03/14/2026" in preview.problems[0].message()


def test_each_ship_date_gets_its_own_reminder_due_time(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date\nSO-1,03/08/2026\nSO-2,03/14/2026\nSO-3,03/14/2026\n")
    assert run_import(campaign, path).reminders_queued == 3
    due = {
        key: send_after
        for key, send_after in Reminder.select(Order.order_key, Reminder.send_after)
        .join(Order, on=(Reminder.order == Order.id)).tuples()
    }
    # a week after shipping (local 10:30 = 09:30 UTC), but never within the hour left to undo
    assert due == {
        "SO-1": datetime(2026, 3, 16, 10, 30),
        "SO-2": datetime(2026, 3, 21, 9, 30),
        "SO-3": datetime(2026, 3, 21, 9, 30),
    }


@pytest.mark.slow
def test_a_50_mb_file_is_checked_in_little_memory(campaign, write_file):
    import tracemalloc

    row = "SO-1,03/14/2026,UPS,1Z999AA10123456784,https://www.ups.com/track?tracknum=1Z999AA10123456784\n"
    path = write_file("big.csv", "Order ID,Shipped Date,Tracking Carrier,Tracking Number,Tracking URL\n")
    with path.open("a") as out:
        for _ in range(50_000_000 // len(row) // 1000 + 1):
            out.write(row * 1000)
    tracemalloc.start()
    preview = check(campaign, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert preview.ok and preview.rows > 500_000 and preview.to_ship == 1
    assert peak < 20_000_000


def test_numeric_order_ids_whose_zeros_a_spreadsheet_dropped(campaign, write_file):
    Order.update(order_key="000123").where(Order.order_key == "SO-1").execute()
    Order.update(order_key="0456").where(Order.order_key == "SO-2").execute()
    Order.update(order_key="00456").where(Order.order_key == "SO-4").execute()
    path = write_file("t.csv", "Order ID,Shipped Date\n123,03/14/2026\n456,03/14/2026\n1.23457E+11,03/14/2026\n")
    preview = check(campaign, path)
    assert [p.message() for p in preview.warnings] == [
        "line 2, column A ('Order ID'): '123': read as Order ID 000123: a spreadsheet dropped its "
        "leading zeros; nothing to do (format the column as Text next time)"
    ]
    assert [p.message() for p in preview.problems] == [
        "line 3, column A ('Order ID'): '456': there is no order with this ID in campaign "
        "spring-serum-sampling; check the ID (shiptui orders spring-serum-sampling) or delete the row",
        "line 4, column A ('Order ID'): '1.23457E+11': a spreadsheet turned this Order ID into "
        "scientific notation; its digits are lost; format the column as Text and paste the Order IDs again",
    ]


# --- carriers told by the number, and every problem of a row at once ---------------


def _ship_to(campaign, key, country):
    Order.update(ship_country=country).where(Order.id == order(campaign, key).id).execute()


def test_an_empty_carrier_is_told_by_the_number_and_the_preview_says_which(campaign, write_file):
    _ship_to(campaign, "SO-3", "DE")
    path = write_file("t.csv", "Order ID,Tracking Carrier,Tracking Number\n"
                               "SO-1,,1Z5R89390357567127\n"
                               "SO-2,,201298452277\n"  # FedEx, DHL Paket, GLS fit: in the US, FedEx
                               "SO-3,,201298452277\n"  # in Germany DHL Paket or GLS: left empty
                               "SO-4,dhl,00340434397375685360\n"
                               "SO-5,,1Z5R89390357567128\n")  # no carrier's check digit fits
    preview = check(campaign, path)
    assert preview.ok
    assert "carrier told by the number: UPS 1, FedEx 1; 1 of them by the order's country" in preview.summary()
    warnings = {w.line: w.reason for w in preview.warnings}
    assert warnings == {
        4: "201298452277 could be a DHL Paket or GLS number: give the carrier",
        6: "1Z5R89390357567128 fits no carrier shiptui knows (no check digit matches): check it (it is kept as given)",
    }
    apply_tracking_import(campaign, preview, operator="alice")
    carriers = {key: (order(campaign, key).carrier, order(campaign, key).tracking_url) for key in
                ("SO-1", "SO-2", "SO-3", "SO-4", "SO-5")}
    assert carriers["SO-1"] == ("UPS", "https://www.ups.com/track?tracknum=1Z5R89390357567127")
    assert carriers["SO-2"][0] == "FedEx"
    assert carriers["SO-3"] == ("", "")
    assert carriers["SO-4"][0] == "DHL Paket"  # DHL with a number only DHL Paket issues
    assert carriers["SO-5"] == ("", "")
    assert order(campaign, "SO-5").tracking_number == "1Z5R89390357567128"  # kept


def test_a_typed_carrier_whose_check_digit_fails_is_warned_naming_the_other(campaign, write_file):
    path = write_file("t.csv", "Order ID,Tracking Carrier,Tracking Number\nSO-1,FedEx,1Z5R89390357567127\n")
    preview = check(campaign, path)
    assert preview.ok
    assert [w.reason for w in preview.warnings] == [
        "1Z5R89390357567127 does not look like a FedEx tracking number (its check digit fails); "
        "it is a valid UPS number: check the carrier"
    ]


def test_dhl_for_a_german_order_is_dhl_paket_with_the_german_page(campaign, write_file):
    _ship_to(campaign, "SO-1", "DE")
    path = write_file("t.csv", "Order ID,Carrier,Tracking Number\nSO-1,DHL,566804027519\nSO-2,DHL,3318810025\n")
    run_import(campaign, path)
    assert (order(campaign, "SO-1").carrier, order(campaign, "SO-1").tracking_url) == (
        "DHL Paket", "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=566804027519",
    )
    assert order(campaign, "SO-2").carrier == "DHL Express"


def test_each_order_gets_the_tracking_page_of_its_own_country_in_one_file(campaign, write_file):
    """A check takes each country's language and each carrier name once per file: an
    order in Germany and one elsewhere, same carrier, get their own pages, row by row."""
    _ship_to(campaign, "SO-1", "DE")
    _ship_to(campaign, "SO-3", "DE")
    path = write_file("t.csv", "Order ID,Carrier,Tracking Number\nSO-1,ups,1Z999AA10123456784\n"
                               "SO-2,ups,1Z999AA10123456793\nSO-3,UPS,1Z999AA10123456793\n")
    run_import(campaign, path)
    assert [(order(campaign, key).carrier, order(campaign, key).tracking_url) for key in ("SO-1", "SO-2", "SO-3")] == [
        ("UPS", "https://www.ups.com/track?loc=de_DE&tracknum=1Z999AA10123456784"),
        ("UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456793"),
        ("UPS", "https://www.ups.com/track?loc=de_DE&tracknum=1Z999AA10123456793"),
    ]


def test_a_row_with_carrier_or_url_but_no_number_is_a_warning(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Carrier,Tracking Number,Tracking URL\n"
                               "SO-1,03/14/2026,Hermes,,\n"
                               "SO-2,03/14/2026,,,https://example.com/t/2\n"
                               "SO-3,03/14/2026,,,\n")
    preview = check(campaign, path)
    assert preview.ok
    assert [(w.line, w.column, w.reason) for w in preview.warnings] == [
        (2, "Tracking Number", "this row has a carrier but no tracking number"),
        (3, "Tracking Number", "this row has a URL but no tracking number"),
    ]


def test_every_problem_of_one_row_is_reported_in_one_check(campaign, write_file):
    path = write_file("t.csv", "Order ID,Shipped Date,Tracking Number,Tracking URL\n"
                               "SO-1,31/31/2026,9.40011E+21,www.example.com/track\n")
    preview = check(campaign, path)
    assert [(p.line, p.column) for p in preview.problems] == [
        (2, "Shipped Date"), (2, "Tracking Number"), (2, "Tracking URL"),
    ]


def test_a_number_of_its_carriers_length_is_never_refused_for_dropped_zeros(campaign, write_file):
    # 000000000017 fails FedEx's 12-digit check, and with 3 zeros it would pass the 15-digit
    # one: still a 12-digit FedEx number as given, warned about, not refused
    path = write_file("t.csv", "Order ID,Tracking Carrier,Tracking Number\nSO-1,FedEx,000000000017\n")
    preview = check(campaign, path)
    assert preview.ok
    assert [w.reason for w in preview.warnings] == ["000000000017 does not look like a FedEx tracking number"]


def test_the_status_column_marks_pending_orders_wont_ship_in_any_wording(campaign, write_file):
    path = write_file("t.csv", "Order ID,Status,Shipped Date\n"
                               "SO-1,Won't ship,\n"
                               "SO-2,WONT_SHIP,\n"
                               "SO-3,Pending,03/14/2026\n"  # the list as exported, the date filled in
                               "SO-4,pending,\n")
    preview = check(campaign, path)
    assert preview.ok
    assert preview.summary() == ("4 rows read · 1 to mark shipped · 2 to mark won't ship · 0 tracking updates · "
                                 "1 unchanged · 0 rejected")
    result = apply_tracking_import(campaign, preview, operator="alice")
    assert "2 marked won't ship" in result.summary()
    assert [order(campaign, key).status for key in ("SO-1", "SO-2", "SO-3", "SO-4")] == [
        "wont_ship", "wont_ship", "shipped", "pending",
    ]
    undo_last(campaign, operator="alice")
    assert order(campaign, "SO-1").status == "pending"


def test_a_status_that_cannot_be_applied_is_refused_naming_it(campaign, write_file):
    mark_shipped_now = run_import(campaign, write_file("s.csv", "Order ID,Shipped Date\nSO-5,03/14/2026\n"))
    assert mark_shipped_now.shipped == 1
    path = write_file("t.csv", "Order ID,Status,Shipped Date\n"
                               "SO-1,Shipped,\n"
                               "SO-2,Won't ship,03/14/2026\n"
                               "SO-3,lost,\n"
                               "SO-5,Won't ship,\n")
    preview = check(campaign, path)
    assert [(p.line, p.column, p.reason) for p in preview.problems] == [
        (2, "Status", "the status says Shipped but the Shipped Date is empty"),
        (3, "Status", "the status says Won't ship but the row has a ship date or tracking"),
        (4, "Status", "this is not a status shiptui knows"),
        (5, "Status", "the order is shipped: it is not marked won't ship"),
    ]


def test_an_order_given_again_thousands_of_rows_later_with_other_data_is_named(campaign, write_file):
    # the two rows are checked in different batches of rows
    rows = "SO-1,03/14/2026,UPS,\n" + "SO-2,03/14/2026,UPS,\n" * 6000 + "SO-1,03/15/2026,UPS,\n"
    preview = check(campaign, write_file("t.csv", "Order ID,Shipped Date,Tracking Carrier,Tracking Number\n" + rows))
    assert [(problem.line, problem.reason) for problem in preview.problems] == [
        (6003, "this order is also on line 2, with other data")
    ]
    assert preview.to_ship == 2


def test_a_file_with_thousands_of_bad_rows_counts_them_all_and_keeps_the_first_in_line_order(campaign, write_file):
    preview = check(campaign, write_file("bad.csv", many_bad_rows(7000)))
    assert len(preview.problems) == preview.rejected_rows == 7000
    assert [problem.line for problem in preview.problems[:1000]] == list(range(2, 1002))
    assert preview.problems[0].value == "NO-0" and preview.problems[1].value == "02/30/2026"
    with pytest.raises(RejectedFile) as refused:
        apply_tracking_import(campaign, preview, operator="alice")
    message = str(refused.value)
    assert message.startswith("bad.csv was rejected, nothing was changed (7,000 problems):\n  line 2, column A")
    assert message.endswith("\n  ... and 6,995 more")
