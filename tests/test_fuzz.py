"""Property-based fuzzing: whatever a clerk pastes, the engine answers with HTML or diagnostics, never a crash.

Random front matter, random Markdown (HTML fragments, unicode, deep nesting)
and both together through the whole pipeline on a tiny site. Examples are
bounded so the file runs in seconds.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from conftest import build, write_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minutebook.content import markdown, sources
from minutebook.content.body import finish
from minutebook.content.parse import parse
from minutebook.content.parsed import Parsed

PAPER = "content/committees/test/2021-01-11/04-report.md"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))  # FUZZ_EXAMPLES=2000 for a longer hunt
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(
    max_examples=max(EXAMPLES * 3 // 5, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

HTML_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<iframe src=//x>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:x'>",
    "<svg onload=alert(1)>",
    "<u>",
    "</u>",
    "<p>",
    "<span style='x'>",
    "<input type=checkbox checked>",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "<?php ?>",
    "<style>*{}</style>",
    "<div>",
    "<br/>",
    "<o:p>",
    "</",
    "&lt;",
    "&#x3C;script&#x3E;",
    "&amp;",
    '<a href="http://x" onclick="y">z</a>',
]
MARKDOWN_PIECES = [
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "# ",
    "## ",
    "### 4. ",
    "- ",
    "* ",
    "1. ",
    "1) ",
    "a) ",
    "> ",
    ">>>>",
    "```",
    "~~~",
    "    ",
    "| a | b |\n| --- | --- |\n",
    "| ",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "[^1]",
    "[^1]: ",
    "*",
    "**",
    "_",
    "`",
    ":::",
    "::: recommendations\n",
    "::: resolved 2021/001\n",
    ":::\n",
    "paragraph 21",
    "paragraphs 18-20",
    "resolution 2021/002",
    "RESOLVED 2021/003",
    "1.1 ",
    "2.35 ",
    "[x](resolution:2021/003)",
    "[y](paper:a/b/c)",
    "[z](javascript:alert(1))",
    "<javascript:alert(1)>",
    "https://example.org",
    "x@example.org",
    "{{ 7*7 }}",
    "{% raw %}",
    "\u00a0",
    "\u200b",
    "\u202e",
    "é",
    "𝔘",
    "¹",
    "·",
    "",
    "\x00",
    "\ufeff",
    "Page 43 of 102",
    "—",
    "\\",
    "\r",
]

markdown_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_PIECES), st.sampled_from(HTML_FRAGMENTS), st.text(max_size=12)),
    max_size=60,
).map("".join)
deep_nesting = st.tuples(
    st.sampled_from(["> ", "- ", "  - ", "1. ", "* ", "[", "*", "<div>"]), st.integers(0, 300)
).map(lambda p: p[0] * p[1] + "text\n")

KEYS = [
    "title",
    "titel",
    "item",
    "report_of",
    "author",
    "contact",
    "key_decision",
    "wards",
    "subjects",
    "published",
    "access",
    "exempt_paragraph",
    "public_title",
    "draft",
    "publish_on",
    "exmept",
    "",
    "?",
    "- ",
]
VALUES = [
    "A report",
    "yes",
    "true",
    "false",
    "2021-02-30",
    "2021-02-08",
    "25:00",
    "3",
    "9",
    "exempt",
    "[a, b",
    "[All]",
    "{a: 1}",
    "&x 1",
    "*x",
    "!!python/object:os.system x",
    '"unclosed',
    "'q''s'",
    "~",
    "null",
    "\n  name: Jo\n  email: jo@example.org",
    "\n\t- tab",
    "é 𝔘",
    "<b>x</b>",
    "{{ 7*7 }}",
    ": colon",
    "- - -",
]
front_line = st.tuples(st.sampled_from(KEYS), st.one_of(st.sampled_from(VALUES), st.text(max_size=15))).map(
    lambda kv: f"{kv[0]}: {kv[1]}"
)
front_matter = st.one_of(st.lists(front_line, max_size=10).map("\n".join), st.text(max_size=200))


def source(text: str, path: str = PAPER) -> sources.Source:
    return sources.Source(path, text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


class LiveParts(HTMLParser):
    """What a browser would run or follow in a piece of HTML."""

    SAFE_TAGS = frozenset(
        {
            "p",
            "a",
            "em",
            "strong",
            "code",
            "pre",
            "ul",
            "ol",
            "li",
            "blockquote",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "br",
            "img",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "caption",
            "div",
            "section",
            "sup",
            "span",
            "s",
            "del",
            "dl",
            "dt",
            "dd",
        }
    )

    def __init__(self, whole_page: bool = False) -> None:
        super().__init__()
        self.unsafe: list[str] = []
        self.whole_page = whole_page  # a template's own page: its <html>, <script src>, <form> are fine

    def handle_starttag(self, tag, attrs):
        if self.whole_page:
            if tag in ("iframe", "object", "embed", "svg", "math", "frame", "base", "style") or (
                tag == "script" and "src" not in dict(attrs)
            ):
                self.unsafe.append(f"<{tag}>")
        elif tag not in self.SAFE_TAGS:
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "formaction") or (name == "style" and tag != "html"):
                self.unsafe.append(f"{tag} {name}")
            scheme = value.split(":", 1)[0].lower() if value and ":" in value.split("/")[0].split("#")[0] else ""
            if name in ("href", "src") and scheme and scheme not in ("http", "https", "mailto", "tel", "webcal"):
                self.unsafe.append(f"{tag} {name}={value}")


def live_parts(html: str, whole_page: bool = False) -> list[str]:
    parser = LiveParts(whole_page)
    parser.feed(html)
    parser.close()
    return parser.unsafe


def test_the_live_parts_checker_can_fail():
    assert live_parts("<script>x</script><a href='JavaScript:x' onclick='y'>z</a>") == [
        "<script>",
        "a href=JavaScript:x",
        "a onclick",
    ]
    assert live_parts('<html style="x"><script src="/s.js"></script><iframe>', whole_page=True) == ["<iframe>"]


@FAST
@given(front_matter, markdown_text)
def test_parse_gives_a_document_or_diagnostics(front, body):
    result = parse(source(f"---\n{front}\n---\n{body}"))
    found = result.diagnostics if isinstance(result, Parsed) else (result,)
    assert all(d.path == PAPER and d.line >= 0 and d.message for d in found)


@FAST
@given(st.text(max_size=400))
def test_any_text_at_all_parses_without_an_exception(text):
    for path in (PAPER, "content/committees/test/2021-01-11/minutes.md"):
        result = parse(source(text, path))
        assert (result.source.path if isinstance(result, Parsed) else result.path) == path


@FAST
@given(st.one_of(markdown_text, deep_nesting))
@example(body="> ::: recommendations\n> ")  # an unclosed block at the end of a quote once crashed the parser
def test_markdown_renders_to_html_that_runs_nothing(body):
    for numbered, minutes in ((True, False), (False, True)):
        rendered = markdown.render(body, PAPER, 4, numbered=numbered, minutes=minutes)
        html = finish(rendered.html, [None] * len(rendered.refs))
        assert "\x00" not in html  # no link placeholder left behind
        assert live_parts(html) == []
        assert all(d.path == PAPER and d.line >= 4 for d in rendered.diagnostics)


@FAST
@given(st.sampled_from(HTML_FRAGMENTS), st.sampled_from(["", "Intro ", "- ", "> ", "| a |\n| - |\n| "]))
def test_every_html_fragment_is_dropped_converted_or_shown_as_text(fragment, before):
    rendered = markdown.render(f"{before}{fragment}\n", PAPER, 4)
    assert live_parts(finish(rendered.html, [None] * len(rendered.refs))) == []


GOOD_FRONT = ["title: A report", "title: Contract\naccess: exempt\nexempt_paragraph: 3", "title: X\ndraft: true"]


@PIPELINE
@given(st.one_of(st.sampled_from(GOOD_FRONT), front_matter), st.one_of(markdown_text, deep_nesting))
def test_the_whole_pipeline_gives_a_site_or_diagnostics(front, body):
    with tempfile.TemporaryDirectory() as scratch:
        root = write_site(Path(scratch) / "site", {})
        (root / PAPER).write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
        result = build(root, search=False)  # Pagefind is not fuzzed here
        errors = [d for d in result.diagnostics if d.severity == "error"]
        assert result.ok != bool(errors)
        if result.ok:
            pages = list((root / "output").rglob("*.html"))
            assert pages
            for page in pages:
                assert live_parts(page.read_text(encoding="utf-8"), whole_page=True) == [], page
        else:
            assert not (root / "output").exists()
            assert all(str(d).startswith(("content/", "site.toml", "publication gate")) for d in errors)
