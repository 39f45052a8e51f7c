"""Writing the files shiptui hands to the operator (exports, error tables) safely.

A file is written beside its target under a random name created exclusively, never
through a link, and renamed over the target only once it is complete: a planted
symlink, FIFO or device is refused, not followed or replaced, and a failed write leaves
nothing behind. An existing file is replaced only when the caller says so (the operator
did: `--force`, a confirmation). New files give "other" no permission (the umask may take more).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from shiptui.errors import RejectedInput
from shiptui.i18n import _

FILE_MODE = 0o660  # the group bits serve the operators' shared group (see README)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class TargetExists(RejectedInput):
    """The file to write exists and the operator has not said to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("{path} exists: nothing was overwritten").format(path=path))
        self.path = path


def unused_path(path: str | Path) -> Path:
    """`path`, or where it exists (a link too) the first free name with a counter before
    the suffix: list.csv, list-2.csv, list-3.csv."""
    path = Path(path).expanduser()
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def _refuse_unsafe_target(target: Path) -> None:
    """Raise unless `target` is absent or a regular file (a link is never written through)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise _cannot_write(target, error) from None
    if stat.S_ISLNK(mode):
        raise RejectedInput(
            _("{path} is a symbolic link: shiptui does not write through links; "
              "give the path of a regular file (nothing was written)").format(path=target)
        )
    if not stat.S_ISREG(mode):
        what = (_("{path} is a folder: give the path of a regular file (nothing was written)")
                if stat.S_ISDIR(mode) else
                _("{path} is not a regular file (a pipe, device or socket): give the path of a regular file "
                  "(nothing was written)"))
        raise RejectedInput(what.format(path=target))


def _cannot_write(target: Path, error: OSError) -> RejectedInput:
    return RejectedInput(_("cannot write {path}: {reason}: choose another file or folder").format(
        path=target, reason=error.strerror or error))


def _create_temporary(target: Path) -> tuple[int, Path]:
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.partial")
        try:
            return os.open(temporary, _CREATE, FILE_MODE), temporary
        except FileExistsError:  # a name taken (by chance or by someone): draw another
            continue


def _move_into_place(temporary: Path, target: Path, replace: bool) -> None:
    if replace:
        # rename replaces a link planted since the check, never what it points at
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)  # fails if the target appeared meanwhile: never replaced
    except FileExistsError:
        raise TargetExists(target) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        if os.path.lexists(target):  # a file system without hard links: check, then rename
            raise TargetExists(target) from None
        os.rename(temporary, target)
        return
    temporary.unlink()


@contextmanager
def replacing(path: str | Path, *, encoding: str = "utf-8", replace: bool = True) -> Iterator[TextIO]:
    """A text file (newline="") that becomes `path` when the block ends without an error.

    Raises RejectedInput naming the path when it is a link or a special file, or cannot
    be written, and TargetExists when it exists and `replace` is false; the target is
    then untouched.
    """
    target = Path(path).expanduser()
    _refuse_unsafe_target(target)
    if not replace and os.path.lexists(target):
        raise TargetExists(target)
    temporary = None
    try:
        descriptor, temporary = _create_temporary(target)
        with open(descriptor, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        _move_into_place(temporary, target, replace)
        temporary = None
    except OSError as error:
        raise _cannot_write(target, error) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
