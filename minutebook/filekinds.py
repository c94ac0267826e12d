"""File kinds: only regular files are read; a named pipe, socket or device is refused before it is opened.

Opening a named pipe waits for a writer that never comes, so one left in
content/, templates/ or as site.toml would hang a build; a loop of symbolic
links makes every path operation fail with an exception. Both become a
sentence for the clerk instead.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

REFUSED_LINK = "such links are refused"
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class Refused(Exception):
    """A file that is not read, with the reason worded for the clerk ("is not a regular file (a named pipe)")."""


class TooLarge(Exception):
    """A file larger than the caller's limit; `size` is what was found, in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def kind(mode: int) -> str:
    """What a file that is not regular is, in words ("a named pipe"); "" for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    return next((name for test, name in _KINDS if test(mode)), "something other than a file")


def not_regular(mode: int, only: str) -> str | None:
    """'is not a regular file (a named pipe); <only>' for anything but a regular file, else None."""
    found = kind(mode)
    return f"is not a regular file ({found}); {only}" if found else None


def unreachable(exc: OSError) -> str:
    """Why a link cannot be followed, from the error following it gave."""
    if exc.errno == errno.ELOOP:
        return f"is a link that leads back to itself (a loop of links); {REFUSED_LINK}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"is a link to something that does not exist; {REFUSED_LINK}"
    return f"cannot be read: {exc.strerror}"


def problem(path: Path, only: str) -> str | None:
    """Why `path` (a link is followed) cannot be read as a file, or None; it is never opened to find out.

    A missing file that is not a link raises FileNotFoundError, for the caller to word.
    """
    try:
        status = path.stat()
    except OSError as exc:
        if not path.is_symlink():
            raise
        return unreachable(exc)
    return not_regular(status.st_mode, only)


def folder_problem(path: Path, expected: str) -> str | None:
    """Why `path` is not a folder that can be listed ('expected …, found none' or the link's loop), or None."""
    try:
        status = path.stat()
    except OSError as exc:
        if path.is_symlink():
            return unreachable(exc)
        return f"{expected}, found none" if exc.errno == errno.ENOENT else f"cannot be read: {exc.strerror}"
    return None if stat.S_ISDIR(status.st_mode) else f"{expected}, found {kind(status.st_mode)}"


def read(path: Path, limit: int, only: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Raises Refused, TooLarge or OSError.

    The kind is checked before opening and again on the open file (it may be
    replaced in between); the open never waits, whatever the file turned into.
    """
    if (why := problem(path, only)) is not None:
        raise Refused(why)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if (why := not_regular(status.st_mode, only)) is not None:
            raise Refused(why)
        if status.st_size > limit:
            raise TooLarge(status.st_size)
        os.set_blocking(descriptor, True)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


def leads_to(path: Path, folder_real: Path, only: str, outside: str) -> str | Path | None:
    """Where an entry found in `folder_real` leads, looked at and never opened: None for a regular file, the
    resolved target of a link that stays inside the folder, or why it must not be read (a string)."""
    try:
        status = path.lstat()
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISLNK(status.st_mode):
        return not_regular(status.st_mode, only)  # a walk that follows no links found it: it is inside
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        return unreachable(exc)
    return target if inside(target, folder_real) else outside


def inside(target: Path, folder: Path) -> bool:
    """Whether the resolved `target` lies within the resolved `folder`."""
    return target == folder or folder in target.parents


EDITOR_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", "___jb_tmp___", "___jb_old___")


def is_editor_temporary(name: str) -> bool:
    """An editor's swap, backup, lock or save-in-progress file ('.x.md.swp', 'x.md~', '.#x.md', '#x.md#', vim's
    '4913'): never a paper, so it is neither read nor reported, and saving one is no change."""
    return name.startswith((".", "#")) or name.endswith(EDITOR_SUFFIXES) or name == "4913"
