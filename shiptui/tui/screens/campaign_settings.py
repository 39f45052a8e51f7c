"""Campaigns from the console: a new campaign (from the campaign list), and a campaign's
settings (name, reminder delay, reminder template with a preview of one order's email)."""

from __future__ import annotations

from typing import Callable, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea

from shiptui.i18n import N_, _, language_name
from shiptui.services import campaigns
from shiptui.services.campaigns import MAX_REMINDER_DELAY_DAYS, CampaignSettings
from shiptui.services.mail.template import check_body, check_subject
from shiptui.storage import Campaign
from shiptui.tui.dialog import Dialog
from shiptui.storage.driver_errors import describe
from shiptui.tui.errors import REPORTED
from shiptui.tui.text import literal, literal_lines
from shiptui.tui.widgets.type_ahead_input import TypeAheadInput


class CampaignForm(Dialog[Campaign | None]):
    """What both dialogs share: fields with their errors under them, checked one by one
    with the service's own checks, so a message stands under the field it is about."""

    def _show_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(literal_lines(message))
        error.set_class(bool(message), "shown")

    def _checked(self, checks: dict[str, Callable[[], object]]) -> bool:
        """Run each field's check; show every problem at its field; True if there is none."""
        first = None
        for field, check in checks.items():
            try:
                check()
                self._show_error(field, "")
            except REPORTED as error:
                self._show_error(field, describe(error))
                first = first or field
        if first is not None:
            self.query_one(f"#{first}").focus()
        return first is None

    def _saved(self, save: Callable[[], Campaign]) -> None:
        try:
            campaign = save()
        except REPORTED as error:
            self._show_error("form", describe(error))
            return
        self.dismiss(campaign)

    submitted: Input.Submitted | None = None  # the Enter that asked to save, if one did

    def _value(self, field: str) -> str:
        field_input = self.query_one(f"#{field}", TypeAheadInput)
        if self.submitted is not None and self.submitted.input is field_input:
            # Keys typed in the burst behind the Enter may be in the field by now: what
            # was submitted is the field as it was when Enter came.
            return field_input.entered_as(self.submitted.value)
        return field_input.entered

    def action_cancel(self) -> None:
        self.dismiss(None)


def delay_label() -> str:
    return _("Reminder delay in days after the ship date (0 to {most})").format(most=MAX_REMINDER_DELAY_DAYS)


class NewCampaignScreen(CampaignForm):
    """Name and reminder delay; enter creates the campaign (as `shiptui new-campaign`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), tooltip=N_("create nothing")),
    ]
    AUTO_FOCUS = "#name"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("New campaign"), id="title")
            yield Static(_("Name"))
            yield TypeAheadInput(id="name")
            yield Static(id="name-error", classes="field-error")
            yield Static(delay_label())
            yield TypeAheadInput("7", id="delay")
            yield Static(id="delay-error", classes="field-error")
            yield Static(id="form-error", classes="field-error")
            yield Static(_("enter creates the campaign · escape creates nothing"), id="hint")

    @on(Input.Submitted)
    def action_create(self, submitted: Input.Submitted | None = None) -> None:
        self.submitted = submitted
        self._show_error("form", "")
        if self._checked({
            "name": lambda: campaigns.campaign_name(self._value("name")),
            "delay": lambda: campaigns.reminder_delay(self._value("delay")),
        }):
            self._saved(lambda: campaigns.create_campaign(
                self._value("name"), campaigns.reminder_delay(self._value("delay"))))


class CampaignSettingsScreen(CampaignForm):
    """The campaign's name, reminder delay and reminder template (in its own language);
    the preview shows the email of one order as its member would read it. ctrl+s saves."""

    CSS_PATH = "campaign_settings.tcss"
    AUTO_FOCUS = "#name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), tooltip=N_("save the settings and the template")),
        Binding("escape", "cancel", N_("Cancel"), tooltip=N_("leave everything unchanged")),
    ]

    def __init__(self, campaign: Campaign, order_id: str = "") -> None:
        super().__init__()
        self.campaign = campaign
        self.order_id = order_id
        self.settings = CampaignSettings.of(campaign)

    def compose(self) -> ComposeResult:
        settings = self.settings
        with Vertical(id="dialog"):
            yield Static(literal(_("Campaign settings · {slug}").format(slug=self.campaign.slug)), id="title")
            yield Static(_("Name"))
            yield TypeAheadInput(settings.name, id="name")
            yield Static(id="name-error", classes="field-error")
            yield Static(delay_label() + "; " + _("for orders shipped from now on"))
            yield TypeAheadInput(str(settings.reminder_delay_days), id="delay")
            yield Static(id="delay-error", classes="field-error")
            yield Static(_("Reminder subject ({language})").format(language=language_name(self.campaign.language)))
            yield TypeAheadInput(settings.subject, id="subject")
            yield Static(id="subject-error", classes="field-error")
            yield Static(_("Reminder text: $member_name, $product, $tracking_url… ($$ is a dollar sign)"))
            yield TextArea(settings.body, id="body", soft_wrap=True)
            yield Static(id="body-error", classes="field-error")
            yield Static(_("Preview of the email for Order ID"))
            yield TypeAheadInput(self.order_id, id="order")
            yield Static(id="order-error", classes="field-error")
            with VerticalScroll(id="preview-box"):  # tab to it, then ↑↓ to read it all
                yield Static(id="preview")
            yield Static(id="form-error", classes="field-error")
            yield Static(_("ctrl+s saves · escape leaves everything unchanged"), id="hint")

    def on_mount(self) -> None:
        self._preview()
        # The text area scrolls the dialog to its cursor as it is laid out: back to the title.
        self.call_after_refresh(self.query_one("#dialog").scroll_home, animate=False)

    def _body(self) -> str:
        return self.query_one("#body", TextArea).text

    @on(Input.Changed, "#subject, #order")
    @on(TextArea.Changed)
    def _preview(self) -> None:
        """The email of the order, with the template as it stands in the fields."""
        preview = self.query_one("#preview", Static)
        order_id = self._value("order").strip()
        if not order_id:
            preview.update(_("(give an Order ID to see its email)"))
            return
        try:
            subject, body = campaigns.preview_reminder(self.campaign, order_id, self._value("subject"), self._body())
        except REPORTED as error:
            preview.update(literal_lines(_("(no preview: {reason})").format(reason=describe(error))))
            return
        preview.update(literal_lines(_("Subject: {subject}").format(subject=subject) + "\n\n" + body.rstrip()))

    @on(Input.Submitted)
    def action_save(self, submitted: Input.Submitted | None = None) -> None:
        self.submitted = submitted
        self._show_error("form", "")
        if self._checked({
            "name": lambda: campaigns.campaign_name(self._value("name"), renamed=self.campaign),
            "delay": lambda: campaigns.reminder_delay(self._value("delay")),
            "subject": lambda: check_subject(self._value("subject")),
            "body": lambda: check_body(self._body()),
        }):
            self._saved(lambda: campaigns.change_settings(
                self.campaign, self._value("name"), self._value("delay"), self._value("subject"), self._body()))

