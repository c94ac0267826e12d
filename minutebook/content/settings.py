"""Settings: what each value of `site.toml` may be, checked before any of it reaches a page, feed, JSON or CSV.

A web address becomes a link, an email address a `mailto:` link, and
base_url is written into every feed, calendar and data file: each is held
to the form it must have, so `javascript:` or a stray quote cannot ride in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from .. import textcheck

Check = Callable[[object], str | None]  # "expected …, found …", or None when the value is fine

WEB_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s\"'<>\\`{}|^]*)?$")
BASE_URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~%!$&()*+,;=:@/]*)?$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]*[0-9][0-9 ()-]*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def text(value: object) -> str | None:
    return None if isinstance(value, str) else f"expected text in quotes, found {shown(value)}"


def yes_or_no(value: object) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, found {shown(value)}"


def web_address(value: object) -> str | None:
    if isinstance(value, str) and WEB_RE.match(value):
        return None
    return f"expected a web address starting https:// or http://, found {shown(value)}"


def base_url(value: object) -> str | None:
    """The site's own address: no query, fragment, quotes, spaces or backslashes, as it is written everywhere."""
    if isinstance(value, str) and BASE_URL_RE.match(value):
        return None
    return f"expected a web address such as https://example.gov.uk/democracy/, found {shown(value)}"


def email_address(value: object) -> str | None:
    if isinstance(value, str) and EMAIL_RE.match(value):
        return None
    return f"expected an email address such as democratic.services@example.gov.uk, found {shown(value)}"


def phone_number(value: object) -> str | None:
    if isinstance(value, str) and PHONE_RE.match(value):
        return None
    return f"expected a telephone number of digits, spaces, +, ( ) and - only, found {shown(value)}"


def language_tag(value: object) -> str | None:
    if isinstance(value, str) and LANGUAGE_RE.match(value):
        return None
    return f'expected a language tag such as "en-GB" or "cy", found {shown(value)}'


def text_or_date(value: object) -> str | None:
    return None if isinstance(value, (str, dt.date)) else f"expected a date or text in quotes, found {shown(value)}"


def list_of_text(value: object) -> str | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return None
    return f'expected a list of text such as ["The PDF agendas before 2019 are not accessible"], found {shown(value)}'


def whole_days(value: object) -> str | None:
    """A number of days: a whole number, 0 or more, written without quotes."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 36500:
        return None
    return f"expected a whole number of days such as 10, found {shown(value)}"


PDF_CHOICES = ("all", "recent", "none")  # which agenda packs are made as PDFs ([packs] pdf)


def pdf_choice(value: object) -> str | None:
    if value in PDF_CHOICES:
        return None
    return f'expected "all", "recent" or "none", found {shown(value)}'


def wording(value: object) -> str | None:
    """The exemption wording: {paragraph} is where the number goes, and no other {…} may be left to fill."""
    if not isinstance(value, str):
        return text(value)
    try:
        value.format(paragraph=3)
    except (KeyError, IndexError, ValueError):
        return f"expected wording with {{paragraph}} where the paragraph number goes, found {shown(value)}"
    return None


def checked_elsewhere(value: object) -> str | None:
    """For settings whose form config or branding checks (timezone, accent, logo, exempt_paragraphs)."""
    return None


CHECKS: dict[tuple[str, str], Check] = {
    ("organisation", "name"): text,
    ("organisation", "website"): web_address,
    ("organisation", "email"): email_address,
    ("organisation", "phone"): phone_number,
    ("organisation", "address"): text,
    ("organisation", "timezone"): checked_elsewhere,
    ("organisation", "language"): language_tag,
    ("site", "title"): text,
    ("site", "base_url"): base_url,
    ("site", "description"): text,
    ("site", "search"): yes_or_no,
    ("branding", "accent"): checked_elsewhere,
    ("branding", "logo"): checked_elsewhere,
    ("branding", "logo_alt"): text,
    ("accessibility", "contact_email"): email_address,
    ("accessibility", "contact_phone"): phone_number,
    ("accessibility", "last_reviewed"): text_or_date,
    ("accessibility", "known_issues"): list_of_text,
    ("accessibility", "prepared_on"): text_or_date,
    ("accessibility", "last_tested"): text_or_date,
    ("accessibility", "response_days"): whole_days,
    ("packs", "pdf"): pdf_choice,
    ("packs", "recent_days"): whole_days,
    ("publication", "exempt_paragraphs"): checked_elsewhere,
    ("publication", "exempt_wording"): wording,
}


def problems(data: dict) -> Iterator[tuple[str, str, str, str]]:
    """(section, setting, severity, message) for every value of the wrong form or holding a control character."""
    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            check = CHECKS.get((section, key))
            if check is None:
                continue  # an unknown setting, reported as such
            if (problem := check(value)) is not None:
                yield section, key, "error", f"[{section}] {key}: {problem}"
                continue
            for string in _strings(value):
                for severity, message in textcheck.value_findings(string):
                    yield section, key, severity, f"[{section}] {key}: {message}"


def _strings(value: object) -> Iterator[str]:
    """Every string inside a value: itself, a list's items, a table's values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def shown(value: object) -> str:
    """A value as the clerk wrote it, with anything invisible escaped."""
    if isinstance(value, str):
        return repr(value[:80] + "…" if len(value) > 80 else value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a table"
    return str(value)
