"""An Input that keeps keys typed ahead of a Tab in order, however fast they come."""

from __future__ import annotations

from textual import events

from shiptui.tui.widgets.inert_input import InertInput


class TypeAheadInput(InertInput):
    """Keys a terminal delivers in one burst (a barcode scanner, a quick typist, a paste
    without bracketed paste) are all queued to the field focused when they arrive: the
    characters behind a Tab would land in this field while the Tab is still on its way.
    So Tab moves the focus at once, and a key that reaches this field after the focus
    has moved is handed to the widget that now has it. Enter submits at once too: its
    `Submitted` carries the text as it was then, whatever follows it in the burst."""

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not None and focused is not self:  # typed ahead, behind a Tab
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter":
            # Here, not by the binding: bindings act when the key has bubbled up to the
            # app, after the keys typed behind it have gone into this field.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
        # Any other key: Input's own handler, called after this one, types it.
