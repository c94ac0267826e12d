"""The canary: on every production build, planted withheld things go through the real gate, and must not come out.

The site's committees and subjects are given planted withheld things — a
draft meeting holding an exempt item, an exempt paper with an appendix that
says nothing of exemption, an exempt item whose paper and appendix say
nothing of it, a draft item with a paper, a draft paper, an embargoed paper,
embargoed minutes, and a draft and an embargoed record of an earlier
decision — each carrying a random token in every text field (fields added to
the model later included). The token must appear nowhere in the public model
the gate returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from ..content import gate
from ..content.body import Heading, LinkRef, Rendered
from ..content.model import (
    PUBLIC,
    Access,
    AgendaItem,
    Attendance,
    Committee,
    EarlierRecord,
    Meeting,
    Minutes,
    Paper,
    Person,
    Relation,
    Resolution,
    Site,
)
from ..diagnostics import Diagnostic

Filled = TypeVar("Filled", Meeting, Paper, Resolution, EarlierRecord)
WHERE = "publication gate"
STOPPED = "the build was stopped and nothing was published"


def check_canary(full: Site, today: dt.date, token: str | None = None) -> list[Diagnostic]:
    """Plant withheld things carrying `token` into a copy of the model; the gate must drop every trace of it."""
    token = token or "mbcanary" + secrets.token_hex(8)
    planted = plant(host_site(full), today, token)
    public = gate.public_site(planted, today)
    places = sorted(find_token(public, token))
    if not places:
        return []
    more = f" (and {len(places) - 5} more places)" if len(places) > 5 else ""
    return [
        Diagnostic(
            WHERE,
            0,
            f"self-check failed: planted withheld text reached the public model at "
            f"{', '.join(places[:5])}{more}; {STOPPED}",
        )
    ]


def host_site(full: Site) -> Site:
    """The real committees and subjects without the documents: what the planted things share with the site.

    The planted meetings fall on days no real meeting uses, so no real document can touch them; leaving the
    documents out keeps the canary to milliseconds at any archive size while the real gate still runs on
    every planted withheld thing, and the public model it returns is searched for the token in full.
    """
    return Site(
        committees=dict(full.committees),
        meetings={},
        papers={},
        minutes={},
        resolutions={},
        subjects=dict(full.subjects),
    )


def plant(full: Site, today: dt.date, token: str) -> Site:
    """The full model plus withheld things whose every text field carries `token`; the original is not changed."""
    committees = dict(full.committees)
    slug = min(committees) if committees else "leak-check"
    committees.setdefault(slug, Committee(slug, "Leak check", "committee", Rendered(html=""), None, (), ""))
    host_date, draft_date = _free_dates(full, slug, 2)
    host = _meeting(slug, host_date, draft=False, token="")
    draft = _meeting(slug, draft_date, draft=True, token=token)
    exempt_item = _item(slug, host_date, "998", token, exempt=True)
    public_item = _item(slug, host_date, "999", "", exempt=False)
    inheriting_item = _item(slug, host_date, "997", token, exempt=True)  # its papers say nothing of exemption
    draft_item = dataclasses.replace(_item(slug, host_date, "996", token, exempt=False), draft=True)
    papers = {
        "exempt": _paper(slug, host_date, "998", f"998-{token}", token, access=Access(True, 3)),
        "appendix": _paper(slug, host_date, "998", f"998-{token}-appendix-1", token, parent=f"998-{token}"),
        "under-exempt-item": _paper(slug, host_date, "997", f"997-{token}", token),
        "its-appendix": _paper(slug, host_date, "997", f"997-{token}-appendix-1", token, parent=f"997-{token}"),
        "under-draft-item": _paper(slug, host_date, "996", f"996-{token}", token),
        "draft": _paper(slug, host_date, "999", f"999-{token}-draft", token, draft=True),
        "embargoed": _paper(slug, host_date, "999", f"999-{token}-later", token, publish_on=today + dt.timedelta(1)),
        "in-draft-meeting": _paper(slug, draft_date, "1", f"1-{token}", token),
    }
    papers["exempt"] = dataclasses.replace(papers["exempt"], appendices=(papers["appendix"].id,))
    papers["under-exempt-item"] = dataclasses.replace(
        papers["under-exempt-item"], appendices=(papers["its-appendix"].id,)
    )
    host = dataclasses.replace(
        host,
        agenda=(
            dataclasses.replace(exempt_item, papers=(papers["exempt"].id,)),
            dataclasses.replace(inheriting_item, papers=(papers["under-exempt-item"].id,)),
            dataclasses.replace(draft_item, papers=(papers["under-draft-item"].id,)),
            dataclasses.replace(public_item, papers=(papers["draft"].id, papers["embargoed"].id)),
        ),
    )
    draft = dataclasses.replace(
        draft,
        agenda=(
            dataclasses.replace(
                _item(slug, draft_date, "1", token, exempt=True), papers=(papers["in-draft-meeting"].id,)
            ),
        ),
    )
    minutes, resolution = _minutes(slug, host_date, token, today)
    records = (
        _earlier(slug, host_date, f"{token}/2", token, draft=True),
        _earlier(slug, host_date, f"{token}/3", token, publish_on=today + dt.timedelta(1)),
    )
    return Site(
        committees=committees,
        meetings={**full.meetings, host.key: host, draft.key: draft},
        papers={**full.papers, **{p.id: p for p in papers.values()}},
        minutes={**full.minutes, minutes_key(minutes): minutes},
        resolutions={**full.resolutions, resolution.key: resolution, **{r.key: r for r in records}},
        subjects=dict(full.subjects),
    )


def minutes_key(minutes: Minutes) -> str:
    return f"{minutes.committee}/{minutes.meeting.isoformat()}"


def _free_dates(full: Site, slug: str, count: int) -> list[dt.date]:
    dates: list[dt.date] = []
    day = dt.date(1901, 1, 1)
    while len(dates) < count:
        if f"{slug}/{day.isoformat()}" not in full.meetings:
            dates.append(day)
        day += dt.timedelta(1)
    return dates


def _rendered(token: str) -> Rendered:
    return Rendered(
        html=f"<p>{token}</p>",
        refs=(LinkRef(f"paper:{token}", 1, token),),
        headings=(Heading(2, token, token),),
        paragraphs=(token,),
        recommendations_html=f"<li>{token}</li>",
        text=token,
        images=(f"{token}.png",),
    )


def _person(token: str) -> Person:
    return Person(token, token, token, token, f"{token}@example.org", token)


def _meeting(slug: str, day: dt.date, *, draft: bool, token: str) -> Meeting:
    text = token or "Leak check"
    meeting = Meeting(
        committee=slug,
        date=day,
        title=text,
        time="10:00",
        end_time="",
        venue=text,
        virtual=False,
        webcast=f"https://example.org/{token}" if token else "",
        status="scheduled",
        moved_to=None,
        status_note=token,
        agenda=(),
        attendance=Attendance(present=(_person(token),)) if token else Attendance(),
        notes=_rendered(token) if token else Rendered(html=""),
        revision=0,
        updated=None,
        draft=draft,
        publish_on=None,
        source=f"content/committees/{slug}/{day.isoformat()}/meeting.md",
    )
    return _filled(token, meeting) if token else meeting


def _item(slug: str, day: dt.date, number: str, token: str, *, exempt: bool) -> AgendaItem:
    access = Access(True, 3) if exempt else PUBLIC
    return AgendaItem(
        slug,
        day,
        number,
        token or "Leak check item",
        "report",
        False,
        (token,) if token else (),
        access,
        LinkRef(f"paper:{token}", 1, token) if token else None,
        (),
        1,
    )


def _paper(
    slug: str,
    day: dt.date,
    item: str,
    stem: str,
    token: str,
    *,
    access: Access = PUBLIC,
    draft: bool = False,
    publish_on: dt.date | None = None,
    parent: str = "",
) -> Paper:
    folder = f"{slug}/{day.isoformat()}"
    return _filled(
        token,
        Paper(
            id=f"{folder}/{stem}",
            committee=slug,
            meeting=day,
            item=item,
            stem=stem,
            title=token,
            parent=f"{folder}/{parent}" if parent else "",
            appendix_label="1" if parent else "",
            report_of=token,
            author=token,
            contact=_person(token),
            key_decision=False,
            wards=(token,),
            subjects=(token,),
            access=access,
            draft=draft,
            publish_on=publish_on,
            published=day,
            body=_rendered(token),
            source=f"content/committees/{folder}/{stem}.md",
        ),
        keep=("parent", "appendix_label", "appendices"),
    )


def _filled(token: str, thing: Filled, keep: tuple[str, ...] = ()) -> Filled:
    """Text fields added to the model later (and left empty above) carry the token too, so they are tested."""
    changes: dict[str, Any] = {}
    for spec in dataclasses.fields(thing):
        value, kind = getattr(thing, spec.name), str(spec.type)
        if spec.name in keep:
            continue
        if value == "" and kind == "str":
            changes[spec.name] = token
        elif value == () and kind.startswith("tuple[str"):
            changes[spec.name] = (token,)
    return dataclasses.replace(thing, **changes)


def _minutes(slug: str, day: dt.date, token: str, today: dt.date) -> tuple[Minutes, Resolution]:
    resolution = Resolution(
        slug,
        f"{token}/1",
        day,
        "999",
        token,
        f"<p>{token}</p>",
        token,
        (token,),
        (),
        "",
        f"content/committees/{slug}/{day.isoformat()}/minutes.md",
        1,
    )
    minutes = Minutes(
        slug,
        day,
        False,
        None,
        _rendered(token),
        (resolution.key,),
        False,
        today + dt.timedelta(1),
        day,
        resolution.source,
    )
    return minutes, resolution


def _earlier(
    slug: str, day: dt.date, number: str, token: str, *, draft: bool = False, publish_on: dt.date | None = None
) -> Resolution:
    """A record of an earlier decision, withheld by its own draft or date: it stands under no meeting."""
    record = EarlierRecord(
        f"https://example.org/{token}", (LinkRef(f"resolution:{token}", 1, token),), draft, publish_on
    )
    resolution = Resolution(
        slug,
        number,
        day,
        "",
        token,
        f"<p>{token}</p>",
        token,
        (token,),
        (Relation("amends", token, 1),),
        "",
        f"content/committees/{slug}/decisions/{token}.md",
        1,
        _filled(token, record),
    )
    return _filled(token, resolution)


def find_token(value: object, token: str) -> list[str]:
    """Where in a model `token` occurs: every dataclass field, dict key and value and tuple item, walked iteratively."""
    return [where for where, text in strings(value, "site") if token in text]


def strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    stack = [(where, value)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend((f"{where}.{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                stack.append((f"{where}[{key!r}] (key)", key))
                stack.append((f"{where}[{key!r}]", item))
        elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple (a link): by field, too
            stack.extend((f"{where}.{name}", item) for name, item in zip(value._fields, value, strict=True))
        elif isinstance(value, (tuple, list, set, frozenset)):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
