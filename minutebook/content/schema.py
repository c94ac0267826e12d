"""Schemas: the typed shape of every kind of front matter, checked field by field with located errors.

Each field is documented once here; the authoring guide's field tables are
generated from these definitions, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostics, did_you_mean
from . import numbering
from .frontmatter import Value, describe

Parser = Callable[[Value], Any]


class Invalid(Exception):
    """A value that does not fit its field; the message says what was expected.

    Nested records carry several problems, each with its own line.
    """

    def __init__(self, message: str, problems: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Field:
    """One front matter key: its type, whether it is required, and what it means."""

    name: str
    parse: Parser
    type_name: str
    doc: str
    required: bool = False
    default: Any = None
    example: str = ""


@dataclass(frozen=True)
class Schema:
    """The set of keys one kind of document may have."""

    name: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass
class Record:
    """Checked front matter: typed values plus the line each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    line: int = 1

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


def check(value: Value, schema: Schema, path: str, diagnostics: Diagnostics) -> Record:
    """Check a mapping against a schema, reporting every problem; never raises."""
    record = Record(line=value.line)
    if not isinstance(value.data, dict):
        diagnostics.error(path, value.line, f"expected {schema.name} as 'key: value' lines, found {describe(value)}")
        return record
    known = [f.name for f in schema.fields]
    for key, item in value.data.items():
        spec = schema.field(key)
        if spec is None:
            hint = did_you_mean(key, known) or _value_hint(key, schema)
            diagnostics.error(path, item.key_line or item.line, f"unknown key '{key}' in {schema.name}{hint}")
            continue
        record.lines[key] = item.key_line or item.line
        try:
            record.values[key] = spec.parse(item)
        except Invalid as exc:
            _report(exc, key, item, path, diagnostics)
    for spec in schema.fields:
        if spec.name in record.values or spec.name in value.data:
            continue
        if spec.required:
            diagnostics.error(path, value.line, f"missing required key '{spec.name}' in {schema.name} ({spec.doc})")
        else:
            record.values[spec.name] = spec.default() if callable(spec.default) else spec.default
    return record


# Words clerks use for what Minutebook calls otherwise; the exemption ones matter most: never silently public.
SYNONYMS = {
    "name": "title",
    "title": "name",
    "confidential": "access: exempt",
    "private": "access: exempt",
    "restricted": "access: exempt",
    "part_2": "access: exempt",
    "part2": "access: exempt",
    "not_for_publication": "access: exempt",
    "embargo": "publish_on",
    "embargoed_until": "publish_on",
    "publish_date": "publish_on",
    "publication_date": "publish_on",
    "unpublished": "draft",
    "hidden": "draft",
}


def _value_hint(key: str, schema: Schema) -> str:
    """`exmept: true` means `access: exempt`: a misspelt key may be a misplaced value of a choice field."""
    synonym = SYNONYMS.get(key.lower().replace("-", "_").replace(" ", "_"), "")
    if synonym and schema.field(synonym.split(":")[0]) is not None:
        return f' (did you mean "{synonym}"?)'
    values = {option: spec.name for spec in schema.fields for option in getattr(spec.parse, "options", ())}
    match = did_you_mean(key, values)
    if not match:
        return ""
    option = match.split('"')[1]
    return f' (did you mean "{values[option]}: {option}"?)'


def _report(exc: Invalid, key: str, item: Value, path: str, diagnostics: Diagnostics) -> None:
    if exc.problems:
        for line, message in exc.problems:
            diagnostics.error(path, line, f"in '{key}': {message}")
    else:
        diagnostics.error(path, item.line, f"'{key}': {exc}")


# --- value parsers -----------------------------------------------------------------


def text(value: Value) -> str:
    if isinstance(value.data, bool) or value.data is None or isinstance(value.data, (list, dict)):
        raise Invalid(f"expected text, found {describe(value)}")
    result = str(value.data).strip()
    if not result:
        raise Invalid("expected text, found nothing")
    return result


def boolean(value: Value) -> bool:
    if not isinstance(value.data, bool):
        raise Invalid(f"expected true or false, found {describe(value)}")
    return value.data


