"""The README stays true to the code: its field tables are the schemas, its commands exist."""

from __future__ import annotations

from conftest import ROOT

from minutebook.content import fieldtables
from minutebook.shell import cli


def test_readme_field_tables_match_the_schemas():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- fields:start -->\n") + len("<!-- fields:start -->\n")
    end = readme.index("<!-- fields:end -->")
    assert readme[start:end] == fieldtables.all_tables(), "run: python -m minutebook.fieldtables, paste into README"


def test_readme_names_the_two_commands_and_every_subcommand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    subcommands = cli._parser()._subparsers._group_actions[0].choices
    for name in subcommands:
        assert f"build.py {name}" in readme, name
