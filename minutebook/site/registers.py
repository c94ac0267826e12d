"""The registers of decisions: every resolution, the site's and each committee's, and the same by year and status.

Filtering works without scripts through a few pages made in advance, one
per year (`decisions/2021/`) and per status (`decisions/status/in-force/`),
besides each committee's register: tens of pages for an archive of ten
thousand resolutions, never one per combination. On the register itself a
small script (static/site.js) filters the rows by committee, year and status
at once, with the choice kept in the address.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from ..content.model import Resolution
from .planner import Page, Planner

STATUSES = ("in force", "amended", "superseded", "rescinded")
STATUS_HEADINGS = MappingProxyType(
    {
        "in force": "Decisions in force",
        "amended": "Amended decisions",
        "superseded": "Superseded decisions",
        "rescinded": "Rescinded decisions",
    }
)


def status_slug(status: str) -> str:
    return status.replace(" ", "-")


def year_url(year: int) -> str:
    return f"decisions/{year}/"


def status_url(status: str) -> str:
    return f"decisions/status/{status_slug(status)}/"


def years(p: Planner) -> list[int]:
    """Every year with a published decision, newest first: each has a page."""
    return sorted({r.meeting.year for r in p.site.resolutions.values()}, reverse=True)


def statuses(p: Planner) -> list[str]:
    """Every status some published decision has, in the order of STATUSES: each has a page."""
    found = {p.status(r) for r in p.site.resolutions.values()}
    return [s for s in STATUSES if s in found]


def committees(p: Planner) -> list[tuple[str, str]]:
    """Every committee with a published decision, by name: a choice that never leads to an empty register."""
    found = {r.committee for r in p.site.resolutions.values()}
    return [(c.slug, c.name) for c in p.committees() if c.slug in found]


def register(p: Planner) -> Page:
    return _page(p, "decisions/", "Decisions register", p.resolutions_of(), p.crumbs(), scope="all")


def committee_register(p: Planner, slug: str) -> Page:
    committee = p.site.committees[slug]
    crumbs = p.crumbs(("Committees", p.urls.href("committees/")), p.committee_crumb(slug))
    page = _page(
        p, f"committees/{slug}/resolutions/", f"Decisions of the {committee.name}", p.resolutions_of(slug), crumbs
    )
    page.context["committee"] = committee
    return page


def year_register(p: Planner, year: int) -> Page:
    found = [r for r in p.resolutions_of() if r.meeting.year == year]
    crumbs = p.crumbs(("Decisions", p.urls.href("decisions/")))
    return _page(p, year_url(year), f"Decisions made in {year}", found, crumbs, scope="year", year=year)


def status_register(p: Planner, status: str) -> Page:
    found = [r for r in p.resolutions_of() if p.status(r) == status]
    crumbs = p.crumbs(("Decisions", p.urls.href("decisions/")))
    return _page(p, status_url(status), STATUS_HEADINGS[status], found, crumbs, scope="status", status=status)


def _page(
    p: Planner,
    url: str,
    heading: str,
    resolutions: list[Resolution],
    crumbs: list[tuple[str, str]],
    scope: str = "committee",
    **chosen: Any,
) -> Page:
    """A register page: its resolutions by year, and the ways to other registers (links, and the script's form).

    Each way leads to at least one decision: the links to the registers that have some, and the form's
    choices to the committees, years and statuses of the decisions on this page.
    """
    all_committees, all_statuses = committees(p), [(s, status_slug(s), STATUS_HEADINGS[s]) for s in statuses(p)]
    deciding, decided = {r.committee for r in resolutions}, {p.status(r) for r in resolutions}
    choices = {
        "committees": [c for c in all_committees if c[0] in deciding],
        "years": sorted({r.meeting.year for r in resolutions}, reverse=True),
        "statuses": [s for s in all_statuses if s[0] in decided],
    }
    return Page(
        url,
        "register.html",
        {
            "heading": heading,
            "scope": scope,
            "chosen": chosen,
            "by_year": _by_year(resolutions),
            "status": {r.key: p.status(r) for r in resolutions},
            "committee": None,
            "committees": all_committees,
            "years": years(p),
            "statuses": all_statuses,
            "choices": choices,
            "crumbs": crumbs,
        },
    )


def _by_year(resolutions: list[Resolution]) -> list[tuple[int, list[Resolution]]]:
    found: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        found.setdefault(resolution.meeting.year, []).append(resolution)
    return sorted(found.items(), reverse=True)
