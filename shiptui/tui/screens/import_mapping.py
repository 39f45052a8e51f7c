"""Import, step 3: map the fields. Each field gets one of the file's columns, shown with
sample values, pre-selected by the automatic (or remembered) matching."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Select, Static

from shiptui.i18n import N_, _, pgettext
from shiptui.services.csv.mapping import Field, Mapping, unmapped_columns
from shiptui.services.csv.reading import CsvFile, column_letter
from shiptui.tui.dialog import Dialog
from shiptui.tui.text import clean, literal

# Up to this many fields (the tracking import's) are spaced a line apart; more (the load
# of orders' 13) sit line by line, so that they all fit 80x24.
SPACED_FIELDS = 6

# What an unmapped column looks like it holds (the mapping's words), for the operator.
HOLDS = {"URLs": N_("URLs"), "dates": N_("dates"), "carriers": N_("carriers"), "tracking numbers": N_("tracking numbers")}


def field_label(field: Field) -> str:
    """The field in the operator's language: the help page's names, short enough for the
    mapping's label column (the export's column names where the field has no short one)."""
    short = {
        "order_id": pgettext("import field", "Order ID"),
        "shipped_date": pgettext("import field", "Shipped Date"),
        "carrier": pgettext("import field", "Tracking Carrier"),
        "tracking_number": pgettext("import field", "Tracking Number"),
        "tracking_url": pgettext("import field", "Tracking URL"),
    }
    return short.get(field.key) or pgettext("CSV column", field.label)


class ImportMappingScreen(Dialog[Mapping | None]):
    """Returns the confirmed mapping; escape returns None (back to choosing the file)."""

    CSS_PATH = "import_mapping.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", N_("Check file"),
                tooltip=N_("check every row with this mapping (nothing is written yet)")),
        Binding("escape", "cancel", N_("Back"), tooltip=N_("back to choosing the file")),
    ]

    def __init__(self, title: str, table: CsvFile, mapping: Mapping) -> None:
        super().__init__()
        self.title_text = title
        self.table = table
        self.mapping = mapping
        self.samples = table.samples()
        self.warned_of: list[int] = []  # the unmapped columns the operator was told about

    def compose(self) -> ComposeResult:
        # Text, not str: Select reads a str prompt as markup, and a header is the file's.
        options = [
            (literal(f"{column_letter(index)} {clean(header) or _('(no header)')}"), index)
            for index, header in enumerate(self.table.headers)
        ]
        with Vertical(id="dialog", classes="dense" if len(self.mapping.fields) > SPACED_FIELDS else ""):
            yield Static(literal(_("{title} · map the fields").format(title=self.title_text)), id="title")
            yield Static(literal(f"{self.table.path.name}: {self.table.described()}"), id="detected")
            labels = {field.key: Text(field_label(field)) for field in self.mapping.fields}
            for field in self.mapping.fields:
                if field.required:
                    labels[field.key].append(" *", style="bold")
            widest = max(18, *(label.cell_len + 1 for label in labels.values()))  # a longer German name is never cut
            for field in self.mapping.fields:
                with Horizontal(classes="field"):
                    label = Static(labels[field.key], classes="label")
                    label.styles.width = widest
                    yield label
                    yield Select(options, prompt=_("(not in the file)"), compact=True,
                                 value=self.mapping.columns.get(field.key, Select.NULL),
                                 id=f"map-{field.key}")
                    yield Static(classes="samples", id=f"samples-{field.key}")
            yield Static(id="gaps")
            yield Static(id="unmapped")
            with Horizontal(id="buttons"):
                yield Button(_("Check file"), variant="primary", id="confirm", compact=True)
            yield Static(_("* required · ctrl+s or the button checks every row, writes nothing · "
                           "escape: another file"), id="hint")

    def on_mount(self) -> None:
        self._show()
        self.query_one(Select).focus()

    def _show(self) -> None:
        for field in self.mapping.fields:
            index = self.mapping.columns.get(field.key)
            values = self.samples[index] if index is not None else []
            text = ", ".join(clean(value) for value in values)
            self.query_one(f"#samples-{field.key}", Static).update(
                Text(text, style="italic", no_wrap=True, overflow="ellipsis"))
            select = self.query_one(f"#map-{field.key}", Select)
            wanted = Select.NULL if index is None else index
            if select.value != wanted:
                select.value = wanted
        gaps = self.mapping.missing()
        self.query_one("#gaps", Static).update(Text("\n".join(clean(gap) for gap in gaps)))
        self.query_one("#gaps", Static).set_class(bool(gaps), "shown")
        unmapped = unmapped_columns(self.mapping, self.samples)
        told = Text()
        for column in unmapped:
            told.append(f"{column_letter(column.index)} {clean(column.header)}", style="bold")
            told.append(
                _(": {holds} ({samples}) not mapped: choose it for {field} or check the file to leave it out").format(
                    holds=_(HOLDS.get(column.holds, column.holds)),
                    samples=", ".join(clean(value) for value in column.samples), field=field_label(column.field),
                ) + "\n"
            )
        told.rstrip()
        self.query_one("#unmapped", Static).update(told)
        self.query_one("#unmapped", Static).set_class(bool(unmapped), "shown")

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("map-")
        index = None if event.value is Select.NULL else event.value
        if self.mapping.columns.get(key) != index:
            self.mapping.set(key, index, "chosen")
        self._show()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.mapping.missing():
            self.notify(_("map the fields named in red first"), severity="warning", timeout=3)
            return
        unmapped = [column.index for column in unmapped_columns(self.mapping, self.samples)]
        if unmapped and unmapped != self.warned_of:  # never left out without being seen
            self.warned_of = unmapped
            self.notify(_("a column that looks like tracking data is not mapped (highlighted): "
                          "map it, or check the file again to leave it out"), severity="warning", timeout=6)
            return
        self.mapping.ignored |= set(unmapped)
        self.dismiss(self.mapping)

    def action_cancel(self) -> None:
        self.dismiss(None)
