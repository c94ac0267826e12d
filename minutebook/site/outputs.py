"""Every output of the site, planned: its pages, then the feeds, calendars, data, crawler and static files, the
favicon and the agenda packs' PDFs.

The plan is a pure function of the published site and the templates; each
planned output says how to make it, so any one of them can be made alone,
in any process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..content.published import Published
from . import calendars, crawlers, data, docpages, earlier, favicon, feeds, indexpages, packs, registers, templatefiles
from .extra import Extra
from .planner import Page, Planner

Recipe = tuple[str, Any]  # (kind of page, its key): enough to plan one page again, alone

SITE_PAGES = (
    "home",
    "committees_index",
    "meetings_index",
    "subjects_index",
    "search",
    "accessibility",
    "keeping_up",
    "not_found",
    "open_data",
)


def recipes(p: Planner) -> list[Recipe]:
    """Every page of the site, in order, as the call that plans it."""
    site = p.site
    found: list[Recipe] = [(name, None) for name in SITE_PAGES if name != "search" or p.config.search]
    found += [("register", None), *(("year_register", y) for y in registers.years(p))]
    found += [("status_register", s) for s in registers.statuses(p)]
    for committee in sorted(site.committees):
        found += [("committee", committee), ("committee_register", committee)]
    for key, meeting in site.meetings.items():
        found += [("meeting", key), *([("pack", key)] if packs.has_pack(p, meeting) else [])]
    found += [("paper", paper_id) for paper_id, paper in site.papers.items() if p.has_page(paper)]
    found += [("redirect", pair) for pair in docpages.redirected(p)]
    found += [("minutes", key) for key in site.minutes]
    found += [("resolution" if r.earlier is None else "earlier", key) for key, r in site.resolutions.items()]
    found += [("subject", slug) for slug in sorted(site.subjects)]
    return found


PAGES: dict[str, Callable[..., Page]] = {
    **{name: getattr(indexpages, name) for name in SITE_PAGES},
    "register": registers.register,
    "year_register": registers.year_register,
    "status_register": registers.status_register,
    "committee": indexpages.committee,
    "committee_register": registers.committee_register,
    "subject": indexpages.subject,
    "redirect": docpages.redirect,
}
DOCUMENTS: dict[str, tuple[str, Callable[..., Page]]] = {  # pages about a document, found by its key
    "meeting": ("meetings", docpages.meeting),
    "pack": ("meetings", packs.pack),
    "paper": ("papers", docpages.paper),
    "minutes": ("minutes", docpages.minutes),
    "resolution": ("resolutions", docpages.resolution),
    "earlier": ("resolutions", earlier.page),
}


def page(p: Planner, recipe: Recipe) -> Page:
    """Plan one page again, alone."""
    name, key = recipe
    if name in DOCUMENTS:
        where, make = DOCUMENTS[name]
        return make(p, getattr(p.site, where)[key])
    return PAGES[name](p) if key is None else PAGES[name](p, key)


def source_of(p: Planner, recipe: Recipe) -> str:
    """The source of what a page is about ("" for the site's own pages): where the bodies it shows mostly are."""
    name, key = recipe
    if name in DOCUMENTS:
        return getattr(p.site, DOCUMENTS[name][0])[key].source
    if name == "committee":
        return p.site.committees[key].source
    if name == "subject":
        return p.site.subjects[key].source
    return ""


def site_extras(published: Published) -> list[Callable[[], list[Extra]]]:
    """The outputs that are not pages and show only the published site (data files, calendars, feeds), in parts
    that can be made apart, on any core: making the data files alone takes an archive seconds."""
    parts = [functools.partial(data.extras, published, part) for part in data.PARTS]
    return [*parts, functools.partial(calendars.extras, published), functools.partial(feeds.extras, published)]


def extras(
    published: Published, pages: list[tuple[str, str, str]], templates: Path, planned: list[Recipe] | None = None
) -> list[Extra]:
    """The other outputs that are not pages; `pages` is (url, path, template) of each planned page, for the
    sitemap, and `planned` the recipe of each, for the files made from pages (None: make none of those)."""
    found = crawlers.extras(published, pages)
    found += favicon.extras(published)
    static = templatefiles.static_files(templates / "static")
    found += [Extra(path, "static", data, data) for path, data in static.items()]  # small: carried as they are
    if planned is not None:
        found += packs.extras(published, [key for name, key in planned if name == "pack"])
    return found


MAKERS: dict[str, Callable[[Published, Any], bytes]] = {
    "calendars": calendars.make,
    "feeds": feeds.make,
    "data": data.make,
    "crawlers": crawlers.make,
    "favicon": favicon.make,
}


class Site(Protocol):
    """What a maker of a file made from a page reads: the page's bytes, the site's own files by name, and the
    site's address as its pages link to it (base_url's host with the build's base path)."""

    @property
    def address(self) -> str: ...

    def page(self, recipe: Recipe) -> bytes: ...

    def file(self, name: str) -> bytes | None: ...


def make(published: Published, extra: Extra, site: Site | None = None) -> bytes:
    """The bytes of one output that is not a page (`site` renders the page a PDF is made from)."""
    if extra.maker == "static":
        return bytes(extra.argument)
    if extra.maker == "pdf":
        assert site is not None and extra.page is not None, "a pack's PDF is made from its page"
        return packs.make(extra.argument, site.page(extra.page), site.file, site.address)
    return MAKERS[extra.maker](published, extra.argument)
