"""The `new` command's arguments; kept apart so the command line can list them without loading the scaffolding
(which reads meetings with the content parser). minutebook.shell.scaffold creates what `kind` names."""

from __future__ import annotations

import argparse

DEFAULT_NAME = "Example Council"
DEFAULT_BASE_URL = "http://localhost:8000/"


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `new` command, its kinds in the order a council is set up."""
    new = commands.add_parser(
        "new",
        help="start a new council, committee, meeting, paper, appendix or minutes",
        description="Create new files with every field filled or marked; meetings, papers, appendices and "
        "minutes as drafts. Nothing that exists is overwritten.",
    )
    kinds = new.add_subparsers(dest="kind", metavar="kind", required=True)
    _site(kinds)
    _committee(kinds)
    _dated(kinds, "meeting", "a meeting folder and its meeting.md")
    _dated(kinds, "paper", "a paper for an agenda item")
    _appendix(kinds)
    _dated(kinds, "minutes", "the minutes of a meeting, one section per agenda item")


def _site(kinds: argparse._SubParsersAction) -> None:
    site = kinds.add_parser(
        "site",
        help="a new council: site.toml, the default templates and content/",
        description="Start a council in an empty folder (or one without site.toml, content/ and templates/): "
        "site.toml, the default templates/, content/committees/, content/subjects/ and build.py.",
    )
    site.add_argument("folder", nargs="?", help="the folder to start the council in (default: this one)")
    site.add_argument("--name", default=DEFAULT_NAME, help='the council\'s name, e.g. "Testshire County Council"')
    site.add_argument("--base-url", default=DEFAULT_BASE_URL, help="the address the site will be published at")


def _committee(kinds: argparse._SubParsersAction) -> None:
    committee = kinds.add_parser(
        "committee", help="a committee's folder and its committee.md", description="Create a committee."
    )
    committee.add_argument("--slug", required=True, metavar="SLUG", help="its folder name, e.g. planning")
    committee.add_argument("--name", required=True, help='its full name, e.g. "Planning Committee"')


def _dated(kinds: argparse._SubParsersAction, kind: str, text: str) -> None:
    sub = kinds.add_parser(kind, help=text, description=f"Create {text}.")
    meeting_arguments(sub)
    if kind == "paper":
        sub.add_argument("--item", required=True, metavar="N", help="the agenda item number, e.g. 4 or 4a")
        sub.add_argument("--title", required=True, help="the paper's title as printed")


def _appendix(kinds: argparse._SubParsersAction) -> None:
    sub = kinds.add_parser(
        "appendix",
        help="an appendix to an agenda item's report",
        description="Create a draft appendix to the one report of an agenda item, named after that report.",
    )
    meeting_arguments(sub)
    sub.add_argument("--item", required=True, metavar="N", help="the agenda item number, e.g. 4 or 4a")
    sub.add_argument("--title", help="the appendix's title as printed (default: Appendix <label>)")
    sub.add_argument("--label", metavar="K", help="1, 2 … or a, b … (default: the next one free)")


def meeting_arguments(parser: argparse.ArgumentParser) -> None:
    """--committee and --date: the meeting a new or imported file belongs to."""
    parser.add_argument("--committee", required=True, metavar="SLUG", help="the committee's folder name")
    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the meeting's date")
