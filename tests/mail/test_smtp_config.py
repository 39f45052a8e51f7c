"""Reading the relay's URL, login and addresses; the password is never shown."""

from __future__ import annotations

import pytest

from shiptui.errors import RejectedInput
from shiptui.services.mail.smtp_config import smtp_config

SECRET = "s3cr3t-pa55"
BASE = {"SHIPTUI_MAIL_FROM": "Sampling Team <team@brand.example>"}


@pytest.mark.parametrize(
    ("url", "scheme", "host", "port", "user"),
    [
        ("smtp://127.0.0.1", "smtp", "127.0.0.1", 25, ""),
        ("smtp://relay.example:2525", "smtp", "relay.example", 2525, ""),
        ("smtp+starttls://ops%40brand@mail.example", "smtp+starttls", "mail.example", 587, "ops@brand"),
        ("smtps://ops@mail.example:4650", "smtps", "mail.example", 4650, "ops"),
    ],
)
def test_the_url_gives_scheme_host_port_and_user(url, scheme, host, port, user):
    config = smtp_config(url, environ={**BASE, "SHIPTUI_SMTP_PASSWORD": SECRET if user else ""})
    assert (config.scheme, config.host, config.port, config.username) == (scheme, host, port, user)
    assert config.envelope_sender == "team@brand.example"


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        ("", {}, "no SMTP relay configured: set SHIPTUI_SMTP_URL"),
        ("http://mail.example", {}, "must start with smtp://, smtp\\+starttls://, smtps://"),
        ("smtp://", {}, "names no host"),
        ("smtp://mail.example:99999", {}, "not valid"),
        (f"smtp://ops:{SECRET}@mail.example", {}, "contains a password"),
        ("smtp://mail.example/inbox", {}, "has a path"),
        ("smtp://ops@mail.example", {}, "names user 'ops' but no password"),
        ("smtp://mail.example", {"SHIPTUI_SMTP_PASSWORD": SECRET}, "the SMTP URL names no user"),
        ("smtp://ops@mail.example", {"SHIPTUI_SMTP_PASSWORD": SECRET}, "would send the password unencrypted: use smtp\\+starttls://ops@mail.example:587"),
        ("smtp://mail.example", {"SHIPTUI_MAIL_FROM": ""}, "no sender address configured"),
        ("smtp://mail.example", {"SHIPTUI_MAIL_FROM": "team"}, "'team' is not one email address"),
        ("smtp://mail.example", {"SHIPTUI_MAIL_REPLY_TO": "a@b.example, c@d.example"}, "the reply-to address"),
    ],
)
def test_bad_configuration_is_named_without_showing_the_password(url, environ, message):
    with pytest.raises(RejectedInput, match=message) as error:
        smtp_config(url, environ={**BASE, **environ})
    assert SECRET not in str(error.value)


def test_the_password_comes_from_a_file_and_never_shows_in_the_config(tmp_path):
    secret_file = tmp_path / "password"
    secret_file.write_text(f"{SECRET}\n", encoding="utf-8")
    config = smtp_config(
        "smtp+starttls://ops@mail.example",
        environ={**BASE, "SHIPTUI_SMTP_PASSWORD_FILE": str(secret_file), "SHIPTUI_SMTP_PASSWORD": "other"},
    )
    assert config.password == SECRET  # the file wins over the variable
    assert SECRET not in repr(config) and SECRET not in config.describe()
    assert config.describe() == "smtp+starttls://ops@mail.example:587"


def test_an_unreadable_password_file_is_named(tmp_path):
    with pytest.raises(RejectedInput, match="cannot read the SMTP password file"):
        smtp_config("smtp+starttls://ops@mail.example", password_file=str(tmp_path / "missing"), environ=BASE)
    empty = tmp_path / "empty"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RejectedInput, match="is empty"):
        smtp_config("smtp+starttls://ops@mail.example", password_file=str(empty), environ=BASE)


def test_flags_beat_the_environment():
    config = smtp_config(
        "smtp://flag.example", sender="Flag <flag@brand.example>", reply_to="r@brand.example",
        environ={**BASE, "SHIPTUI_SMTP_URL": "smtp://env.example", "SHIPTUI_MAIL_REPLY_TO": "x@y.example"},
    )
    assert (config.host, config.sender, config.reply_to) == (
        "flag.example", "Flag <flag@brand.example>", "r@brand.example",
    )


def test_a_login_in_clear_is_allowed_only_to_a_relay_on_this_machine():
    for host in ("127.0.0.1", "localhost", "[::1]"):
        config = smtp_config(f"smtp://ops@{host}:2525", environ={**BASE, "SHIPTUI_SMTP_PASSWORD": SECRET})
        assert config.password == SECRET
