"""YAML mistakes in a clerk's words, at the line to fix.

PyYAML says what its parser expected ("expected <block end>, but found
'<block mapping start>'") where it noticed, often a line or more after the
mistake. Each kind of mistake a clerk makes (an indent too deep or too
shallow, a tab, no space after a colon, an unclosed quote or bracket, a list
entry among settings, a missing colon) is recognised here from that
complaint and the lines themselves, and told as what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .yamllines import Line, open_quote, parent, parents, quoted, short, text_above

GENERIC = (
    "this line cannot be read as settings: write each setting as 'name: value' on its own line, and put a value "
    "in quotes if it holds ': ' or ' #', or starts with a quote, a bracket or one of & * ! | > % @ `"
)
ALIASES = "YAML anchors and aliases (&name, *name) are not supported; write each value out in full"
UNCLOSED_QUOTE = "the quoted text that starts on this line is never closed; add the closing quote"
_NO_SPACE_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)$")
_NEXT_CHAR_RE = re.compile(r"found character '(.)' that cannot start any token|but found '(.)'$")
# 'word:text' that is a web address or a reference (minutes:2021-01-11), not a setting missing its space
NOT_SETTINGS = frozenset(
    {"http", "https", "mailto", "tel", "ftp", "resolution", "minutes", "meeting", "item", "paper", "subject"}
)


@dataclass(frozen=True)
class Complaint:
    """What PyYAML reported: its problem and context, and the 0-based lines of their marks."""

    problem: str
    context: str
    here: int  # where the parser noticed
    start: int  # where what it was reading began
    column: int

    @classmethod
    def of(cls, exc: yaml.MarkedYAMLError, last: int) -> Complaint:
        here_mark = exc.problem_mark or exc.context_mark
        start_mark = exc.context_mark or exc.problem_mark
        here = min(here_mark.line, last) if here_mark else 0
        start = min(start_mark.line, last) if start_mark else here
        return cls(exc.problem or "", exc.context or "", here, start, here_mark.column if here_mark else 0)


Advice = tuple[int, str]


def advice(exc: yaml.MarkedYAMLError, text: str) -> Advice:
    """The 0-based line of the mistake in the YAML text, and what to do about it."""
    lines = [Line.read(line) for line in text.split("\n")]
    complaint = Complaint.of(exc, len(lines) - 1)
    for diagnose in (_tab, _anchor, _escape, _unclosed, _colon, _no_colon, _misplaced, _indented_start):
        if (found := diagnose(complaint, lines)) is not None:
            return found
    return complaint.here, _cannot_start(complaint, lines[complaint.here]) or GENERIC


def missing_space(content: str) -> str | None:
    """Advice when a line reads 'title:Budget', which YAML takes as the text "title:Budget", not a setting."""
    match = _NO_SPACE_RE.match(content.strip())
    if not match or match["key"].lower() in NOT_SETTINGS:
        return None
    return (
        f"there is no space after the ':' in '{short(content.strip())}', so it is not read as a setting; "
        f"write '{match['key']}: {short(match['value'])}'"
    )


# --- what PyYAML said, and the kind of mistake it means ---------------------------------------------


def _tab(complaint: Complaint, lines: list[Line]) -> Advice | None:
    if "'\\t'" not in complaint.problem:
        return None
    text = lines[complaint.here].text
    if "\t" in text[: len(text) - len(text.lstrip(" \t"))]:
        return complaint.here, "a tab cannot indent front matter; use spaces"
    return complaint.here, "this line holds a tab where only spaces may be; use spaces"


def _anchor(complaint: Complaint, lines: list[Line]) -> Advice | None:
    words = complaint.problem + complaint.context
    return (complaint.here, ALIASES) if "alias" in words or "anchor" in words else None


def _escape(complaint: Complaint, lines: list[Line]) -> Advice | None:
    if "double-quoted" not in complaint.context or "escape" not in complaint.problem:
        return None
    return complaint.here, (
        "a backslash (\\) inside double quotes starts a special character; write each backslash twice (\\\\), "
        "or put the value in single quotes instead"
    )


def _unclosed(complaint: Complaint, lines: list[Line]) -> Advice | None:
    """A quote or a bracket opened and never closed: the line where it was opened."""
    if "quoted scalar" in complaint.context:
        return complaint.start, UNCLOSED_QUOTE
    if "while parsing a flow" not in complaint.context:
        return None
    bracket = "]" if "sequence" in complaint.context else "}"
    return complaint.start, f"the list or set of keys that starts on this line is never closed; add the '{bracket}'"


def _colon(complaint: Complaint, lines: list[Line]) -> Advice | None:
    """A ':' that cannot start a setting: inside a value, after text with no colon or no space, or indented too far."""
    if complaint.problem != "mapping values are not allowed here":
        return None
    here, line = complaint.here, lines[complaint.here]
    if line.key and line.value and complaint.column > line.text.find(":"):
        return here, (
            f"the value of '{line.key}' holds ': ', which would start another setting; "
            f"put the value in quotes: {line.key}: {quoted(line.value)}"
        )
    owner, text = text_above(lines, here)
    for index in [*text, *([] if owner is None else [owner])]:
        if found := missing_space(lines[index].content):
            return index, found
    if text and (owner is None or not lines[owner].complete):
        return text[0], _no_colon_advice(lines, text[0])
    if owner is not None and _meant_as_setting(lines[owner]) and line.indent == lines[owner].key_column:
        return owner, _no_colon_advice(lines, owner)
    if owner is not None and line.indent > lines[owner].indent:
        return here, _too_deep(line, lines[owner], next_to=not text)
    return here, "unexpected ':'; put text containing ': ' in quotes, or check this line's indentation"


def _no_colon(complaint: Complaint, lines: list[Line]) -> Advice | None:
    if "could not find expected ':'" not in complaint.problem:
        return None
    start = complaint.start
    return start, missing_space(lines[start].content) or _no_colon_advice(lines, start)


def _misplaced(complaint: Complaint, lines: list[Line]) -> Advice | None:
    """'expected <block end>': text after a closing quote or bracket, or a line at an indent that fits nothing."""
    if not complaint.problem.startswith("expected <block end>"):
        return None
    here = complaint.here
    if complaint.problem.endswith("'<scalar>'"):
        return _after_closing(lines, here)
    if lines[here].dashed:
        return here, _stray_entry(lines, here)
    return here, _stray_setting(lines, here)


def _indented_start(complaint: Complaint, lines: list[Line]) -> Advice | None:
    """The first setting indented, the next one not: the first line is the odd one out."""
    if not complaint.problem.startswith("expected '<document start>'"):
        return None
    first = next((i for i, line in enumerate(lines) if line.meaningful), complaint.here)
    if not lines[first].indent or not lines[first].key:
        return None
    return first, (
        f"the first setting is indented, but the settings at the top start at the beginning of the line; "
        f"remove the spaces before '{lines[first].key}:'"
    )


def _cannot_start(complaint: Complaint, line: Line) -> str | None:
    match = _NEXT_CHAR_RE.search(complaint.problem)
    if not match or (char := match[1] or match[2]).isalnum() or char in "\\'\"-?":
        return None
    example = f": {line.key}: {quoted(line.value)}" if line.key and line.value else ""
    return f"a value cannot start with '{char}'; put the whole value in quotes{example}"


# --- advice worked out from the lines around the mistake ---------------------------------------------


def _too_deep(line: Line, owner: Line, *, next_to: bool) -> str:
    what = "setting" if owner.key else "list entry"
    lead = (
        f"this line is indented more than the line above it, but the line above is a complete {what} ('{owner.shown}')"
        if next_to
        else f"this line is indented more than the {what} '{owner.shown}' above it, which is complete, so it is "
        "read as more of that text"
    )
    return f"{lead}; line up '{line.key}:' with the settings above it, or put it under a setting that ends with ':'"


def _meant_as_setting(entry: Line) -> bool:
    """'- number 1': a list entry whose first word reads as a setting's name."""
    return entry.dashed and not entry.key and bool(re.fullmatch(r"[a-z_]+ \S.*", entry.content))


