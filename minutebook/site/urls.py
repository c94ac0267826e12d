"""The URL scheme, and links from a document's body filled in against the published site.

Every address the site uses is made here, so a page, a feed entry and a
data record always agree on where something lives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.body import Rendered
from ..content.model import Meeting, Paper, Resolution, Site
from ..content.references import Target

Link = tuple[str, str] | None  # (href, "") linked; ("", public title) withheld; None: the words only


def committee_url(slug: str) -> str:
    return f"committees/{slug}/"


def meeting_url(key: str) -> str:
    return f"committees/{key}/"


def minutes_url(key: str) -> str:
    return f"committees/{key}/minutes/"


def pack_url(key: str) -> str:
    return f"committees/{key}/pack/"


def pack_pdf_url(key: str) -> str:
    return f"committees/{key}/agenda-pack.pdf"


def has_page(paper: Paper, preview: bool) -> bool:
    """Whether a paper has a page to link to: on the public site an exempt paper has none, only its public
    title (the clerk's preview shows it, marked)."""
    return preview or not paper.access.exempt


def paper_url(paper_id: str) -> str:
    return f"committees/{paper_id}/"


def resolution_url(resolution: Resolution) -> str:
    return f"committees/{resolution.committee}/resolutions/{resolution.slug}/"


def item_anchor(number: str) -> str:
    return f"item-{number}"


def subject_url(slug: str) -> str:
    return f"subjects/{slug}/"


def absolute_url(base_url: str, url: str) -> str:
    """A site URL against config.base_url: feeds, calendars and data are read away from the site."""
    return base_url.rstrip("/") + "/" + url


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.date:%-d %B %Y}"


def output_path(url: str) -> str:
    """The file a site URL is served from: a folder's index.html."""
    return url + "index.html" if url.endswith("/") or url == "" else url


@dataclass(frozen=True)
class Urls:
    """Turns targets into hrefs against the published site; anything not published gets no link."""

    site: Site
    base: str
    today: dt.date
    preview: bool = False
    withheld: dict[str, str] = field(default_factory=dict)  # exempt paper (full-model id) → its public title

    def href(self, url: str) -> str:
        return self.base + url

    def target(self, target: Target | None) -> str | None:
        if target is None:
            return None
        url = self._target_url(target)
        return None if url is None else self.href(url)

    def _target_url(self, target: Target) -> str | None:
        site = self.site
        kind, key = target.kind, target.key
        if kind == "paper":
            paper = site.papers.get(key)
            if paper is None or (paper.access.exempt and not self.preview):
                return None
            fragment = f"#{target.fragment}" if target.fragment else ""
            return paper_url(key) + fragment
        if kind == "resolution":
            return resolution_url(site.resolutions[key]) if key in site.resolutions else None
        if kind == "meeting":
            return meeting_url(key) if key in site.meetings else None
        if kind == "minutes":
            return minutes_url(key) if key in site.minutes else None
        if kind == "item":
            meeting_key, number = key.rsplit("/", 1)
            return f"{meeting_url(meeting_key)}#{item_anchor(number)}" if meeting_key in site.meetings else None
        if kind == "subject":
            return subject_url(key) if key in site.subjects else None
        if kind == "committee":
            return committee_url(key) if key in site.committees else None
        return None

    def body_links(self, rendered: Rendered, resolved: list[Target | None]) -> tuple[Link, ...]:
        """What each reference of a body becomes in this build: a link, the words alone, or a public title."""
        written = [not ref.auto for ref in rendered.refs]
        links: list[Link] = []
        for n, target in enumerate(resolved):
            if target is not None and target.kind == "paper" and target.key in self.withheld:
                # a clerk's link text may describe the paper: only its public title, unlinked; a mention found in
                # running text ("paragraph 1 of the report") keeps its words and loses its link
                links.append(("", self.withheld[target.key]) if n >= len(written) or written[n] else None)
            elif target is not None and target.fragment and self.target(target) is None:
                links.append(None)
            else:
                href = self.target(target)
                links.append((href, "") if href else None)
        own = [_own_fragment(ref.target, t) for ref, t in zip(rendered.refs, resolved, strict=False)]
        return tuple(("#" + fragment, "") if fragment else link for link, fragment in zip(links, own, strict=False))


def _own_fragment(written: str, target: Target | None) -> str:
    """A link within the same paper ("paragraph 21") stays a fragment so it works inside the agenda pack too."""
    return target.fragment if target is not None and written.startswith("#") else ""
