"""Broken files in the console's import (key i) and export (key e): a rejection in words
naming the line, the console still running, nothing changed, nothing written through a link."""

from __future__ import annotations

import codecs

from shiptui.tui.screens.export_file import ExportScreen
from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.screens.import_mapping import ImportMappingScreen
from shiptui.tui.screens.import_preview import ImportPreviewScreen
from tests.conftest import order_state
from tests.tui.pilot import open_file, settle, text_of
from tests.tui.test_import import here  # noqa: F401 (a fixture)

HEADER = "Order ID,Ship Date,Tracking #\r\n"


async def test_broken_utf16_is_told_in_the_file_step(campaign, make_app, here):  # noqa: F811
    text = HEADER + "SO-1,03/14/2026,1Z999AA10123456784\r\n"
    (here / "broken.csv").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00\xdcx\x00")
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "broken.csv")
        assert isinstance(app.screen, ImportFileScreen)
        assert "line 3: this line holds bytes that are not UTF-16 text" in text_of(app, "#error")


async def test_a_giant_cell_is_told_by_the_check(campaign, make_app, here):  # noqa: F811
    rows = "SO-1,03/14/2026,1Z999AA10123456784\r\n" + 'SO-2,"' + "x" * (1 << 20 | 1) + '",1\r\n'
    (here / "giant.csv").write_text(HEADER + rows)
    before = order_state(campaign)
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_file(pilot, "giant.csv")
        assert isinstance(app.screen, ImportMappingScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportPreviewScreen)
        assert "line 3: a cell of this row is longer than 1 MiB" in text_of(app, "#status")
    assert order_state(campaign) == before


async def test_export_refuses_a_dangling_symlink(campaign, make_app, here):  # noqa: F811
    victim = here / "elsewhere" / "victim.txt"
    (here / "list.csv").symlink_to(victim)  # dangling: "exists" says no
    app = make_app(campaign)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path").value = "list.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert "list.csv is a symbolic link" in text_of(app, "#status")
    assert not victim.parent.exists() and (here / "list.csv").is_symlink()