def _no_colon_advice(lines: list[Line], index: int) -> str:
    first, _, rest = lines[index].content.partition(" ")
    if not re.fullmatch(r"[a-z_]+", first):
        example = "'name: value'"
    else:
        example = f"'{first}: {short(rest)}'" if rest else f"'{first}:' followed by its value"
    found = f"this line has no ':', so it is not a setting: write it as {example}"
    above, _ = text_above(lines, index)
    if above is not None and lines[above].complete and lines[above].indent <= lines[index].indent:
        found += "; or, if it continues the line above, indent it more than that line"
    return found


def _after_closing(lines: list[Line], here: int) -> Advice:
    """Text after a closing quote or bracket, or a quote left open on an earlier line and closed on this one."""
    for index in range(here - 1, -1, -1):
        if open_quote(lines[index].value):
            return index, UNCLOSED_QUOTE
    line = lines[here]
    opener = line.value[:1]
    if not opener or opener not in "'\"[{":
        return here, GENERIC
    fix = f"put the whole value in quotes: {line.key}: {quoted(line.value)}" if line.key else "put it in quotes"
    if opener in "'\"":
        also = " (inside '…' an apostrophe is written twice: '')" if opener == "'" else ""
        return here, f"the value starts with a quote ({opener}) but goes on after the quote that closes it; {fix}{also}"
    what, closer = ("a list", "]") if opener == "[" else ("a set of keys", "}")
    return here, f"the value starts with '{opener}', which makes it {what}, but goes on after the '{closer}'; {fix}"


