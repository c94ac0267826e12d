"""Template files: what templates/ holds is read, or copied into the site, only as a regular file inside it.

templates/static/ is published as it is, so a link there to a file elsewhere
on the machine (/etc/passwd, a private key) would publish that file; a named
pipe would hang the build. Such entries are errors naming them, found before
anything is rendered, and the copy itself never reads them either.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .. import filekinds
from ..diagnostics import Diagnostics

ONLY = "templates/ may hold only files and folders"
OUTSIDE = f"is a link to somewhere outside templates/; {filekinds.REFUSED_LINK}"
MAX_STATIC_BYTES = 256 * 1024 * 1024  # a generous bound: fonts, images and scripts, never a disk image
PAGE_TEMPLATES = (  # every template the site's pages are drawn with (and the two they all share)
    "base.html",
    "_macros.html",
    "home.html",
    "committees.html",
    "committee.html",
    "meetings.html",
    "meeting.html",
    "pack.html",
    "paper.html",
    "redirect.html",
    "minutes.html",
    "resolution.html",
    "earlier.html",
    "register.html",
    "subjects.html",
    "subject.html",
    "search.html",
    "keep-up.html",
    "accessibility.html",
    "data.html",
    "404.html",
)
MISSING = (
    "is missing: the site's pages are drawn with it; copy it from Minutebook's own templates/ "
    "(a template added since this folder was made)"
)


def check(templates: Path, root: Path, diagnostics: Diagnostics) -> None:
    """Every entry of templates/ that is not a regular file inside it (links followed), as an error naming it."""
    if why := filekinds.folder_problem(templates, "expected a templates/ folder holding the page templates"):
        diagnostics.error(_rel(templates, root), 0, why)
        return
    inside = templates.resolve()
    for path in sorted(_walk(templates, links_to_folders=True)):
        if (why := refusal(path, inside)) is not None:
            diagnostics.error(_rel(path, root), 0, why)
    for name in PAGE_TEMPLATES:
        if not (templates / name).exists() and not (templates / name).is_symlink():
            diagnostics.error(_rel(templates / name, root), 0, MISSING)


def refusal(path: Path, templates_real: Path) -> str | None:
    """Why an entry of templates/ must not be read or copied, or None; it is looked at, never opened.

    A link to a folder inside templates/ is allowed (nothing here follows it when listing files).
    """
    target = filekinds.leads_to(path, templates_real, ONLY, OUTSIDE)
    if not isinstance(target, Path):
        return target
    return None if target.is_dir() else filekinds.problem(target, ONLY)


def static_files(folder: Path) -> dict[str, bytes]:
    """templates/static/ as output files ("static/…"): only regular files inside templates/ are read."""
    if not folder.is_dir():
        return {}
    templates_real = folder.parent.resolve()
    files = {}
    for path in sorted(_walk(folder, links_to_folders=False)):
        if refusal(path, templates_real) is not None:
            continue  # check() has reported it
        try:
            data = filekinds.read(path, MAX_STATIC_BYTES, ONLY)
        except (OSError, filekinds.Refused, filekinds.TooLarge):
            continue  # replaced or removed since check(): the next build reports it
        files["static/" + path.relative_to(folder).as_posix()] = data
    return files


def _walk(folder: Path, *, links_to_folders: bool) -> Iterator[Path]:
    """Every file (links, pipes and loops included) under `folder`, following no link; hidden entries aside."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        if links_to_folders:
            yield from (here / name for name in dirnames if (here / name).is_symlink() and not name.startswith("."))
        yield from (here / name for name in filenames if not name.startswith("."))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
