"""Text hygiene: characters that cannot be published, and invisible ones that can disguise text, at their line.

Control characters (NUL, escape, the C1 block…) are not allowed in HTML or
XML, and a terminal or browser may act on them: they are errors. Bidirectional
overrides and isolates, and zero-width characters pasted with text from
elsewhere, are invisible yet can make text read differently from what it says
(Trojan Source): they are warnings. Both are found whether written as the
character itself, as a Markdown entity (`&#x202E;`) or as a YAML escape (`"\\e"`).
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from dataclasses import dataclass

MAX_REPORTED = 5  # per kind and file: the rest are counted in one more message
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
INVISIBLE_RE = re.compile("[\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1A: "substitute",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
}


@dataclass(frozen=True)
class Finding:
    """One character to delete: where it is and what to say about it."""

    line: int
    message: str
    severity: str  # "error" or "warning"


def scan(text: str, first_line: int, *, entities: bool = False) -> list[Finding]:
    """Every control and invisible character in `text`, whose first line is `first_line` of its file.

    With `entities`, `&#…;` and named entities that Markdown turns into such characters count too.
    """
    if not CONTROL_RE.search(text) and not INVISIBLE_RE.search(text) and not (entities and ENTITY_RE.search(text)):
        return []
    controls: list[tuple[int, str]] = []
    invisibles: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for column, character, written in _characters(line, entities):
            where = f"at column {column}" + (f", written {written}" if written else "")
            if CONTROL_RE.match(character):
                controls.append((number, f"found {control_name(character)} {where}, which cannot be published"))
            elif INVISIBLE_RE.match(character):
                invisibles.append((number, f"found {invisible_name(character)} {where}"))
    return _reported(controls, "control characters", "error") + _reported(invisibles, "invisible characters", "warning")


def _characters(line: str, entities: bool) -> list[tuple[int, str, str]]:
    """(column, character, how it was written if as an entity) of each suspect character in one line."""
    found = [(m.start() + 1, m.group(), "") for m in CONTROL_RE.finditer(line)]
    found += [(m.start() + 1, m.group(), "") for m in INVISIBLE_RE.finditer(line)]
    if entities and "&" in line:
        for match in ENTITY_RE.finditer(line):
            character = _entity(match.group(1))
            if character and (CONTROL_RE.match(character) or INVISIBLE_RE.match(character)):
                found.append((match.start() + 1, character, f"as {match.group()}"))
    return sorted(found)


def _entity(name: str) -> str:
    """The character a Markdown entity becomes, or '' (markdown-it replaces invalid code points)."""
    if name.startswith("#"):
        from markdown_it.common.utils import isValidEntityCode  # loaded by a build that parses, not by every one

        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        return chr(code) if isValidEntityCode(code) else ""
    decoded = html.entities.html5.get(name + ";", "")
    return decoded if len(decoded) == 1 else ""


def _reported(found: list[tuple[int, str]], plural: str, severity: str) -> list[Finding]:
    advice = (
        "; delete it"
        if severity == "error"
        else ", which is invisible and can make text read differently from what it says; delete it unless it is meant"
    )
    findings = [Finding(line, message + advice, severity) for line, message in found[:MAX_REPORTED]]
    if len(found) > MAX_REPORTED:
        rest = len(found) - MAX_REPORTED
        findings.append(Finding(found[MAX_REPORTED][0], f"found {rest} more {plural} from this line on", severity))
    return findings


def value_findings(value: str) -> list[tuple[str, str]]:
    """(severity, message) for a single setting or front matter value, where a column would mean nothing."""
    problems = []
    if control := CONTROL_RE.search(value):
        problems.append(
            ("error", f"expected text, found {control_name(control.group())}, which cannot be published; delete it")
        )
    if invisible := INVISIBLE_RE.search(value):
        message = f"holds {invisible_name(invisible.group())}, which is invisible and can disguise text; delete it"
        problems.append(("warning", message))
    return problems


def control_name(character: str) -> str:
    """'a control character U+001B (escape)'."""
    code = ord(character)
    if code in (0xFFFE, 0xFFFF):
        return f"a noncharacter U+{code:04X}"
    return f"a control character U+{code:04X} ({CONTROL_NAMES.get(code, 'control')})"


def invisible_name(character: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    code = ord(character)
    return f"U+{code:04X} {unicodedata.name(character, 'FORMAT CHARACTER')}"
