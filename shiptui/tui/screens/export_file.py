"""Export from the dashboard (key e): the Fulfillment Distribution List written to a
file (path editable), with a progress bar; the work runs in a thread."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static

from shiptui.i18n import N_, _, format_number, ngettext, operator_language
from shiptui.services.csv.export import default_file_name, export_to_file
from shiptui.storage import Campaign
from shiptui.tui.dialog import Dialog
from shiptui.tui.screens.import_file import PathSuggester
from shiptui.tui.text import clean, literal
from shiptui.tui.widgets.inert_input import InertInput
from shiptui.tui.work import Exported, Progressed, WorkFailed, progress_of, run_in_thread


class ExportScreen(Dialog[None]):
    CSS_PATH = "export_file.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), tooltip=N_("back to the dashboard")),
    ]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(_("Download the Fulfillment Distribution List · {campaign}").format(
                campaign=self.campaign.name)), id="title")
            yield Static(_("File (UTF-8 CSV, one row per order); → completes the name"))
            yield InertInput(default_file_name(self.campaign), suggester=PathSuggester(), id="path")
            yield ProgressBar(total=100, show_eta=False, id="progress")
            yield Static(id="status")
            yield Static(_("enter writes the file · escape closes"), id="hint")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.busy or not event.value.strip():
            return
        path = Path(event.value.strip()).expanduser()
        if path.exists():
            self.query_one("#status", Static).update(
                Text(_("{path} exists: give another name (nothing was overwritten)").format(path=clean(path)),
                     style="bold red"))
            return
        self.busy = True
        bar = self.query_one(ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self.query_one("#status", Static).update(_("writing…"))
        self.write(path)

    def write(self, path: Path) -> None:
        # The session's language names the columns, as the help page does in German.
        run_in_thread(self, lambda: Exported(
            export_to_file(self.campaign, path, progress_of(self, "export"), operator_language()), path), task="export")

    @on(Progressed)
    def _progressed(self, progressed: Progressed) -> None:
        self.query_one(ProgressBar).update(progress=100 * progressed.fraction)

    @on(Exported)
    @on(WorkFailed)
    def _finished(self, finished: Exported | WorkFailed) -> None:
        if isinstance(finished, Exported):
            message = ngettext("exported {count} order to {path}", "exported {count} orders to {path}",
                               finished.count).format(count=format_number(finished.count), path=clean(finished.path))
            shown = Text(clean(message), style="bold green")
        else:
            shown = Text(clean(finished.message), style="bold red")
        self.busy = False
        self.query_one("#status", Static).update(shown)
        self.query_one("#hint", Static).update(_("escape closes · to write it again, give another name"))

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
