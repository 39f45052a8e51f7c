"""Key bindings in the operator's language.

Textual reads a class's BINDINGS once, when the class is defined, long before the session's
language is known: the descriptions and tooltips are marked with `N_()` there, and each
screen or widget translates its own copy when it is built, so the Footer and the help
screen show them in the operator's language.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap

from shiptui.i18n import N_, _

# The app's own keys: they hold on every screen that has no key of its own for them.
APP_KEYS = [
    Binding("question_mark", "help", N_("Help"), key_display="?", tooltip=N_("every key and what it does")),
    # priority: it works in dialogs too
    Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True,
            tooltip=N_("find an action, an order (Order ID, member, tracking number), a campaign or the theme by name")),
]


def spoken(binding: Binding) -> Binding:
    """The binding with its description and tooltip in the operator's language."""
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


class SpokenBindings:
    """Mixed into a Screen or Widget (before it): its bindings, as the Footer reads them
    from the instance, in the operator's language."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bindings = BindingsMap.from_keys({
            key: [spoken(binding) for binding in bindings]
            for key, bindings in self._bindings.key_to_bindings.items()
        })

    def keys(self) -> list[Binding]:
        """The keys shiptui gave it (not Textual's own), as declared, in the operator's
        language; a key a subclass took over is listed once, with the subclass."""
        keys: list[Binding] = []
        taken: set[str] = set()
        for owner in type(self).__mro__:
            if not owner.__module__.startswith("shiptui."):
                continue
            for binding in owner.__dict__.get("BINDINGS", ()):
                own = set(binding.key.split(",")) - taken
                if own:
                    keys.append(spoken(replace(binding, key=",".join(key for key in binding.key.split(",") if key in own))))
                    taken |= own
        return keys