def _stray_entry(lines: list[Line], here: int) -> str:
    """A '- …' line among settings, or not lined up with the list it belongs to."""
    line, chain = lines[here], parents(lines, here)
    sibling = next((i for i in chain if lines[i].key and lines[i].key_column == line.indent), None)
    entries = [i for i in chain if lines[i].dashed]
    if entries and (sibling is None or line.indent < lines[entries[0]].indent):
        more_or_less = "more" if line.indent > lines[entries[0]].indent else "less"
        return (
            f"this list entry is indented {more_or_less} than the entries above it ('{lines[entries[0]].shown}'); "
            "line up its '-' with theirs"
        )
    such_as = f" such as '{lines[sibling].key}:'" if sibling is not None else ""
    advice = f"this line starts with '- ', but the lines around it are settings{such_as}, not a list; remove the '- '"
    nearest = next((i for i in range(here - 1, -1, -1) if lines[i].dashed), None)
    if nearest is not None and (owner := parent(lines, nearest)) is not None and lines[owner].key:
        entry = lines[nearest].shown
        advice += f", or move it into the list under '{lines[owner].key}:', its '-' lined up with '{entry}'"
    return advice


def _stray_setting(lines: list[Line], here: int) -> str:
    """A 'name: value' line whose indent lines up with no setting above, or with the '-' of a list."""
    line, chain = lines[here], parents(lines, here)
    if chain and line.indent > lines[chain[0]].key_column and lines[chain[0]].complete:
        return _too_deep(line, lines[chain[0]], next_to=True)
    entry = next((i for i in chain if lines[i].dashed and lines[i].indent == line.indent), None)
    if entry is not None:
        return _setting_among_entries(lines, line, entry, chain)
    columns = {lines[i].key_column: i for i in reversed(chain) if lines[i].key}
    deeper = min((c for c in columns if c > line.indent), default=None)
    shallower = max((c for c in columns if c < line.indent), default=None)
    if deeper is None or shallower is None:
        return f"this line does not line up with the settings above it; line up '{line.key}:' with the one beside it"
    near, far = lines[columns[deeper]].key, lines[columns[shallower]].key
    return (
        f"this line is indented less than '{near}:' above it but more than '{far}:', so it lines up with neither; "
        f"put '{line.key}:' exactly under '{near}:' if it belongs with it, or under '{far}:'"
    )


def _setting_among_entries(lines: list[Line], line: Line, entry: int, chain: list[int]) -> str:
    """`number: 2` where a list's '-' stands: a new entry without its dash, or a setting lined up wrongly."""
    column = lines[entry].indent
    sibling = next((i for i in chain if i >= entry and lines[i].key and lines[i].key_column > column), None)
    owner = parent(lines, entry)
    choices = ["start it with '- ' if it begins a new entry"]
    if sibling is not None:
        choices.append(f"line it up with '{lines[sibling].key}:' if it belongs to the entry above")
    if owner is not None and lines[owner].key:
        choices.append(f"line it up with '{lines[owner].key}:' if it is a setting of its own")
    listed = ", ".join(choices[:-1]) + f", or {choices[-1]}"
    return (
        f"'{line.key}:' lines up with the '-' of the list entries above it ('{lines[entry].shown}'), where only "
        f"list entries may stand; {listed}"
    )
