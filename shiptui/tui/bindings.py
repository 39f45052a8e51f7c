"""Key bindings in the operator's language.

Textual reads a class's BINDINGS once, when the class is defined, long before the session's
language is known: the descriptions and tooltips are marked with `N_()` there, and each
screen or widget translates its own copy when it is built, so the Footer and the help
screen show them in the operator's language.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from textual.binding import Binding, BindingsMap

from shiptui.i18n import N_, _

# The app's own keys: they hold on every screen that has no key of its own for them.
APP_KEYS = [
    Binding("question_mark", "help", N_("Help"), key_display="?", tooltip=N_("every key and what it does")),
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
        """Its bindings as declared: one per action, with all the keys that do it."""
        bindings = [binding for _key, binding in self._bindings]
        return [replace(group[0], key=",".join(binding.key for binding in group))
                for group in (list(group) for _action, group in groupby(bindings, lambda binding: binding.action))]
