"""Rendering: `Page` values into bytes with Jinja (autoescape on, undefined names are errors)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2

from . import bodies, pages
from .config import Config
from .markdown import Rendered
from .model import Paper


def environment(
    templates: Path,
    config: Config,
    base: str,
    preview: bool = False,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """One Jinja environment per build; councils override any file by putting their own in templates/."""
    env = Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    committees: dict[str, str] = {}
    env.globals.update(
        config=config,
        preview=preview,
        href=lambda url: base + url,
        absolute=lambda url: (
            config.base_url.rstrip("/") + "/" + url if not config.base_url.endswith("/") else config.base_url + url
        ),
        committee_url=pages.committee_url,
        meeting_url=pages.meeting_url,
        minutes_url=pages.minutes_url,
        pack_url=pages.pack_url,
        paper_url=pages.paper_url,
        resolution_url=pages.resolution_url,
        subject_url=pages.subject_url,
        long_date=long_date,
        weekday_date=lambda d: f"{d:%A} {long_date(d)}",
        clock=clock,
        appendix_name=appendix_name,
        exempt_wording=lambda n: config.exempt_wording.format(paragraph=n),
        committee_name=lambda slug: committees.get(slug, slug),
        _committee_names=committees,
    )
    env.filters["demote"] = demote_headings
    return env


BODY_FIELDS = ("html", "text")


class Environment(jinja2.Environment):
    """Notes when a template reads a body's HTML or text itself rather than the page's own `html`.

    Which pages show which bodies is then no longer known from the plan
    (`Page.bodies`), so body-only edits are turned off (minutebook.bodyedits).
    """

    reads_bodies = False

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is Rendered and attribute in BODY_FIELDS:
            self.reads_bodies = True
            obj = bodies.full(obj)  # a body whose HTML waits in the cache is read back for the template
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is Rendered and argument in BODY_FIELDS:
            self.reads_bodies = True
            obj = bodies.full(obj)
        return super().getitem(obj, argument)


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


def render_page(env: jinja2.Environment, page: pages.Page) -> bytes:
    return env.get_template(page.template).render(**page.context).encode("utf-8")


def reads_bodies(env: jinja2.Environment) -> bool:
    return bool(getattr(env, "reads_bodies", False))
