"""Authoring guide tables: every front matter field, generated from the schemas so the README cannot drift.

Run `python -m minutebook.content.fieldtables` to print them; a test checks the README holds exactly this text.
"""

from __future__ import annotations

from .documents import (
    AGENDA_ITEM,
    ATTENDANCE,
    COMMITTEE,
    EARLIER_DECISION,
    MEETING,
    MINUTES,
    PAPER,
    PERSON,
    RESOLUTION,
    SUBJECT,
)
from .schema import Schema

SECTIONS: tuple[tuple[str, Schema], ...] = (
    ("`committee.md`", COMMITTEE),
    ("`meeting.md`", MEETING),
    ("Each entry of a meeting's `agenda`", AGENDA_ITEM),
    ("A meeting's `attendance`", ATTENDANCE),
    ("A person (members, clerk, contact, attendance)", PERSON),
    ("A paper or appendix (`<nn>-<slug>.md`, `<nn>-<slug>-appendix-<k>.md`)", PAPER),
    ("`minutes.md`", MINUTES),
    ("Each entry of the minutes' `resolutions`", RESOLUTION),
    ("An earlier decision (`decisions/<name>.md`)", EARLIER_DECISION),
    ("A subject (`content/subjects/<slug>.md`)", SUBJECT),
)


def table(schema: Schema) -> str:
    rows = ["| key | type | required | meaning | example |", "| --- | --- | --- | --- | --- |"]
    for field in schema.fields:
        example = f"`{field.example}`" if field.example else ""
        required = "yes" if field.required else "no"
        cells = (f"`{field.name}`", field.type_name, required, field.doc, example)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows)


def all_tables() -> str:
    return "\n\n".join(f"#### {title}\n\n{table(schema)}" for title, schema in SECTIONS) + "\n"


if __name__ == "__main__":
    print(all_tables(), end="")
