"""Files shiptui writes (exports, error tables) never follow a planted link, never replace
a special file, appear whole or not at all, and give "other" no permission."""

from __future__ import annotations

import os
import stat

import pytest

from shiptui.cli import main
from shiptui.errors import RejectedInput
from shiptui.services.files import TargetExists, replacing, unused_path
from tests.csv.conftest import db_dump

SLUG = "spring-serum-sampling"


def run(capsys, db_location, *args):
    code = main(["--db", db_location, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def victim(tmp_path):
    """A file an attacker would like overwritten."""
    path = tmp_path / "victim.txt"
    path.write_text("precious\n")
    return path


@pytest.fixture
def fifo(tmp_path):
    """A named pipe with a reader, so that a write into it (the bug) fails a test, not hangs it."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    yield path
    os.close(reader)


def leftovers(folder) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.endswith(".partial")]


def test_export_refuses_a_symlink_target(campaign, db_location, capsys, tmp_path, victim):
    link = tmp_path / "list.csv"
    link.symlink_to(victim)
    code, _, err = run(capsys, db_location, "export", SLUG, "-o", str(link))
    assert code == 1
    assert err == (f"shiptui: {link} is a symbolic link: shiptui does not write through links; "
                   "give the path of a regular file (nothing was written)\n")
    assert victim.read_text() == "precious\n" and link.is_symlink()
    assert leftovers(tmp_path) == []


def test_export_does_not_follow_a_link_planted_at_the_old_temporary_name(campaign, db_location, capsys,
                                                                         tmp_path, victim):
    (tmp_path / ".list.csv.partial").symlink_to(victim)
    code, _, _ = run(capsys, db_location, "export", SLUG, "-o", str(tmp_path / "list.csv"))
    assert code == 0
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "list.csv").read_text(encoding="utf-8-sig").count("\n") == 7


def test_export_refuses_a_fifo_and_leaves_it(campaign, db_location, capsys, fifo):
    code, _, err = run(capsys, db_location, "export", SLUG, "-o", str(fifo))
    assert code == 1 and "is not a regular file (a pipe, device or socket)" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_refuses_a_folder(campaign, db_location, capsys, tmp_path):
    code, _, err = run(capsys, db_location, "export", SLUG, "-o", str(tmp_path))
    assert code == 1 and f"{tmp_path} is a folder" in err


def test_export_replaces_a_regular_file_whole_only_with_force(campaign, db_location, capsys, tmp_path):
    target = tmp_path / "list.csv"
    target.write_text("old list\n")
    code, out, err = run(capsys, db_location, "export", SLUG, "-o", str(target))
    assert code == 1 and out == ""
    assert err == f"shiptui: {target} exists: nothing was written; give another file, or --force to replace it\n"
    assert target.read_text() == "old list\n" and leftovers(tmp_path) == []
    code, out, _ = run(capsys, db_location, "export", SLUG, "-o", str(target), "--force")
    assert code == 0 and out.endswith(f" to {target}\n")
    assert target.read_text(encoding="utf-8-sig").startswith("Order ID,")
    assert leftovers(tmp_path) == []


def test_a_file_that_appears_during_the_write_is_never_replaced(tmp_path):
    target = tmp_path / "list.csv"
    with pytest.raises(TargetExists, match="list.csv exists: nothing was overwritten"):
        with replacing(target, replace=False) as out:
            out.write("the new list")
            target.write_text("someone else's list\n")
    assert target.read_text() == "someone else's list\n" and leftovers(tmp_path) == []


def test_a_free_name_counts_on_past_existing_files_and_links(tmp_path):
    (tmp_path / "list.csv").write_text("x")
    (tmp_path / "list-2.csv").symlink_to(tmp_path / "nowhere")
    assert unused_path(tmp_path / "list.csv") == tmp_path / "list-3.csv"
    assert unused_path(tmp_path / "other.csv") == tmp_path / "other.csv"


def test_saved_errors_refuse_a_planted_link_at_the_default_name(campaign, db_location, capsys, copy_file,
                                                               tmp_path, victim):
    path = copy_file("bad_urls.csv")
    (tmp_path / "bad_urls-errors.csv").symlink_to(victim)
    before = db_dump()
    code, out, err = run(capsys, db_location, "import", SLUG, str(path), "--save-errors")
    assert code == 1 and "is a symbolic link" in err and "problems saved" not in out
    assert victim.read_text() == "precious\n"
    assert db_dump() == before


def test_saved_errors_refuse_a_fifo(campaign, db_location, capsys, copy_file, fifo):
    path = copy_file("bad_urls.csv")
    code, _, err = run(capsys, db_location, "import", SLUG, str(path), "--save-errors", str(fifo))
    assert code == 1 and "is not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "list.csv"
    target.write_text("old list\n")
    with pytest.raises(ZeroDivisionError):
        with replacing(target) as out:
            out.write("half a list")
            1 / 0
    assert target.read_text() == "old list\n"
    assert leftovers(tmp_path) == []


def test_an_unwritable_folder_is_a_message(tmp_path):
    with pytest.raises(RejectedInput, match="cannot write .*missing/list.csv: No such file or directory"):
        with replacing(tmp_path / "missing" / "list.csv") as out:
            out.write("x")


def test_exports_and_error_tables_give_other_no_permission(campaign, db_location, capsys, copy_file,
                                                           tmp_path, umask_022):
    target = tmp_path / "list.csv"
    run(capsys, db_location, "export", SLUG, "-o", str(target))
    run(capsys, db_location, "import", SLUG, str(copy_file("bad_urls.csv")), "--save-errors")
    for path in (target, tmp_path / "bad_urls-errors.csv"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
