"""STARTTLS and SMTPS with certificate verification, against a real server with its own cert."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from aiosmtpd.smtp import AuthResult

from shiptui.services.mail.sender import Sender
from shiptui.storage import Reminder, ReminderStatus

from tests.mail.conftest import SENDER, SmtpServer, ship
from shiptui.services.mail.smtp_config import SmtpConfig

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", context


@pytest.fixture
def trusted(certificate, monkeypatch):
    """The client trusts the server's certificate, as it would a relay's public one."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def config(server: SmtpServer, scheme: str, **extra) -> SmtpConfig:
    return SmtpConfig(scheme, "127.0.0.1", server.port, SENDER, timeout=5, **extra)


def test_starttls_with_login_delivers_over_tls(db, make_campaign, certificate, trusted, due_clock):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append(session.ssl is not None)
        return AuthResult(success=auth_data.password == b"pa55")

    # aiosmtpd refuses AUTH before STARTTLS by default: a login proves TLS came first.
    server = SmtpServer(tls_context=certificate[1], require_starttls=True, authenticator=authenticator).start()
    try:
        ship(make_campaign(1), "SO-1")
        report = Sender(config(server, "smtp+starttls", username="ops", password="pa55")).send_due()
        assert report.sent == 1, report
        assert logins == [True] and [entry.tls for entry in server.handler.delivered] == [True]
    finally:
        server.stop()


def test_smtps_delivers_over_tls(db, make_campaign, certificate, trusted, due_clock):
    server = SmtpServer(ssl_context=certificate[1]).start()
    try:
        ship(make_campaign(1), "SO-1")
        assert Sender(config(server, "smtps")).send_due().sent == 1
        assert [entry.tls for entry in server.handler.delivered] == [True]
    finally:
        server.stop()


def test_an_untrusted_certificate_sends_nothing_and_keeps_the_reminder(
    db, make_campaign, certificate, due_clock, monkeypatch, tmp_path
):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    server = SmtpServer(tls_context=certificate[1], require_starttls=True).start()
    try:
        ship(make_campaign(1), "SO-1")
        report = Sender(config(server, "smtp+starttls")).send_due()
        assert report.sent == 0 and "CERTIFICATE_VERIFY_FAILED" in report.relay_errors[0]
        row = Reminder.get()
        assert row.status == ReminderStatus.QUEUED and "CERTIFICATE_VERIFY_FAILED" in row.last_error
        assert server.handler.received == []
    finally:
        server.stop()
