"""Key bindings in the operator's language.

Textual reads a class's BINDINGS once, when the class is defined, long before the session's
language is known: the descriptions and tooltips are marked with `N_()` there, and each
screen or widget translates its own copy when it is built, so the Footer and the help
screen show them in the operator's language.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap

from shiptui.i18n import _


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
