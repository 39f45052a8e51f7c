"""Snapshots at 80x24 of the outbox screen (SVGs in snapshots/test_outbox_snapshots/)."""

from __future__ import annotations

import pytest

from shiptui.services import outbox
from tests.conftest import MEMBERS, setup_states
from tests.tui.test_outbox import with_reminders_in_every_state


@pytest.fixture
def mailed(sqlite_db, make_campaign, monkeypatch):
    # Message-IDs end in the host's name: the same one on every machine, for the snapshot.
    monkeypatch.setattr(outbox, "message_id_domain", lambda: "shiptui.test")
    return with_reminders_in_every_state(setup_states(make_campaign(12, members=[MEMBERS[i % 8] for i in range(12)])))


def test_outbox(mailed, make_app, snap_compare):
    assert snap_compare(make_app(mailed), press=["o"], terminal_size=(80, 24))


def test_outbox_failed_with_details(mailed, make_app, snap_compare):
    assert snap_compare(make_app(mailed), press=["o", "f", "enter"], terminal_size=(80, 24))
