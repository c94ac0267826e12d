"""Front matter: split a source into YAML and Markdown and load the YAML strictly, keeping line numbers.

The loader follows what a clerk wrote: only `true`/`false` are booleans, only
plain decimal numbers are numbers, everything else (times like 18:30, `NO`,
`012`, dates) stays a string for the schema to interpret and report on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import yaml

from .. import textcheck
from ..diagnostics import Diagnostics
from . import yamlerrors

MAX_FRONT_MATTER_BYTES = 256 * 1024
MAX_DEPTH = 20


class Value(NamedTuple):
    """A YAML value with the line it starts on (1-based, in the whole file).

    A named tuple, not a dataclass: an archive's parse results hold hundreds of thousands, and every build that
    makes the model loads them all from the parse cache."""

    data: Any  # str | int | float | bool | None | list[Value] | dict[str, Value]
    line: int
    key_line: int = 0

    @property
    def plain(self) -> Any:
        """The value with line information stripped, for messages and tests."""
        if isinstance(self.data, list):
            return [v.plain for v in self.data]
        if isinstance(self.data, dict):
            return {k: v.plain for k, v in self.data.items()}
        return self.data


class StrictLoader(yaml.SafeLoader):
    """A safe loader whose implicit types are only null, true/false and whole numbers (added just below)."""

    # A table of its own, so none of SafeLoader's implicit types (yes/no, dates, octal, floats) is inherited.
    # PyYAML keeps it on the class (add_implicit_resolver is a classmethod); types-PyYAML declares it per instance.
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}  # type: ignore[misc]


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


_LIBYAML = hasattr(yaml, "CSafeLoader")


class _FastStrictLoader(getattr(yaml, "CSafeLoader", StrictLoader)):  # type: ignore[misc]
    """The same resolvers over libyaml's parser: front matter of a large archive loads several times faster."""


_FastStrictLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers


@dataclass(frozen=True)
class SplitSource:
    """A source file cut into its front matter text and its Markdown body."""

    yaml_text: str | None
    yaml_line: int  # line of the first YAML line
    body: str
    body_line: int  # line of the first body line
    closed: bool = True  # False when no line '---' ends the front matter


def split(text: str) -> SplitSource:
    """Separate a leading `---` block from the Markdown that follows."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return SplitSource(None, 0, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return SplitSource(yaml_text, 2, body, index + 2)
    return SplitSource("\n".join(lines[1:]), 2, "", len(lines) + 1, closed=False)


def load(source: SplitSource, path: str, diagnostics: Diagnostics) -> Value | None:
    """Load the front matter into located values; report problems instead of raising."""
    if source.yaml_text is None:
        diagnostics.error(path, 1, "expected front matter starting with a line '---', found none")
        return None
    if not _clean(source.yaml_text, source.yaml_line, path, diagnostics):
        return None  # YAML would refuse most control characters too, in words less clear
    if not source.closed:
        diagnostics.error(
            path,
            1,
            "the front matter that starts here is never closed: "
            "expected a line '---' after the last setting, found none",
        )
        return None
    if len(source.yaml_text.encode()) > MAX_FRONT_MATTER_BYTES:
        diagnostics.error(path, 1, f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KB")
        return None
    offset = source.yaml_line - 1
    try:
        node = _compose(source.yaml_text)
    except TooDeep as exc:
        diagnostics.error(path, exc.line + offset, f"front matter is nested more than {MAX_DEPTH} levels deep")
        return None
    except yaml.MarkedYAMLError as exc:
        diagnostics.error(path, *yaml_problem(exc, source.yaml_text, source.yaml_line))
        return None
    except yaml.YAMLError:
        diagnostics.error(path, source.yaml_line, yamlerrors.GENERIC)
        return None
    if node is None:
        return Value({}, source.yaml_line)
    if (alias_line := _first_anchor(source.yaml_text)) is not None:
        diagnostics.error(
            path,
            alias_line + offset,
            "YAML anchors and aliases (&name, *name) are not supported; write each value out in full",
        )
        return None
    converter = _Converter(path, offset, diagnostics, source.yaml_text.split("\n"))
    value = converter.convert(node, 0)
    if value is not None and not isinstance(value.data, dict):
        diagnostics.error(
            path, value.line, f"expected front matter to be a set of 'key: value' lines, found {describe(value)}"
        )
        return None
    return value


def _clean(text: str, first_line: int, path: str, diagnostics: Diagnostics) -> bool:
    """Report control and invisible characters in the front matter; False when there is a control character."""
    findings = textcheck.scan(text, first_line)
    for finding in findings:
        report = diagnostics.error if finding.severity == "error" else diagnostics.warning
        report(path, finding.line, finding.message)
    return not any(finding.severity == "error" for finding in findings)


def yaml_problem(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple[int, str]:
    """PyYAML's complaint in a clerk's words, at the file line of the mistake (not where the parser noticed it)."""
    index, advice = yamlerrors.advice(exc, text)
    return index + first_line, advice


def _first_anchor(text: str) -> int | None:
    """The line of the first anchor or alias: refused before anything is built from them (no billion laughs)."""
    if "&" not in text and "*" not in text:
        return None
    for event in yaml.parse(text, Loader=StrictLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return _line_of(event)
    return None


class TooDeep(Exception):
    """Front matter nested beyond MAX_DEPTH, found before the (recursive) composer could overflow the stack."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nested too deeply at line {line}")
        self.line = line  # of the YAML text, 1-based


