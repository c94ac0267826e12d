"""Starting a council: `new site` writes site.toml, the default templates and content/; `new committee` a committee.

A new site builds as it is: site.toml holds only settings that need no file
or fact the council has not given yet (no logo, no contact details, and no
[publication] section, so an English council relies on paragraphs 1-7 of
Schedule 12A). The templates are copied from Minutebook's own: the package's
copy when it carries one, else the templates/ folder beside the package in a
checkout of the repository.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from .. import textcheck
from ..content.consistency import RESERVED_COMMITTEE_SLUGS
from ..content.schema import SLUG_RE
from ..content.settings import base_url
from .scaffold_arguments import DEFAULT_NAME
from .scaffold_base import Created, Refused, relative, write, yaml_scalar

PACKAGE = Path(__file__).resolve().parent.parent  # minutebook/
STARTED = ("site.toml", "content", "templates")

SITE_TOML = """\
# The council and its committee papers site. Every setting is described in README.md
# ("The council's settings: site.toml"); the commented lines show what more can be said.

[organisation]
name = {name}
# website = "https://www.example.gov.uk"
# email = "democratic.services@example.gov.uk"
# phone = "01632 960000"
# address = "County Hall, High Street, Exampleton EX1 1AA"
timezone = "Europe/London"          # meeting times in calendars
language = "en-GB"

[site]
title = "Committee papers"
base_url = {base_url}   # where the site is published; may include a sub-path
description = "Agendas, reports, minutes and decisions of the council's committees."

[branding]
accent = "#1d70b8"                  # header colour; must give 4.5:1 contrast with white text
# logo = "static/logo.svg"          # put the file in templates/static/ first
# logo_alt = {name}   # required with a logo

[accessibility]                     # shown in the accessibility statement
# contact_email = "democratic.services@example.gov.uk"
# contact_phone = "01632 960000"
# prepared_on = "1 December 2026"  # when this statement was first prepared
# last_reviewed = "1 December 2026"
# last_tested = "1 December 2026"   # when the site was last tested for accessibility
# response_days = 5                 # working days within which you answer a request
known_issues = []                   # anything known not to meet WCAG 2.2 AA

[packs]                             # agenda packs as PDFs (README.md, "The council's settings")
pdf = "recent"                      # "all", "recent" (upcoming meetings and recent ones) or "none"
recent_days = 90

# Exempt information: an English council relies on paragraphs 1-7 of Part 1 of Schedule 12A
# to the Local Government Act 1972, which Minutebook knows; a council elsewhere adds a
# [publication] section (README.md, "Publishing safely").
"""

LAUNCHER = '''\
#!/usr/bin/env python3
"""Build this council's committee papers from content/ into output/. Run with --help for the commands."""

import sys
from pathlib import Path

if __name__ == "__main__":
    try:
        from minutebook.shell.cli import main
    except ModuleNotFoundError:
        sys.exit("error: Minutebook is not installed for this Python; activate its environment first")
    except KeyboardInterrupt:
        sys.exit(130)
    try:
        sys.exit(main(root=Path(__file__).resolve().parent))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        sys.exit(130)
