"""The `import` command's arguments; kept apart so the command line can list them without loading Word tools."""

from __future__ import annotations

import argparse

from ..scaffold_arguments import meeting_arguments


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `import` command, added to the command line's subcommands."""
    command = commands.add_parser(
        "import",
        help="turn a Word report (.docx), or a folder of them, into draft papers",
        description="Convert a Word report into a draft paper in the meeting's folder, with its images, "
        "and list what needs checking as path:line: messages. Nothing that exists is overwritten.",
    )
    command.add_argument("source", metavar="REPORT.docx|FOLDER", help="a .docx file, or a folder of them")
    meeting_arguments(command)
    command.add_argument("--item", metavar="N", help="the agenda item number (default: from the file name or cover)")
    command.add_argument("--appendix", metavar="K", help="import as appendix K (1, 2 … or a, b …) to the item's report")
    command.add_argument("--dry-run", action="store_true", help="print the Markdown instead of writing anything")
