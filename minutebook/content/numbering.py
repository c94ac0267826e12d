"""How councils number their minutes and decisions, and how each form is shown and told apart.

Three forms are read from `::: resolved NUMBER`, by their shape alone:

- a number of the committee and year, "2021/003": unique within the committee, shown "RESOLVED 2021/003"
  and "Resolution 2021/003", as Nottinghamshire prints them;
- a minute number with its year, "17/23" (or any other form with a letter, dot or hyphen): unique within
  the committee, shown "Minute 17/23";
- a minute number of its meeting, "9": unique only within that meeting, so its key and address carry the
  meeting date; shown "Minute 9".
"""

from __future__ import annotations

import re

NUMBER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9/.\-]{0,30})$")  # any number a clerk may write, in any form
COMMITTEE_YEAR_RE = re.compile(r"^\d{4}/\d{1,4}$")
PER_MEETING_RE = re.compile(r"^\d{1,3}$")


def per_meeting(number: str) -> bool:
    """A bare minute number ("9") counts from 1 at each meeting."""
    return bool(PER_MEETING_RE.match(number))


def is_resolution_style(number: str) -> bool:
    return bool(COMMITTEE_YEAR_RE.match(number))


def label(number: str) -> str:
    """What a decision is called in lists and titles: "Resolution 2021/003", "Minute 9", "Minute 17/23"."""
    return f"Resolution {number}" if is_resolution_style(number) else f"Minute {number}"


def heading(number: str) -> str:
    """The heading of a decision in the minutes, as the council prints it: "RESOLVED 2021/003", "Minute 9"."""
    return f"RESOLVED {number}" if is_resolution_style(number) else f"Minute {number}"


def block_anchor(number: str) -> str:
    """The decision's anchor in its minutes (numbers are unique within one set of minutes)."""
    return "resolution-" + re.sub(r"[^A-Za-z0-9]+", "-", number)