'''

COMMITTEE_MD = """\
---
name: {name}
# short_name: Planning            # a shorter name for menus and tables
# kind: committee                 # committee | board | cabinet | executive | sub-committee | council
# clerk:                          # the clerk to contact
#   name: Jo Bloggs
#   role: Democratic Services Officer
#   phone: 01632 960000
#   email: jo.bloggs@example.gov.uk
# members:
#   - name: Ada Lovelace
#     role: Chair
#   - name: Charles Babbage
#     party: Independent
---
Replace this line with the committee's terms of reference.
"""


def create_site(root: Path, args: argparse.Namespace) -> Created:
    """site.toml, templates/, content/ and build.py, after every check; a failure part way removes what it made."""
    folder = Path(args.folder).resolve() if args.folder else root
    name, address = _text("--name", args.name, "the council's name"), _base_url(args.base_url)
    templates = default_templates()
    _refuse_started(folder)
    made = [folder / "site.toml", folder / "templates", folder / "content"]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write(made[0], SITE_TOML.format(name=yaml_scalar(name), base_url=yaml_scalar(address)))
        shutil.copytree(templates, made[1], ignore=shutil.ignore_patterns(".*", "__pycache__"))
        for part in ("committees", "subjects"):
            (made[2] / part).mkdir(parents=True)
        notes = _launcher(folder / "build.py")
    except OSError as exc:
        _remove(made)
        raise Refused(f"cannot write in {folder}: {exc.strerror or exc}; nothing was written") from None
    made[2:] = [made[2] / "committees", made[2] / "subjects"]
    return [*made, *([] if notes else [folder / "build.py"])], [*notes, *_next_steps(folder, root, name)]


def create_committee(root: Path, args: argparse.Namespace) -> Created:
    if not (root / "site.toml").is_file():
        raise Refused("no site.toml here: start the council first with python build.py new site")
    slug, name = _slug(args.slug), _text("--name", args.name, "the committee's name")
    path = write(root / "content" / "committees" / slug / "committee.md", COMMITTEE_MD.format(name=yaml_scalar(name)))
    return [path], [
        "note: a committee has no draft: its name and the text of committee.md are published by the next build",
        f"next: python build.py new meeting --committee {slug} --date YYYY-MM-DD",
    ]


def default_templates() -> Path:
    """Minutebook's own templates: the package's copy, or the repository's templates/ beside the package."""
    for folder in (PACKAGE / "templates", PACKAGE.parent / "templates"):
        if (folder / "base.html").is_file():
            return folder
    raise Refused(
        f"Minutebook's default templates were not found (looked in {PACKAGE / 'templates'} and "
        f"{PACKAGE.parent / 'templates'}); nothing was written"
    )


def _refuse_started(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise Refused(f"{folder} is a file, not a folder; nothing was written")
    for name in STARTED:
        if (folder / name).exists() or (folder / name).is_symlink():
            raise Refused(
                f"{folder / name} already exists: a new council starts in a folder of its own, "
                "e.g. python build.py new site ../testshire; nothing was written"
            )


def _text(option: str, value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise Refused(f"{option} expects {what}, found nothing")
    if "\n" in text or any(severity == "error" for severity, _ in textcheck.value_findings(text)):
        raise Refused(f"{option} expects {what} on one line of plain text, found {text!r}")
    return text


def _base_url(value: str) -> str:
    if (problem := base_url(value)) is not None:
        raise Refused(f"--base-url {problem.replace('expected', 'expects', 1)}")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "planning"
        raise Refused(f"--slug expects lower-case letters, digits and hyphens, e.g. '{suggestion}', found {value!r}")
    if value in RESERVED_COMMITTEE_SLUGS:
        raise Refused(
            f"the committee folder name '{value}' is reserved: its feed would replace "
            f"{RESERVED_COMMITTEE_SLUGS[value]}; choose another, e.g. '{value}-committee'"
        )
    return value


def _launcher(path: Path) -> list[str]:
    """build.py, so that every `python build.py …` command works in the new folder too; one that exists is kept."""
    try:
        write(path, LAUNCHER)
    except Refused:
        return [f"note: {path.name} exists and was left as it is"]
    path.chmod(0o755)
    return []


def _next_steps(folder: Path, root: Path, name: str) -> list[str]:
    steps = []
    if name == DEFAULT_NAME:
        steps.append(f"note: the council is called {DEFAULT_NAME!r} until you set [organisation] name in site.toml")
    if folder != root:
        steps.append(f"next: cd {relative(folder, root)}")
    return [*steps, 'next: python build.py new committee --slug planning --name "Planning Committee"']


def _remove(paths: list[Path]) -> None:
    """What a failed `new site` made, so that a second try starts clean (none of it existed before)."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
