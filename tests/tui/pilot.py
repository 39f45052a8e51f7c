"""What the console's tests do with a pilot, in one place."""

from __future__ import annotations


async def settle(pilot) -> None:
    """Wait until the work the last keys started is done and shown: the workers (the
    dashboard's reads, an import's check, an export) have finished and the screen is not
    loading any more."""
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.screen.loading:
            return
