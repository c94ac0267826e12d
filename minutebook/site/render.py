"""Rendering: `Page` values into bytes with Jinja (autoescape on, undefined names are errors)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import jinja2
import jinja2.bccache

from ..content.body import Rendered
from ..content.model import Paper
from ..content.published import Published
from . import paragraphs, summaries, urls
from .planner import Page, ShownBody
from .urls import absolute_url


class Compiled(Protocol):
    """Where compiled templates are kept between builds (minutebook.build.project), by their source's checksum."""

    def load(self, key: str) -> bytes | None: ...

    def dump(self, key: str, code: bytes) -> None: ...


class _Bytecode(jinja2.BytecodeCache):
    """Jinja's side of `Compiled`."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.load(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled.dump(bucket.key, bucket.bytecode_to_string())


class BodyReader(Protocol):
    """Where a page's bodies are read from when it is rendered (the build's body store)."""

    def html(self, source: str) -> str: ...

    def text(self, source: str) -> str: ...


class Environment(jinja2.Environment):
    """A template may read a document's body itself (`paper.body.text`): it is read from the body store.

    A page's key covers every body its context holds, by its text's digest (see build.digest), so a page
    drawn this way is made again whenever a body it could read changes.
    """

    bodies: BodyReader | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is Rendered and obj.stored is not None and attribute in BODY_FIELDS and self.bodies is not None:
            return getattr(self.bodies, attribute)(obj.stored)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is Rendered and obj.stored is not None and argument in BODY_FIELDS and self.bodies is not None:
            return getattr(self.bodies, argument)(obj.stored)
        return super().getitem(obj, argument)


BODY_FIELDS = ("html", "text")


def environment(
    templates: Path,
    published: Published,
    base: str,
    compiled: Compiled | None = None,
    bodies: BodyReader | None = None,
    sizes: Mapping[str, int] | None = None,
) -> jinja2.Environment:
    """One Jinja environment per build; councils override any file by putting their own in templates/.

    `sizes` holds the bytes of each output file a page prints the size of, made before the page (build.rendering).
    """
    config = published.config
    env = Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_Bytecode(compiled) if compiled is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    committees = {slug: c.name for slug, c in published.site.committees.items()}
    env.globals.update(
        config=config,
        preview=published.preview,
        has_page=lambda paper: urls.has_page(paper, published.preview),
        href=lambda url: base + url,
        absolute=lambda url: absolute_url(config.base_url, url),
        committee_url=urls.committee_url,
        meeting_url=urls.meeting_url,
        minutes_url=urls.minutes_url,
        pack_url=urls.pack_url,
        paper_url=urls.paper_url,
        resolution_url=urls.resolution_url,
        subject_url=urls.subject_url,
        long_date=long_date,
        webcal=lambda url: re.sub(r"^https?://", "webcal://", absolute_url(config.base_url, url)),
        weekday_date=lambda d: f"{d:%A} {long_date(d)}",
        clock=clock,
        appendix_name=appendix_name,
        exempt_wording=lambda n: config.exempt_wording.format(paragraph=n),
        committee_name=lambda slug: committees.get(slug, slug),
        file_size=lambda path: file_size((sizes or {})[path]),
    )
    env.filters["demote"] = demote_headings
    env.filters["paragraph_links"] = paragraphs.link_numbers
    env.filters["contents"] = summaries.contents
    env.filters["purpose"] = summaries.purpose
    env.filters["first_words"] = summaries.first_words
    env.filters["up_to"] = summaries.up_to
    env.bodies = bodies
    return env


def file_size(size: int) -> str:
    """A download's size as GOV.UK prints it: "410 KB", "1.2 MB"."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def clock(hhmm: str) -> str:
    """10:30 → 10.30am, the way councils print times."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}.{minute:02d}{suffix}"


def appendix_name(paper: Paper) -> str:
    label = paper.appendix_label
    if label.isdigit() or len(label) == 1:
        return f"Appendix {label.upper()}"
    return "Appendix"


def demote_headings(html: str) -> str:
    """Inside the agenda pack every paper sits under an h2, so its own headings move down one level."""
    return re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def render_page(env: jinja2.Environment, page: Page, bodies: BodyReader) -> bytes:
    """The page's bytes: its bodies read from the store and finished, then its template drawn."""
    context = {name: _with_bodies(value, bodies) for name, value in page.context.items()}
    return env.get_template(page.template).render(**context).encode("utf-8")


def _with_bodies(value: Any, bodies: BodyReader) -> Any:
    """A context value with every `ShownBody` in it (at any depth of lists and dicts) turned into its HTML."""
    if type(value) is ShownBody:
        return value.finish(bodies.html(value.source))
    if type(value) is list:
        return [_with_bodies(item, bodies) for item in value] if any(_holds_body(i) for i in value) else value
    if type(value) is dict:
        if not any(_holds_body(v) for v in value.values()):
            return value
        return {key: _with_bodies(item, bodies) for key, item in value.items()}
    return value


def _holds_body(value: Any) -> bool:
    if type(value) is ShownBody:
        return True
    if type(value) is list:
        return any(_holds_body(item) for item in value)
    if type(value) is dict:
        return any(_holds_body(item) for item in value.values())
    return False
