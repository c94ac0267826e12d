"""The front matter of each kind of document: every key, its type, and what it means to a clerk."""

from __future__ import annotations

from .schema import (
    Field,
    Schema,
    boolean,
    choice,
    date,
    decision_number,
    email,
    integer,
    item_number,
    list_of,
    paragraph_number,
    record,
    slug,
    text,
    time,
    url,
)

PERSON = Schema(
    "a person",
    (
        Field("name", text, "text", "the person's name", required=True, example="Tony Harper"),
        Field("role", text, "text", "their role, e.g. Chairman", example="Chairman"),
        Field("party", text, "text", "political party or group, if given", example="Labour"),
        Field("phone", text, "text", "telephone number", example="0115 977 4506"),
        Field("email", email, "email", "email address", example="jo.toomey@nottscc.gov.uk"),
        Field("for", text, "text", "for a substitute: whom they replaced", example="Dr John Doddy"),
    ),
)
person = record(PERSON)

ACCESS_FIELDS = (
    Field("access", choice("public", "exempt"), "public | exempt", "whether it may be published", default="public"),
    Field(
        "exempt_paragraph",
        paragraph_number,
        "number",
        "for exempt items: the Schedule 12A paragraph relied on",
        example="3",
    ),
    Field("public_title", text, "text", "for exempt items: the title residents may see", example="Exempt appendix"),
    Field(
        "public_description",
        text,
        "text",
        "for exempt items: a public description of what is withheld",
        example="Commercial terms of the contract",
    ),
)

PUBLICATION_FIELDS = (
    Field("draft", boolean, "true | false", "a draft is never published (the preview shows it)", default=False),
    Field("publish_on", date, "date", "kept out of the public site until this date", example="2021-02-01"),
)

AGENDA_ITEM = Schema(
    "an agenda item",
    (
        Field("number", item_number, "item number", "the printed item number (4, 4a)", required=True, example="4"),
        Field("title", text, "text", "the item's title as printed", required=True),
        Field(
            "kind",
            choice("minutes", "apologies", "declarations", "report", "work-programme", "exempt", "other"),
            "minutes | apologies | declarations | report | work-programme | exempt | other",
            "what sort of item it is",
            default="report",
        ),
        Field("key_decision", boolean, "true | false", "whether it is a key decision (shown only when written)"),
        Field("wards", list_of(text), "list of text", "wards or electoral divisions affected", default=tuple),
        Field(
            "ref", text, "reference", "what the item is about, e.g. minutes:2021-01-11", example="minutes:2021-01-11"
        ),
        *ACCESS_FIELDS,
        Field(
            "draft",
            boolean,
            "true | false",
            "not yet on the published agenda: the item and its papers are withheld (the preview shows them)",
            default=False,
        ),
    ),
)

COMMITTEE = Schema(
    "committee.md",
    (
        Field("name", text, "text", "the committee's full name", required=True),
        Field("short_name", text, "text", "a shorter name for menus and tables"),
        Field(
            "kind",
            choice("committee", "board", "cabinet", "executive", "sub-committee", "council"),
            "committee | board | cabinet | executive | sub-committee | council",
            "what sort of body",
            default="committee",
        ),
        Field("clerk", person, "person", "the clerk to contact"),
        Field("members", list_of(person, allow_single=False), "list of people", "the membership", default=tuple),
    ),
)

ATTENDANCE = Schema(
    "attendance",
    (
        Field("present", list_of(person, allow_single=False), "list of people", "members present", default=tuple),
        Field(
            "apologies", list_of(person, allow_single=False), "list of people", "apologies for absence", default=tuple
        ),
        Field(
            "absent", list_of(person, allow_single=False), "list of people", "absent without apologies", default=tuple
        ),
        Field(
            "substitutes",
            list_of(person, allow_single=False),
            "list of people",
            "substitutes (with 'for')",
            default=tuple,
        ),
        Field(
            "officers", list_of(person, allow_single=False), "list of people", "officers in attendance", default=tuple
        ),
        Field("others", list_of(person, allow_single=False), "list of people", "others present", default=tuple),
    ),
)

