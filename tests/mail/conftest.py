"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives and answers
as a test scripts it; and helpers to ship orders and make their reminders due."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from shiptui import clock
from shiptui.services.fulfillment import mark_shipped
from shiptui.services.mail.smtp_config import SmtpConfig
from shiptui.services.orders import OrderTarget, resolve_order_keys
from shiptui.storage import Campaign
from tests.conftest import FIXED_NOW

SENDER = "Sampling Team <team@brand.example>"
REPLY_TO = "help@brand.example"
# Reminders of orders shipped at the fixed test time (7 days' delay) are due after this.
DUE = "2026-03-23T12:00:00+01:00"
DROP = "drop the connection"  # a scripted DATA answer: no answer at all
UNSUBSCRIBE = "mailto:unsubscribe@brand.example https://brand.example/unsubscribe?e=$email&o=$order_id"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    accepted: bool
    tls: bool = False  # did it arrive over TLS (STARTTLS or SMTPS)

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def text(self) -> str:
        """The plain-text part, as a mail client shows it."""
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


@dataclass
class Handler:
    """Answers RCPT and DATA from the scripted queues (else 250) and records every DATA."""

    rcpt_answers: deque = field(default_factory=deque)
    data_answers: deque = field(default_factory=deque)
    delay: float = 0.0  # seconds between receiving a message and answering it
    received: list[Received] = field(default_factory=list)
    on_data: object = None  # called (in the server's thread) with each received message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_answers:
            return self.rcpt_answers.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = self.data_answers.popleft() if self.data_answers else "250 2.0.0 queued"
        if answer == DROP:  # the connection breaks before the server answers
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          envelope.original_content, accepted=False))
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        entry = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                         answer.startswith("250"),
                         tls=session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None)
        self.received.append(entry)
        if self.on_data is not None:
            self.on_data(entry)
        if self.delay:
            await asyncio.sleep(self.delay)
        return answer

    @property
    def delivered(self) -> list[Received]:
        return [entry for entry in self.received if entry.accepted]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int | None = None, **controller_options):
        self.port = port or free_port()
        self.handler = Handler()
        self._options = controller_options
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def config(self, **changes) -> SmtpConfig:
        return SmtpConfig("smtp", "127.0.0.1", self.port, SENDER, REPLY_TO, **{"timeout": 5, **changes})

    def start(self) -> "SmtpServer":
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **self._options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.handler.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the server received {len(self.handler.received)} of {count} messages")
            time.sleep(0.01)


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_env(monkeypatch, smtp_server, due_clock):
    """The relay and sender configured, at a time the reminders of Monday's shipments are due."""
    monkeypatch.setenv("SHIPTUI_SMTP_URL", smtp_server.url)
    monkeypatch.setenv("SHIPTUI_MAIL_FROM", SENDER)
    monkeypatch.setenv("SHIPTUI_MAIL_UNSUBSCRIBE", UNSUBSCRIBE)
    for name in ("SHIPTUI_SMTP_PASSWORD", "SHIPTUI_SMTP_PASSWORD_FILE", "SHIPTUI_MAIL_REPLY_TO",
                 "SHIPTUI_MAIL_RATE", "SHIPTUI_DKIM_KEY_FILE", "SHIPTUI_DKIM_SELECTOR"):
        monkeypatch.delenv(name, raising=False)
    return smtp_server


def ship(campaign: Campaign, *keys: str, operator: str = "alice", at: str | None = FIXED_NOW):
    """Mark orders shipped, by default on the tests' Monday (whatever the clock says now)."""
    with clock.freeze(at or clock.now()):
        return mark_shipped(
            campaign, OrderTarget.of_ids(resolve_order_keys(campaign, list(keys))), operator=operator
        )


@pytest.fixture
def due_clock():
    """The clock a week and a bit later, when the reminders of today's shipments are due."""
    with clock.freeze(DUE) as moment:
        yield moment


def later(moment, **delta):
    return clock.freeze(moment + timedelta(**delta))


def run_in_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread
