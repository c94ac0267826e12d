"""What every kind of `new` shares: its refusals, exclusive writes, and the checks of --committee, --date and --item.

A refusal is one line saying why, raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import filekinds
from ..content import frontmatter
from ..content.schema import ITEM_RE
from ..content.sources import MAX_SOURCE_BYTES
from ..diagnostics import Diagnostics, did_you_mean

DRAFT_NOTE = (
    "# 'draft: true' keeps this {what} off the public site; the preview (python build.py serve) shows it\n"
    '# marked "Draft — not published". Delete the line when it is ready to publish.\n'
)

Created = tuple[list[Path], list[str]]  # the files written, and notes for the clerk


class Refused(Exception):
    """The command would overwrite something or cannot know where the file belongs."""


@dataclass(frozen=True)
class Meeting:
    """What a new file needs to know about an existing meeting folder."""

    folder: Path
    committee: str
    day: dt.date


def date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise Refused(f"--date expects a date written YYYY-MM-DD, found {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"--date {text} is not a real date") from None


def committee_folder(root: Path, slug: str) -> Path:
    committees = root / "content" / "committees"
    folder = committees / slug
    if (folder / "committee.md").is_file():
        return folder
    known = sorted(p.parent.name for p in committees.glob("*/committee.md"))
    if not known:
        raise Refused(
            f"no committee '{slug}': there are no committees yet; create one first with "
            f'python build.py new committee --slug {slug} --name "…"'
        )
    raise Refused(f"no committee '{slug}'{did_you_mean(slug, known)}; the committees are: {', '.join(known)}")


def existing_meeting(root: Path, committee: str, day: dt.date, folder: Path) -> Meeting:
    if not (folder / "meeting.md").is_file():
        raise Refused(
            f"no meeting of '{committee}' on {day.isoformat()}: create it first with "
            f"python build.py new meeting --committee {committee} --date {day.isoformat()}"
        )
    return Meeting(folder, committee, day)


def meeting(root: Path, committee: str, text: str) -> Meeting:
    """The meeting named by --committee and --date, which must exist."""
    day = date(text)
    return existing_meeting(root, committee, day, committee_folder(root, committee) / day.isoformat())


def item(text: str) -> str:
    match = ITEM_RE.match(text.strip().lower())
    if not match:
        raise Refused(f"--item expects an agenda item number such as 4 or 4a, found {text!r}")
    return match.group(1) + match.group(2)


def write(path: Path, text: str) -> Path:
    """Exclusive creation: if the file exists, even one created a moment ago, it is left alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Refused(f"{shown(path)} already exists; nothing was written") from None
    return path


def shown(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index("content") :]) if "content" in parts else str(path)


def relative(path: Path, root: Path) -> str:
    """A path as the clerk can find it: from the council's folder, or from where they are."""
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return Path(os.path.relpath(path)).as_posix()


def front_matter(path: Path) -> dict:
    """The plain front matter of an existing file, or {} when it cannot be read (the build reports why)."""
    try:
        text = read_text(path)
    except UnicodeDecodeError:
        return {}
    value = frontmatter.load(frontmatter.split(text), path.name, Diagnostics())
    plain = value.plain if value is not None else None
    return plain if isinstance(plain, dict) else {}


def yaml_scalar(value: str | bool | int) -> str:
    """A YAML scalar that reads back exactly as given (a title may hold a colon or a quote)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def long_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def read_text(path: Path, errors: str = "strict") -> str:
    """A file's text, or "" when it is not a regular file that can be read (a pipe is never opened)."""
    try:
        return filekinds.read(path, MAX_SOURCE_BYTES, "").decode("utf-8", errors=errors)
    except (OSError, filekinds.Refused, filekinds.TooLarge):
        return ""
