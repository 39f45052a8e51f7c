"""Every dialog in its one shared frame: the same size whichever dialog was opened before,
and usable at 60x20 (the right border on screen, every control reachable). Snapshots of
the dashboard and of every dialog at 60x20 and 120x40 in snapshots/test_dialogs/."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from shiptui.tui.dialog import Dialog
from shiptui.tui.screens.tracking import TrackingScreen
from tests.tui.pilot import press, settle
from tests.tui.test_import_snapshots import here  # noqa: F401 (a fixture: the folder with ups.csv and bad.csv)

SMALL = (60, 20)
SIZES = {"60x20": SMALL, "120x40": (120, 40)}
TO_SO_5 = ["down"] * 7  # a pending order (see test_snapshots)

# The keys that open each dialog from the dashboard, with the files of `here`.
OPEN = {
    "import-file": ["i"],
    "import-mapping": ["i", *"ups.csv", "enter"],
    "import-preview": ["i", *"bad.csv", "enter", "ctrl+s"],
    "import-summary": ["i", *"ups.csv", "enter", "ctrl+s", "enter"],
    "export": ["e"],
    "tracking": [*TO_SO_5, "t"],
    "help": ["question_mark"],
    "campaign-settings": ["c"],
    "campaign-create": ["n", *"Autumn Kit"],
}
FROM_THE_LIST = {"campaign-create"}  # opened from the campaign list, not the dashboard


def console(dialog: str, campaign, make_app, make_campaign):
    """The console where `dialog` opens: with two campaigns it starts on the list."""
    if dialog in FROM_THE_LIST:
        make_campaign(1, name="Winter Kit")
        return make_app()
    return make_app(campaign)


def frame_of(app) -> Widget:
    assert isinstance(app.screen, Dialog)
    return app.screen.query_one("#dialog")


async def test_the_tracking_dialog_keeps_its_width_after_the_mapping_dialog(campaign, make_app, here):
    """A dialog's rules reach no other dialog, though a screen's CSS applies app-wide
    once the screen has been opened."""
    async with make_app(campaign).run_test(size=(80, 24)) as pilot:
        await press(pilot, *OPEN["tracking"])
        assert isinstance(pilot.app.screen, TrackingScreen)
        first = frame_of(pilot.app).region
        await press(pilot, "escape", *OPEN["import-mapping"], "escape", "escape", "t")
        assert isinstance(pilot.app.screen, TrackingScreen)
        assert frame_of(pilot.app).region == first


@pytest.mark.parametrize("dialog", OPEN)
async def test_every_dialog_is_usable_at_60x20(campaign, make_app, make_campaign, here, dialog):
    async with console(dialog, campaign, make_app, make_campaign).run_test(size=SMALL) as pilot:
        await press(pilot, *OPEN[dialog])
        frame = frame_of(pilot.app)
        assert pilot.app.screen.region.contains_region(frame.region), "the frame, borders included, is on screen"
        for control in pilot.app.screen.focus_chain:
            if control is frame:  # help scrolls as a whole
                continue
            control.focus()
            await pilot.pause()
            assert frame.content_region.contains_region(control.region), f"{control} is out of sight"


@pytest.mark.parametrize("screen", ["dashboard", *OPEN])
@pytest.mark.parametrize("size", SIZES)
def test_snapshot(campaign, make_app, make_campaign, here, size, screen, snap_compare):
    """At 60x20 the footer keeps ? and q; at 120x40 it shows i, e, o and m too."""
    async def open_it(pilot) -> None:
        await settle(pilot)
        await press(pilot, *OPEN.get(screen, []))

    assert snap_compare(console(screen, campaign, make_app, make_campaign), run_before=open_it,
                        terminal_size=SIZES[size])
