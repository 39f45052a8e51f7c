"""What the console's tests do with a pilot, in one place."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from shiptui.tui.screens.import_file import ImportFileScreen
from shiptui.tui.work import FLOW


async def settle(pilot) -> None:
    """Wait until the work the last keys started is done and shown: the workers (the
    dashboard's reads, an import's check, an export) have finished and the screen is not
    loading any more."""
    while True:
        # Not a flow's worker: it waits for the operator, in a dialog.
        working = [worker for worker in pilot.app.workers if worker.group != FLOW]
        if working:  # an empty list would mean every worker
            await pilot.app.workers.wait_for_complete(working)
        await pilot.pause()
        if not pilot.app.screen.loading:
            return


async def press(pilot, *keys: str) -> None:
    """Each key, and what it started done and shown before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def burst(app, keys: str) -> None:
    """Keys as a terminal delivers a burst (a barcode scanner, a fast typist): all queued
    at once, before any is handled, where a pilot's press() waits for each. Tab is "\t",
    Enter "\r"; await settle(pilot) after."""
    for character in keys:
        key = {"\t": "tab", "\r": "enter"}.get(character, character)
        if key == " ":
            key = "space"
        app.post_message(events.Key(key, character))


def text_of(app, selector: str) -> str:
    """What the Static `selector` of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


def screen_text(app) -> str:
    """What the terminal shows, as text (a modal over the screen below it)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_file(pilot, name: str) -> None:
    """From the dashboard: i, then the file `name` (relative to the working folder)."""
    await pilot.press("i")
    assert isinstance(pilot.app.screen, ImportFileScreen)
    await pilot.press(*name, "enter")
    await pilot.pause()
