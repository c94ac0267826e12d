"""The site's own pages: the home page, the indexes of committees, meetings, decisions and subjects, and the rest."""

from __future__ import annotations

from typing import Any

from .planner import Page, Planner
from .urls import committee_url, resolution_url, subject_url


def home(p: Planner) -> Page:
    recent = [m for _, ms in p.past_by_year() for m in ms][:6]
    return Page(
        "",
        "home.html",
        {
            "upcoming": p.upcoming()[:10],
            "recent": recent,
            "decisions": p.recent_decisions()[:5],
            "committees": p.committees(),
            "crumbs": [],
        },
    )


def committees_index(p: Planner) -> Page:
    counts = {c: len(p.meetings_of(c)) for c in p.site.committees}
    return Page(
        "committees/", "committees.html", {"committees": p.committees(), "crumbs": p.crumbs(), "counts": counts}
    )


def meetings_index(p: Planner) -> Page:
    return Page(
        "meetings/", "meetings.html", {"upcoming": p.upcoming(), "past": p.past_by_year(), "crumbs": p.crumbs()}
    )


def committee(p: Planner, slug: str) -> Page:
    committee = p.site.committees[slug]
    forward = [(m, list(m.agenda)) for m in p.upcoming(slug)]
    return Page(
        committee_url(slug),
        "committee.html",
        {
            "committee": committee,
            "description": p.body(committee.description, committee.source),
            "upcoming": p.upcoming(slug),
            "past": p.past_by_year(slug),
            "forward": forward,
            "decisions": p.recent_decisions(slug)[:10],
            "crumbs": p.crumbs(("Committees", p.urls.href("committees/"))),
        },
    )


def subjects_index(p: Planner) -> Page:
    subjects = sorted(p.site.subjects.values(), key=lambda s: s.title)
    return Page("subjects/", "subjects.html", {"subjects": subjects, "crumbs": p.crumbs()})


def subject(p: Planner, slug: str) -> Page:
    subject = p.site.subjects[slug]
    return Page(
        subject_url(slug),
        "subject.html",
        {
            "subject": subject,
            "description": p.body(subject.description, subject.source),
            "chronology": _chronology(p, slug),
            "crumbs": p.crumbs(("Subjects", p.urls.href("subjects/"))),
        },
    )


def _chronology(p: Planner, slug: str) -> list[dict[str, Any]]:
    """Every meeting, paper and decision on a subject, oldest first."""
    entries: list[dict[str, Any]] = []
    for paper in p.papers_on(slug):
        entries.append(
            {
                "date": paper.meeting,
                "kind": "Appendix" if paper.parent else "Report",
                "title": paper.title,
                "href": p.paper_href(paper),
                "meeting": p.meeting_of(paper),
                "committee": paper.committee,
            }
        )
    for resolution in p.decided_on(slug):
        entries.append(
            {
                "date": resolution.meeting,
                "kind": "Decision",
                "title": f"{resolution.label}: {resolution.title}",
                "href": p.urls.href(resolution_url(resolution)),
                "meeting": p.meeting_on(resolution),  # None for an earlier record of a meeting not on the site
                "committee": resolution.committee,
            }
        )
    return sorted(entries, key=lambda e: (e["date"], e["kind"] != "Report", e["title"]))


def search(p: Planner) -> Page:
    return Page("search/", "search.html", {"crumbs": p.crumbs(), "committees": p.committees()})


def keeping_up(p: Planner) -> Page:
    """How to follow meetings and decisions without visiting the site: calendars and feeds, explained."""
    subjects = sorted(p.site.subjects.values(), key=lambda s: s.title)
    return Page(
        "keep-up-to-date/", "keep-up.html", {"crumbs": p.crumbs(), "committees": p.committees(), "subjects": subjects}
    )


def accessibility(p: Planner) -> Page:
    return Page("accessibility/", "accessibility.html", {"crumbs": p.crumbs()})


def open_data(p: Planner) -> Page:
    """The downloads themselves are made by site.data; this page only lists them."""
    return Page("data/", "data.html", {"crumbs": p.crumbs()})


def not_found(p: Planner) -> Page:
    return Page("404.html", "404.html", {"crumbs": p.crumbs()})