def _compose(text: str) -> yaml.Node | None:
    """libyaml when the text is valid; the pure-Python parser words any error, so messages never change.

    libyaml refuses nesting beyond 1000 levels on its own; Python's composer recurses once per level and
    would raise RecursionError long before that, so its depth is measured first, without recursion.
    """
    if _LIBYAML:
        try:
            return yaml.compose(text, Loader=_FastStrictLoader)
        except yaml.YAMLError:
            pass
    if (line := _too_deep(text)) is not None:
        raise TooDeep(line)
    return yaml.compose(text, Loader=StrictLoader)


def _too_deep(text: str) -> int | None:
    """The line of the first value nested more than MAX_DEPTH deep (as _Converter counts), from the events alone."""
    open_collections: list[list] = []  # [is a mapping, children seen so far]
    for event in yaml.parse(text, Loader=StrictLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            open_collections.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        parent = open_collections[-1] if open_collections else None
        is_key = parent is not None and parent[0] and parent[1] % 2 == 0
        if parent is not None:
            parent[1] += 1
        if not is_key and len(open_collections) > MAX_DEPTH:
            return _line_of(event)
        if isinstance(event, yaml.CollectionStartEvent):
            open_collections.append([isinstance(event, yaml.MappingStartEvent), 0])
    return None


class _Converter:
    """Turn YAML nodes into Values, refusing aliases and duplicate keys."""

    def __init__(self, path: str, offset: int, diagnostics: Diagnostics, lines: list[str]):
        self.path = path
        self.offset = offset
        self.diagnostics = diagnostics
        self.lines = lines
        self.seen: set[int] = set()
        self.constructor = StrictLoader("")

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def convert(self, node: yaml.Node, depth: int) -> Value | None:
        if id(node) in self.seen:
            self.diagnostics.error(
                self.path, self.line(node), "YAML anchors and aliases (&name, *name) are not supported"
            )
            return None
        if depth > MAX_DEPTH:
            self.diagnostics.error(
                self.path, self.line(node), f"front matter is nested more than {MAX_DEPTH} levels deep"
            )
            return None
        self.seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            self.diagnostics.error(
                self.path, self.line(node), f"unsupported YAML tag {node.tag!r}; write plain text instead"
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            items = [self.convert(child, depth + 1) for child in node.value]
            return Value([item for item in items if item is not None], self.line(node))
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Value | None:
        if node.tag not in _SCALAR_TAGS:
            self.diagnostics.error(
                self.path, self.line(node), f"unsupported YAML tag {node.tag!r}; write plain text instead"
            )
            return None
        if (advice := self.missing_space(node)) is not None:
            self.diagnostics.error(self.path, self.line(node), advice)
            return None
        try:
            data = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.diagnostics.error(self.path, self.line(node), f"invalid value: {exc}")
            return None
        if isinstance(data, str):
            self.check_text(data, node)
        return Value(data, self.line(node))

    def missing_space(self, node: yaml.ScalarNode) -> str | None:
        """`title:Budget` is valid YAML, the text "title:Budget"; alone on a line (or after "- ") it meant a setting."""
        if node.style or node.tag != "tag:yaml.org,2002:str":  # plain: None from PyYAML, "" from libyaml
            return None
        mark = node.start_mark
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        return yamlerrors.missing_space(line[mark.column :]) if not line[: mark.column].strip(" -") else None

    def check_text(self, text: str, node: yaml.Node) -> None:
        """A YAML escape ("\\e", "\\u202e") makes characters the text scan cannot see: look at the value itself.

        The value is kept, so the schema says nothing more about it; its error alone stops the build."""
        for severity, message in textcheck.value_findings(text):
            report = self.diagnostics.error if severity == "error" else self.diagnostics.warning
            report(self.path, self.line(node), message)

    def mapping(self, node: yaml.MappingNode, depth: int) -> Value:
        result: dict[str, Value] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.diagnostics.error(self.path, key_line, "expected a plain key before ':'")
                continue
            key = str(key_node.value)
            self.check_text(key, key_node)
            if key in first_lines:
                self.diagnostics.error(
                    self.path, key_line, f"duplicate key '{key}' (first given on line {first_lines[key]})"
                )
                continue
            first_lines[key] = key_line
            value = self.convert(value_node, depth + 1)
            if value is not None:
                result[key] = Value(value.data, value.line, key_line)
        return Value(result, self.line(node))


_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def describe(value: Value) -> str:
    """Name what the clerk wrote, for 'expected X, found Y' messages."""
    data = value.data
    if data is None:
        return "nothing"
    if isinstance(data, bool):
        return f"'{str(data).lower()}'"
    if isinstance(data, (int, float)):
        return f"the number {data}"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, dict):
        return "a set of keys"
    text = str(data)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _line_of(event: yaml.Event) -> int:
    """The line (from 1) an event of the YAML parser starts on."""
    return event.start_mark.line + 1 if event.start_mark is not None else 0