def integer(value: Value) -> int:
    if isinstance(value.data, bool) or not isinstance(value.data, int):
        raise Invalid(f"expected a whole number, found {describe(value)}")
    return value.data


def paragraph_number(value: Value) -> int:
    """A paragraph number as clerks write it: 3, "3" or 03 (which YAML keeps as text) all mean paragraph 3."""
    if isinstance(value.data, int) and not isinstance(value.data, bool):
        return value.data
    if isinstance(value.data, str) and value.data.strip().isascii() and value.data.strip().isdigit():
        return int(value.data.strip())
    raise Invalid(f"expected a paragraph number such as 3, found {describe(value)}")


DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date(value: Value) -> dt.date:
    raw = text(value)
    match = DATE_RE.match(raw)
    if not match:
        raise Invalid(f"expected a date written YYYY-MM-DD, found {describe(value)}")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise Invalid(f"'{raw}' is not a real date") from None


TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def time(value: Value) -> str:
    raw = text(value)
    match = TIME_RE.match(raw)
    if not match:
        raise Invalid(f'expected a 24-hour time such as "10:30", found {describe(value)}')
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def url(value: Value) -> str:
    raw = text(value)
    if not re.match(r"^https?://[^\s<>\"']+$", raw):
        raise Invalid(f"expected a web address starting https:// or http://, found {describe(value)}")
    return raw


def email(value: Value) -> str:
    raw = text(value)
    if not re.match(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$", raw):
        raise Invalid(f"expected an email address, found {describe(value)}")
    return raw


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(value: Value) -> str:
    raw = text(value)
    if not SLUG_RE.match(raw):
        raise Invalid(f"expected lower-case letters, digits and hyphens, found {describe(value)}")
    return raw


ITEM_RE = re.compile(r"^0*([1-9][0-9]{0,2})([a-z]?)$")


def item_number(value: Value) -> str:
    raw = text(value).lower()
    match = ITEM_RE.match(raw)
    if not match:
        raise Invalid(f"expected an agenda item number such as 4 or 4a, found {describe(value)}")
    return match.group(1) + match.group(2)


def decision_number(value: Value) -> str:
    """A decision's number exactly as the council wrote it ("2015/042", "17/23", "9"): never renumbered."""
    raw = text(value)
    if not numbering.NUMBER_RE.match(raw):
        raise Invalid(
            f"expected the decision's number as the council wrote it, such as 2015/042, 17/23 or 9, found "
            f"{describe(value)}"
        )
    return raw


def choice(*options: str) -> Parser:
    def parse(value: Value) -> str:
        raw = text(value)
        if raw not in options:
            listed = ", ".join(options)
            raise Invalid(f"expected one of {listed}, found {describe(value)}{did_you_mean(raw, options)}")
        return raw

    parse.options = options  # type: ignore[attr-defined]
    return parse


def list_of(item: Parser, *, allow_single: bool = True) -> Parser:
    """A list of values; a single plain value is taken as a list of one."""

    def parse(value: Value) -> tuple[Any, ...]:
        if isinstance(value.data, list):
            return _items(item, value.data)
        if allow_single and value.data is not None and not isinstance(value.data, dict):
            return (item(value),)
        raise Invalid(f"expected a list, found {describe(value)}")

    parse.item = item  # type: ignore[attr-defined]
    return parse


def _items(parse: Parser, values: list[Value]) -> tuple[Any, ...]:
    results, problems = [], []
    for child in values:
        try:
            results.append(parse(child))
        except Invalid as exc:
            problems.extend(exc.problems or [(child.line, str(exc))])
    if problems:
        raise Invalid("", problems)
    return tuple(results)


def record(schema: Schema) -> Parser:
    """A value that is itself a set of keys; every problem inside is reported with its own line."""

    def parse(value: Value) -> Record:
        inner = Diagnostics()
        result = check(value, schema, "", inner)
        if inner.errors:
            raise Invalid("", [(d.line, d.message) for d in inner.errors])
        return result

    parse.schema = schema  # type: ignore[attr-defined]
    return parse
