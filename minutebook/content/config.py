"""Configuration: `site.toml` into a typed, validated `Config` (all errors at once)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from .. import filekinds
from ..diagnostics import Diagnostics, did_you_mean
from . import settings
from .branding import problems as branding_problems

MAX_SETTINGS_BYTES = 256 * 1024
ENGLAND_SCHEDULE_12A = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information).",
    4: "Information relating to any consultations or negotiations, or contemplated consultations or negotiations, "
    "in connection with any labour relations matter arising between the authority or a Minister of the Crown "
    "and employees of, or office holders under, the authority.",
    5: "Information in respect of which a claim to legal professional privilege could be maintained in legal "
    "proceedings.",
    6: "Information which reveals that the authority proposes to give under any enactment a notice under or by "
    "virtue of which requirements are imposed on a person, or to make an order or direction under any enactment.",
    7: "Information relating to any action taken or to be taken in connection with the prevention, investigation "
    "or prosecution of crime.",
}
ENGLAND_WORDING = (
    "not for publication by virtue of paragraph {paragraph} of Part 1 of Schedule 12A to the Local Government Act 1972"
)


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    timezone: str = "Europe/London"
    language: str = "en-GB"


@dataclass(frozen=True)
class Branding:
    accent: str = "#1d70b8"
    logo: str = ""
    logo_alt: str = ""


@dataclass(frozen=True)
class Accessibility:
    """What the accessibility statement says beyond what the site can tell of itself."""

    contact_email: str = ""
    contact_phone: str = ""
    last_reviewed: str = ""
    known_issues: tuple[str, ...] = ()
    prepared_on: str = ""  # when the statement was first prepared, as printed ("23 September 2020")
    last_tested: str = ""  # when the site was last tested, as printed
    response_days: int = 0  # working days within which a request is answered; 0: not said


@dataclass(frozen=True)
class Packs:
    """Which agenda packs are also made as PDFs: each takes seconds, so an archive's old packs need not be.

    "recent": every upcoming meeting's pack and those of meetings held up to `recent_days` before the build.
    """

    pdf: str = "recent"
    recent_days: int = 90

    def wants_pdf(self, meeting: dt.date, today: dt.date) -> bool:
        if self.pdf == "all":
            return True
        return self.pdf == "recent" and meeting >= today - dt.timedelta(days=self.recent_days)


@dataclass(frozen=True)
class Config:
    """Everything `site.toml` says, with defaults for what it leaves out."""

    organisation: Organisation
    title: str = "Committee papers"
    base_url: str = "http://localhost:8000/"
    description: str = ""
    branding: Branding = field(default_factory=Branding)
    accessibility: Accessibility = field(default_factory=Accessibility)
    packs: Packs = field(default_factory=Packs)
    exempt_paragraphs: dict[int, str] = field(default_factory=lambda: dict(ENGLAND_SCHEDULE_12A))
    exempt_wording: str = ENGLAND_WORDING
    search: bool = True  # a search page and its index; a council may choose to have neither

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/' (e.g. /democracy/)."""
        path = re.sub(r"^https?://[^/]+", "", self.base_url) or "/"
        return path if path.endswith("/") else path + "/"


SECTIONS = {
    "organisation": {"name", "website", "email", "phone", "address", "timezone", "language"},
    "site": {"title", "base_url", "description", "search"},
    "branding": {"accent", "logo", "logo_alt"},
    "accessibility": {
        "contact_email",
        "contact_phone",
        "last_reviewed",
        "known_issues",
        "prepared_on",
        "last_tested",
        "response_days",
    },
    "packs": {"pdf", "recent_days"},
    "publication": {"exempt_paragraphs", "exempt_wording"},
}


def load(path: Path, diagnostics: Diagnostics) -> Config | None:
    """Read site.toml; every problem becomes a `site.toml:line` diagnostic."""
    name = path.name
    text = _read(path, name, diagnostics)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        problem = str(exc).split(" (at")[0]
        if problem == "Illegal character '\\n'":
            problem = "a quoted value on this line is never closed; add the closing quote"
        diagnostics.error(name, line, f"invalid TOML: {problem}")
        return None
    return _config(data, text, name, path.parent / "templates", diagnostics)


def _read(path: Path, name: str, diagnostics: Diagnostics) -> str | None:
    """site.toml's text; a named pipe or device in its place is refused without being opened (it would hang)."""
    try:
        return filekinds.read(path, MAX_SETTINGS_BYTES, "expected a text file of settings").decode("utf-8-sig")
    except FileNotFoundError:
        diagnostics.error(name, 0, "expected a site.toml describing the council, found none")
    except filekinds.Refused as exc:
        diagnostics.error(name, 0, str(exc))
    except filekinds.TooLarge as exc:
        limit = MAX_SETTINGS_BYTES // 1024
        diagnostics.error(name, 0, f"is {exc.size // 1024} KB, more than the {limit} KB a settings file may be")
    except OSError as exc:
        diagnostics.error(name, 0, f"cannot be read: {exc.strerror}")
    except UnicodeDecodeError as exc:
        diagnostics.error(name, 0, f"cannot be read: {exc}")
    return None


def settings_bytes(path: Path) -> bytes:
    """site.toml's bytes for a build's key, read as load reads them; b"" when they cannot be (load says why)."""
    try:
        return filekinds.read(path, MAX_SETTINGS_BYTES, "")
    except (OSError, filekinds.Refused, filekinds.TooLarge):
        return b""


