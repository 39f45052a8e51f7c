"""Export from the dashboard (key e): the Fulfillment Distribution List written to a
file (path editable), with a progress bar; the work runs in a thread.

The name offered is one no file has yet; an existing file is replaced only when the
operator presses enter on it a second time."""

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
from shiptui.services.files import unused_path
from shiptui.storage import Campaign
from shiptui.tui.dialog import Dialog
from shiptui.tui.screens.import_file import PathSuggester
from shiptui.tui.text import clean, literal
from shiptui.tui.widgets.inert_input import InertInput
from shiptui.tui.work import Exported, Progressed, WorkFailed, progress_of, run_in_thread


def shown(path: Path) -> str:
    """The whole path, with ~ for the home folder as the shell writes it (shorter on screen)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class ExportScreen(Dialog[None]):
    CSS_PATH = "export_file.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), tooltip=N_("back to the dashboard")),
    ]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.busy = False
        self.replacing: Path | None = None  # the existing file the operator was asked about

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(_("Download the Fulfillment Distribution List · {campaign}").format(
                campaign=self.campaign.name)), id="title")
            yield Static(_("File (UTF-8 CSV, one row per order); → completes the name"))
            yield InertInput(self._free_name(), suggester=PathSuggester(), id="path")
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
        path = Path(event.value.strip()).expanduser().absolute()
        if path.exists() and path != self.replacing:
            self.replacing = path
            self.query_one("#status", Static).update(
                Text(_("{path} exists: enter again replaces it, or give another name").format(path=clean(shown(path))),
                     style="bold yellow"))
            return
        self.busy = True
        bar = self.query_one(ProgressBar)
        bar.update(progress=0)
        bar.display = True
        self.query_one("#status", Static).update(_("writing…"))
        self.write(path, replace=path == self.replacing)

    def write(self, path: Path, replace: bool) -> None:
        # The session's language names the columns, as the help page does in German.
        run_in_thread(self, lambda: Exported(
            export_to_file(self.campaign, path, progress_of(self, "export"), operator_language(), replace=replace),
            path), task="export")

    @on(Progressed)
    def _progressed(self, progressed: Progressed) -> None:
        self.query_one(ProgressBar).update(progress=100 * progressed.fraction)

    @on(Exported)
    @on(WorkFailed)
    def _finished(self, finished: Exported | WorkFailed) -> None:
        if isinstance(finished, Exported):
            message = ngettext("exported {count} order to {path}", "exported {count} orders to {path}",
                               finished.count).format(count=format_number(finished.count), path=shown(finished.path))
            text = Text(clean(message), style="bold green")
        else:
            text = Text(clean(finished.message), style="bold red")
        self.busy = False
        self.replacing = None
        self.query_one("#status", Static).update(text)
        self.query_one(Input).value = self._free_name()
        self.query_one("#hint", Static).update(_("escape closes · enter writes it again under the name above"))

    def _free_name(self) -> str:
        return str(unused_path(default_file_name(self.campaign)))

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
