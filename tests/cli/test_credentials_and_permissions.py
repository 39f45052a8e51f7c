"""Credentials never reach the screen or errors.log, and what shiptui creates (the
database and its -wal/-shm, errors.log and its folder) gives "other" no permission."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from shiptui.cli import fulfillment_commands, main
from shiptui.config import redacted
from shiptui.storage import close_database, open_database


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def log_dir(tmp_path, monkeypatch):
    """Where errors.log goes (platformdirs follows XDG_STATE_HOME)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "shiptui" / "log"


@pytest.mark.parametrize("text, shown", [
    ("postgresql://ops:s3cret@db.internal/shiptui", "postgresql://ops:***@db.internal/shiptui"),
    ("--db=postgres://ops:p@ss/w0rd@db:5432/x", "--db=postgres://ops:***@db:5432/x"),
    ("smtp+starttls://team:hunter2@mail.example:587", "smtp+starttls://team:***@mail.example:587"),
    ("postgresql://db/x?sslmode=require&password=s3cret", "postgresql://db/x?sslmode=require&password=***"),
    ("host=db password=s3cret user=ops", "host=db password=*** user=ops"),
    ("postgresql://ops@db.internal/shiptui", "postgresql://ops@db.internal/shiptui"),
    ("https://track.example/?id=1:2 at http://host:8080/path", "https://track.example/?id=1:2 at http://host:8080/path"),
])
def test_redaction_hides_every_password_and_nothing_else(text, shown):
    assert redacted(text) == shown


def test_an_internal_error_shows_and_logs_no_database_password(
    monkeypatch, capsys, log_dir, umask_022
):
    def bug(args):
        raise RuntimeError("lost postgresql://ops:s3cret@db.internal/shiptui")

    monkeypatch.setattr(fulfillment_commands, "list_campaigns", bug)
    argv = ["--db", "postgresql://ops:s3cret@db.internal/shiptui", "campaigns"]
    monkeypatch.setattr(sys, "argv", ["shiptui", *argv])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("shiptui: internal error: RuntimeError: lost postgresql://ops:***@db.internal/shiptui")
    log = (log_dir / "errors.log").read_text()
    assert "s3cret" not in log and "'postgresql://ops:***@db.internal/shiptui'" in log
    assert "RuntimeError" in log
    assert mode(log_dir / "errors.log") == 0o600 and mode(log_dir) == 0o700


def test_an_old_world_readable_log_is_closed_up_and_a_planted_link_not_followed(monkeypatch, capsys, log_dir,
                                                                              tmp_path):
    monkeypatch.setattr(fulfillment_commands, "list_campaigns", lambda args: 1 / 0)
    log_dir.mkdir(parents=True)
    (log_dir / "errors.log").write_text("before\n")
    os.chmod(log_dir / "errors.log", 0o644)
    main(["--db", str(tmp_path / "x.sqlite3"), "campaigns"])
    assert mode(log_dir / "errors.log") == 0o600
    capsys.readouterr()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (log_dir / "errors.log").unlink()
    (log_dir / "errors.log").symlink_to(victim)
    assert main(["--db", str(tmp_path / "x.sqlite3"), "campaigns"]) == 1
    assert victim.read_text() == "precious\n"
    assert "details in" not in capsys.readouterr().err  # no log, still one line


def test_an_unsupported_database_url_is_named_without_its_password(capsys):
    assert main(["--db", "mysql://ops:s3cret@db/x", "campaigns"]) == 1
    err = capsys.readouterr().err
    assert "s3cret" not in err and "unsupported database URL 'mysql://ops:***@db/x'" in err


def test_an_unreachable_postgresql_is_named_without_its_password(capsys):
    assert main(["--db", "postgresql://ops:s3cret@127.0.0.1:1/x", "campaigns"]) == 1
    err = capsys.readouterr().err
    assert "s3cret" not in err and "cannot open the database at postgresql://ops:***@127.0.0.1:1/x" in err


def test_a_new_database_and_its_wal_and_shm_give_other_nothing(tmp_path, umask_022):
    path = tmp_path / "campaigns.sqlite3"
    open_database(str(path))
    try:
        for name in ("campaigns.sqlite3", "campaigns.sqlite3-wal", "campaigns.sqlite3-shm"):
            assert mode(tmp_path / name) == 0o640, name
    finally:
        close_database()


def test_the_command_gives_other_nothing_on_what_it_creates(tmp_path):
    """The shiptui process, started under umask 022: the folders it makes for the database too."""
    location = tmp_path / "new" / "folder" / "campaigns.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "shiptui", "--db", str(location), "new-campaign", "Spring"],
        capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.umask(0o022),
    )
    assert result.returncode == 0, result.stderr
    assert mode(location) == 0o640
    assert mode(tmp_path / "new") == 0o750 and mode(tmp_path / "new" / "folder") == 0o750
