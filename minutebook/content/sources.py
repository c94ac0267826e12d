"""Sources: the only reads of `content/`: every Markdown file as normalised text with its digest."""

from __future__ import annotations

import hashlib
import operator
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import filekinds
from ..diagnostics import Diagnostics

MAX_SOURCE_BYTES = 4 * 1024 * 1024
ONLY_MARKDOWN = "only Markdown files are read"
OUTSIDE = f"is a link to somewhere outside content/; {filekinds.REFUSED_LINK}"


@dataclass(frozen=True)
class Source:
    path: str  # relative to the project root, with forward slashes, e.g. content/committees/x/committee.md
    text: str
    digest: str


Stamp = tuple[int, int, int]  # size, modification time (ns) and inode: a file with the same stamp was not changed


def read_all(content_dir: Path, root: Path, diagnostics: Diagnostics) -> list[Source]:
    """Read every .md file under content/, refusing links that leave it and anything that is not a regular file."""
    found = [read_one(path, rel, diagnostics) for rel, (path, _) in listing(content_dir, root, diagnostics).items()]
    return [source for source in found if source is not None]


def listing(content_dir: Path, root: Path, diagnostics: Diagnostics) -> dict[str, tuple[str, Stamp | None]]:
    """Every Markdown file under content/ that may be read, by its path from the project root, with its stamp.

    Nothing is opened. A file reached through a link (inside content/) has no stamp: its own may not change
    when the file it leads to does, so it is always read. Paths are strings until a file is kept: an archive
    holds tens of thousands, and this runs on every build; each comes with the path to read it by.
    """
    if why := filekinds.folder_problem(content_dir, "expected a content/ folder holding the papers"):
        diagnostics.error(_rel(content_dir, root), 0, why)
        return {}
    content_real = content_dir.resolve()
    prefix = _rel(content_dir, root)
    found: dict[str, tuple[str, Stamp | None]] = {}
    walked: list[tuple[str, os.DirEntry[str]]] = []
    _walk(str(content_dir), "", walked)
    for inner, entry in walked:
        if filekinds.is_editor_temporary(entry.name):
            continue  # not the clerk's (Emacs's lock '.#x.md' is even a link to nowhere); .gitkeep, .DS_Store too
        rel = f"{prefix}/{inner}"
        why, status = _examine(entry, content_real)
        if why is not None:
            diagnostics.error(rel, 0, why)
            continue
        if not entry.name.endswith(".md"):
            diagnostics.warning(rel, 0, "is not a Markdown (.md) file and is ignored")
            continue
        stamp = None if status is None else (status.st_size, status.st_mtime_ns, status.st_ino)
        found[rel] = (entry.path, stamp)
    return found


def restamp(root: Path, rel: str) -> Stamp | None:
    """The stamp of one file a listing found as a plain Markdown file, looked at again (lstat, never opened);
    None when it is no longer one (gone, a folder, a link…), and only a whole listing can say what it is now."""
    try:
        status = os.lstat(root / rel)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def _walk(folder: str, inner: str, walked: list[tuple[str, os.DirEntry[str]]]) -> None:
    """Every file and every link to a folder (by its path inside content/), without following links: a loop
    of folders cannot trap it. Hidden folders (.git) are not entered.

    Each folder's entries are taken by name, so the paths come in order of their parts (a folder "b" before a
    file "b.md"), the same on every machine, without sorting the archive's paths afterwards."""
    try:
        with os.scandir(folder) as listed:
            entries = sorted(listed, key=operator.attrgetter("name"))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                _walk(entry.path, f"{inner}{entry.name}/", walked)
        else:
            walked.append((f"{inner}{entry.name}", entry))  # a file, a link (to a file, a folder or nowhere), a pipe…


def _examine(entry: os.DirEntry[str], content_real: Path) -> tuple[str | None, os.stat_result | None]:
    """Why a path the walk found is not read (or None), and its own status when it is a plain file, not a link.

    It is looked at (lstat, stat), never opened.
    """
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}", None
    if not stat.S_ISLNK(status.st_mode):
        return filekinds.not_regular(status.st_mode, ONLY_MARKDOWN), status  # the walk follows no links: inside
    return refusal(Path(entry.path), content_real), None


def refusal(path: Path, content_real: Path) -> str | None:
    """Why a path the walk found is not read, or None: it is looked at (lstat, stat), never opened."""
    target = filekinds.leads_to(path, content_real, ONLY_MARKDOWN, OUTSIDE)
    if not isinstance(target, Path):
        return target
    if target.is_dir():
        holds = filekinds.inside(path.parent.resolve(), target)
        what = "a folder that holds it (a loop)" if holds else "a folder, which is not followed"
        return f"is a link to {what}; {filekinds.REFUSED_LINK}"
    return filekinds.problem(target, ONLY_MARKDOWN)


def read_one(path: Path | str, rel: str, diagnostics: Diagnostics) -> Source | None:
    """Read one file; a BOM or CRLF line endings make no difference to the result. Never waits on a pipe."""
    try:
        raw = filekinds.read(Path(path), MAX_SOURCE_BYTES, ONLY_MARKDOWN)
    except filekinds.TooLarge as exc:
        limit = MAX_SOURCE_BYTES // (1024 * 1024)
        diagnostics.error(
            rel,
            0,
            f"is {exc.size / (1024 * 1024):.1f} MB, more than the {limit} MB a document may be; "
            "split it into a paper and appendices",
        )
        return None
    except filekinds.Refused as exc:
        diagnostics.error(rel, 0, str(exc))
        return None
    except OSError as exc:
        diagnostics.error(rel, 0, f"cannot be read: {exc.strerror}")
        return None
    return decode(raw, rel, diagnostics)


def decode(raw: bytes, rel: str, diagnostics: Diagnostics) -> Source | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diagnostics.error(rel, line, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return Source(rel, text, hashlib.sha256(text.encode()).hexdigest())


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
