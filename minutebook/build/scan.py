"""Scanning output files for withheld phrases: every phrase in one pass over a file, however it is escaped.

Pages are scanned by the render workers as they are made, the search index
as it is written; the leak check judges what they found (minutebook.build.leaks).
"""

from __future__ import annotations

import contextlib
import gzip
import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import ahocorasick_rs

MIN_SENTENCE = 40  # characters: a phrase shorter than this is looked for as whole words only
WINDOW = 2**18  # characters matched at once: the matcher's memory grows eightfold with the text it is given
BINARY_SUFFIXES = (".wasm", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".pagefind")
WHITESPACE = bytes.maketrans(b"\n\r\t", b"   ")
JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\"/\\bfnrt]))")
JSON_ESCAPES = {'"': '"', "/": "/", "\\": "\\", "b": " ", "f": " ", "n": " ", "r": " ", "t": " "}


@dataclass(frozen=True)
class Searcher:
    """Every phrase searched for in one pass over a text (Aho-Corasick, compiled), however many phrases there
    are; a match is told by the phrase's number."""

    automaton: ahocorasick_rs.AhoCorasick
    phrases: tuple[str, ...]
    longest: int  # characters of the longest phrase


def automaton(phrases: Iterable[str]) -> Searcher | None:
    ordered = tuple(sorted({phrase for phrase in phrases if phrase}))
    if not ordered:
        return None
    longest = max(len(phrase) for phrase in ordered)
    return Searcher(ahocorasick_rs.AhoCorasick(ordered, store_patterns=False), ordered, longest)


def found(searcher: Searcher, text: str) -> set[str]:
    """The phrases in `text`, overlapping ones included; those shorter than a distinctive sentence only as whole
    words ("Acme", not "Acmeon").

    A long text (a data export of megabytes) is matched a window at a time, each window running on by the longest
    phrase, so every match lies whole in the window where it starts, and the words around it are read in `text`.
    """
    result = set()
    phrases, match = searcher.phrases, searcher.automaton.find_matches_as_indexes
    for offset in range(0, len(text), WINDOW):
        window = text[offset : offset + WINDOW + searcher.longest] if len(text) > WINDOW else text
        for number, start, end in match(window, overlapping=True):
            phrase = phrases[number]
            if len(phrase) >= MIN_SENTENCE or _whole_words(text, offset + start, offset + end):
                result.add(phrase)
    return result


def _whole_words(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


class Scanner:
    """The withheld phrases in one file, each told only for the first file (by name) this process finds it in.

    The check names one file per phrase, the first; a synthetic archive's pages share hundreds of sentences,
    and every copy of every phrase sent back from the workers would stay in memory. Each worker has its own
    copy of a scanner (made before they fork), so the first file overall is the first of the workers' firsts.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.first: dict[str, str] = {}

    def __call__(self, data: bytes, name: str) -> frozenset[str]:
        if name.endswith(BINARY_SUFFIXES):  # no text in them to read
            return frozenset()
        return frozenset(phrase for phrase in found(self.searcher, readable(data)) if self._first(phrase, name))

    def _first(self, phrase: str, name: str) -> bool:
        known = self.first.get(phrase)
        if known is not None and known <= name:
            return False
        self.first[phrase] = name
        return True


def note_hits(hits: dict[str, str], phrases: Iterable[str], name: str) -> None:
    """Add to `hits` (phrase → the first file, by name, holding it) the phrases found in the file `name`."""
    for phrase in phrases:
        if phrase not in hits or name < hits[phrase]:
            hits[phrase] = name


def merge_hits(hits: dict[str, str], more: Mapping[str, str]) -> None:
    """Add to `hits` those found elsewhere (by the render workers, say), keeping the first file of each."""
    for phrase, name in more.items():
        note_hits(hits, (phrase,), name)


def find(phrases: Collection[str], files: Mapping[str, bytes]) -> dict[str, str]:
    """Each of `phrases` found in any of `files`, with the first file (by name) it is in."""
    searcher = automaton(phrases)
    hits: dict[str, str] = {}
    if searcher is None:
        return hits
    scan = Scanner(searcher)
    for name in sorted(files):
        note_hits(hits, scan(files[name], name), name)
    return hits


def normalise(text: str) -> str:
    """Line breaks and tabs as spaces, as a reader sees them (a soft line break in a paragraph is a space)."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")  # str.translate is far slower


def readable(data: bytes) -> str:
    """A file's text as it reads, whatever the wrapping: gzip (Pagefind), JSON escapes and HTML entities undone."""
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    text = data.removeprefix(b"pagefind_dcd").translate(WHITESPACE).decode("utf-8", errors="replace")
    if "\\" in text:
        text = JSON_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else JSON_ESCAPES[m.group(2)], text)
    return html.unescape(text) if "&" in text else text