def _config(data: dict, text: str, name: str, templates: Path, diagnostics: Diagnostics) -> Config | None:
    """The settings checked, every problem at its line; None when any is an error."""
    before = len(diagnostics.errors)
    for section, values in data.items():
        if section not in SECTIONS:
            diagnostics.error(
                name, _line(text, f"[{section}]"), f"unknown section [{section}]{did_you_mean(section, SECTIONS)}"
            )
            continue
        if not isinstance(values, dict):
            diagnostics.error(name, _line(text, section), f"expected [{section}] to be a table of settings")
            continue
        for key in values:
            if key not in SECTIONS[section]:
                hint = did_you_mean(key, SECTIONS[section])
                diagnostics.error(name, _line(text, key, section), f"unknown setting {key!r} in [{section}]{hint}")
    org = data.get("organisation", {})
    if not isinstance(org, dict) or not org.get("name"):
        diagnostics.error(name, _line(text, "[organisation]"), "expected [organisation] with the council's name")
    for section, key, severity, message in settings.problems(data):
        report = diagnostics.error if severity == "error" else diagnostics.warning
        report(name, _line(text, key, section), message)
    _check_timezone(org, text, name, diagnostics)
    exempt = _exempt_paragraphs(data.get("publication", {}), text, name, diagnostics)
    if isinstance(data.get("branding"), dict):
        for setting, message in branding_problems(data["branding"], templates):
            diagnostics.error(name, _line(text, setting, "branding"), message)
    if len(diagnostics.errors) > before:
        return None
    return _build(data, exempt)


def _check_timezone(org: object, text: str, name: str, diagnostics: Diagnostics) -> None:
    zone = org.get("timezone", "Europe/London") if isinstance(org, dict) else "Europe/London"
    if not isinstance(zone, str):
        diagnostics.error(name, _line(text, "timezone"), f"[organisation] timezone: expected text, found {zone!r}")
        return
    try:
        zoneinfo.ZoneInfo(str(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        diagnostics.error(
            name,
            _line(text, "timezone"),
            f'[organisation] timezone {zone!r} is not a time zone name such as "Europe/London"',
        )


def _exempt_paragraphs(publication: dict, text: str, name: str, diagnostics: Diagnostics) -> dict[int, str]:
    raw = publication.get("exempt_paragraphs") if isinstance(publication, dict) else None
    if raw is None:
        return dict(ENGLAND_SCHEDULE_12A)
    result: dict[int, str] = {}
    if not isinstance(raw, dict):
        diagnostics.error(
            name, _line(text, "exempt_paragraphs"), 'expected exempt_paragraphs as a table: "3" = "description"'
        )
        return result
    for key, value in raw.items():
        if not str(key).isdigit() or not isinstance(value, str):
            line = _line(text, str(key)) or _line(text, "exempt_paragraphs")
            diagnostics.error(
                name,
                line,
                '\'exempt_paragraphs\': expected "number" = "description" pairs such as '
                f'"3" = "Financial or business affairs", found {key!r}',
            )
            continue
        result[int(key)] = value
    return result


def _build(data: dict, exempt: dict[int, str]) -> Config:
    org = data.get("organisation", {})
    site = data.get("site", {})
    branding = data.get("branding", {})
    a11y = data.get("accessibility", {})
    packs = data.get("packs", {})
    publication = data.get("publication", {})
    return Config(
        organisation=Organisation(**{k: str(v) for k, v in org.items()}),
        title=str(site.get("title", "Committee papers")),
        base_url=str(site.get("base_url", "http://localhost:8000/")),
        description=str(site.get("description", "")),
        branding=Branding(**{k: str(v) for k, v in branding.items()}),
        accessibility=Accessibility(
            contact_email=str(a11y.get("contact_email", "")),
            contact_phone=str(a11y.get("contact_phone", "")),
            last_reviewed=_printed_date(a11y.get("last_reviewed", "")),
            known_issues=tuple(str(x) for x in a11y.get("known_issues", ())),
            prepared_on=_printed_date(a11y.get("prepared_on", "")),
            last_tested=_printed_date(a11y.get("last_tested", "")),
            response_days=int(a11y.get("response_days", 0)),
        ),
        packs=Packs(pdf=str(packs.get("pdf", "recent")), recent_days=int(packs.get("recent_days", 90))),
        exempt_paragraphs=exempt,
        exempt_wording=str(publication.get("exempt_wording", ENGLAND_WORDING)),
        search=site.get("search", True) is True,
    )


def _printed_date(value: object) -> str:
    """A date written as a TOML date (2026-11-24) is printed as people read it ("24 November 2026"); text as written."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _line(text: str, needle: str, section: str = "") -> int:
    """The line of `[section]` or of `needle = …`, looked for in `section` first when one is given."""
    pattern = rf"^\s*{re.escape(needle)}" if needle.startswith("[") else rf"^\s*\"?{re.escape(needle)}\"?\s*="
    lines = text.split("\n")
    start = 0
    if section and (header := _line(text, f"[{section}]")):
        start = header
    for number, line in enumerate(lines[start:], start=start + 1):
        if re.search(pattern, line):
            return number
    return _line(text, needle) if start else 0