MEETING = Schema(
    "meeting.md",
    (
        Field("title", text, "text", "a title other than the committee's name"),
        Field("time", time, "time", 'start time, 24-hour, e.g. "10:30"', example='"10:30"'),
        Field("end_time", time, "time", "finishing time, if known", example='"13:05"'),
        Field("venue", text, "text", "where the meeting is held", example="County Hall, West Bridgford"),
        Field("virtual", boolean, "true | false", "held online", default=False),
        Field("webcast", url, "web address", "where to watch it", example="https://www.youtube.com/user/nottscc"),
        Field(
            "status",
            choice("scheduled", "held", "cancelled", "postponed", "moved"),
            "scheduled | held | cancelled | postponed | moved",
            "the meeting's status",
            default="scheduled",
        ),
        Field("moved_to", date, "date", "for a moved or postponed meeting: the new date"),
        Field("status_note", text, "text", "why it was cancelled or moved"),
        Field(
            "agenda",
            list_of(record(AGENDA_ITEM), allow_single=False),
            "list of agenda items",
            "the agenda, in order",
            default=tuple,
        ),
        Field("attendance", record(ATTENDANCE), "attendance", "who attended"),
        Field("revision", integer, "number", "raise by one each time the meeting's details change", default=0),
        Field("updated", date, "date", "when the agenda was last changed"),
        *PUBLICATION_FIELDS,
    ),
)

PAPER = Schema(
    "a paper",
    (
        Field("title", text, "text", "the paper's title", required=True),
        Field("item", item_number, "item number", "its agenda item (the file name already says it)", example="4"),
        Field("report_of", text, "text", "whose report it is", example="Corporate Director, Adult Social Care"),
        Field("author", text, "text", "who signed it", example="Melanie Brooks"),
        Field("contact", person, "person", "contact officer for enquiries"),
        Field("key_decision", boolean, "true | false", "whether it asks for a key decision (shown only when written)"),
        Field("wards", list_of(text), "list of text", "wards or electoral divisions affected", default=tuple),
        Field("subjects", list_of(slug), "list of subject slugs", "subjects this paper is about", default=tuple),
        Field("published", date, "date", "when it was published (defaults to the meeting date)", example="2021-01-29"),
        Field(
            "formerly",
            list_of(slug),
            "list of file names",
            "earlier file names (without .md): their web addresses keep working and lead here",
            default=tuple,
            example="[04-digital-plan]",
        ),
        *ACCESS_FIELDS,
        *PUBLICATION_FIELDS,
    ),
)

DECISION_SUBJECTS = Field(
    "subjects", list_of(slug), "list of subject slugs", "subjects the decision is about", default=tuple
)
RELATION_FIELDS = (
    Field("amends", list_of(text), "list of references", "earlier resolutions it amends", default=tuple),
    Field("supersedes", list_of(text), "list of references", "earlier resolutions it replaces", default=tuple),
    Field("rescinds", list_of(text), "list of references", "earlier resolutions it cancels", default=tuple),
    Field("refers_to", list_of(text), "list of references", "earlier resolutions it refers to", default=tuple),
)

RESOLUTION = Schema(
    "a resolution",
    (
        DECISION_SUBJECTS,
        *RELATION_FIELDS,
        Field("paper", text, "reference", "the report it was made on, when not the item's own paper"),
        Field("title", text, "text", "a short title for registers (defaults to the minute's heading)"),
    ),
)

EARLIER_DECISION = Schema(
    "an earlier decision",
    (
        Field(
            "number",
            decision_number,
            "decision number",
            "its number as the council wrote it (2015/042, 17/23, or 9 for minute 9 of its meeting)",
            required=True,
            example="2015/042",
        ),
        Field(
            "date", date, "date", "the day it was made: the date of its meeting", required=True, example="2015-06-29"
        ),
        Field("title", text, "text", "a short title for registers", required=True),
        Field(
            "record",
            url,
            "web address",
            "where the old record can be read, such as a PDF of the minutes",
            example="https://www.example.gov.uk/minutes-2015-06-29.pdf",
        ),
        DECISION_SUBJECTS,
        *RELATION_FIELDS,
        *PUBLICATION_FIELDS,
    ),
)

MINUTES = Schema(
    "minutes.md",
    (
        Field(
            "status",
            choice("draft", "confirmed"),
            "draft | confirmed",
            "draft minutes are marked until confirmed",
            default="draft",
        ),
        Field("confirmed_on", date, "date", "the meeting that confirmed them"),
        Field(
            "resolutions",
            lambda v: v,
            "numbers → resolution settings",
            "relations and subjects per resolution",
            default=dict,
        ),
        Field("published", date, "date", "when they were published (defaults to the meeting date)"),
        *PUBLICATION_FIELDS,
    ),
)

SUBJECT = Schema(
    "a subject",
    (Field("title", text, "text", "the subject's name", required=True),),
)
