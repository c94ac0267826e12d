"""The README stays true to the code: its field tables are the schemas, its commands exist."""

from __future__ import annotations

import re
import shlex

from conftest import COMMITTEE, MEETING, ROOT, TODAY, build, write_site

from minutebook.content import config, fieldtables
from minutebook.diagnostics import Diagnostics
from minutebook.shell import cli, commands


def test_readme_field_tables_match_the_schemas():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- fields:start -->\n") + len("<!-- fields:start -->\n")
    end = readme.index("<!-- fields:end -->")
    hint = "run: python -m minutebook.content.fieldtables, paste into README"
    assert readme[start:end] == fieldtables.all_tables(), hint


def test_readme_names_the_two_commands_and_every_subcommand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    subcommands = cli._parser()._subparsers._group_actions[0].choices
    for name in subcommands:
        assert f"build.py {name}" in readme, name


def readme_section(heading: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {heading}\n")
    return readme[start : readme.index("\n## ", start + 1)]


def test_readme_commands_table_names_every_kind_of_new():
    table = readme_section("Commands").replace("\\|", "|")
    assert "build.py new site|committee|meeting|paper|appendix|minutes" in table
    kinds = cli._parser()._subparsers._group_actions[0].choices["new"]._subparsers._group_actions[0].choices
    assert list(kinds) == ["site", "committee", "meeting", "paper", "appendix", "minutes"]


def test_readme_site_toml_example_builds_as_it_is_in_a_new_site(tmp_path):
    """Copied whole into a new council's folder, the example builds: no logo file it lacks, no [publication]."""
    section = readme_section("The council's settings: `site.toml`")
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    assert not [line for line in example.splitlines() if line.startswith(("logo", "[publication]"))]
    site = write_site(
        tmp_path / "site",
        {
            "site.toml": example,
            "content/committees/test/2021-01-11/04-a-report.md": "---\ntitle: A report\n---\n1. Text.\n",
        },
    )
    result = build(site)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    diagnostics = Diagnostics()
    assert config.load(site / "site.toml", diagnostics).exempt_paragraphs == config.ENGLAND_SCHEDULE_12A
    assert diagnostics.items == []


def test_readme_steps_to_start_a_new_council_lead_to_a_build_without_errors(tmp_path, monkeypatch, capsys):
    """Every `python build.py new …` line of "Starting a new council", run in order, then check and build."""
    steps = [
        shlex.split(line.split("#")[0])[2:]
        for line in readme_section("Starting a new council").splitlines()
        if line.strip().startswith("python build.py new ")
    ]
    assert [command[:2] for command in steps] == [
        ["new", "site"],
        ["new", "committee"],
        ["new", "meeting"],
        ["new", "paper"],
        ["new", "appendix"],
    ]
    here = tmp_path / "minutebook"
    here.mkdir()
    monkeypatch.chdir(here)
    root = here
    for command in steps:
        assert cli.main(command, root=root) == 0, (command, capsys.readouterr().err)
        if command[1] == "site":
            root = (here / command[2]).resolve()
    assert commands.check(root, TODAY) == []
    assert build(root).ok


def test_readme_earlier_decision_example_builds_and_its_citation_links_to_its_page(tmp_path):
    """The record as the README shows it, saved where it says, cited as it says: two links to one page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n### An earlier decision (`decisions/<name>.md`)\n")
    section = readme[start : readme.index("\n### ", start + 1)]
    record = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    citation = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    found = re.search(r"`(content/committees/([a-z0-9-]+)/decisions/[a-z0-9-]+\.md)`", section)
    assert found is not None, "the section says where to save the file"
    path, committee = found.groups()
    [subject] = re.findall(r"^subjects: \[([a-z0-9-]+)\]$", record, re.M)
    day = f"content/committees/{committee}/2016-03-07/"
    site = write_site(
        tmp_path / "site",
        {
            f"content/committees/{committee}/committee.md": COMMITTEE,
            day + "meeting.md": MEETING,
            day + "04-alliance-agreement.md": "---\ntitle: Alliance agreement\n---\n" + citation,
            path: record,
            f"content/subjects/{subject}.md": "---\ntitle: Integrated care\n---\nHealth and care together.\n",
        },
    )
    result = build(site)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    page_url = f"/committees/{committee}/resolutions/2015-042/"
    paper = (site / f"output/committees/{committee}/2016-03-07/04-alliance-agreement/index.html").read_text()
    assert re.findall(r'href="([^"]+)"[^>]*>resolution 2015/042<', paper) == [page_url, page_url]
    shown = (site / "output" / page_url.strip("/") / "index.html").read_text(encoding="utf-8")
    words = " ".join(re.sub(r"<[^>]+>", " ", shown).split())  # what a reader sees, addresses left out
    assert "Earlier record" in words and "Date 29 June 2015" in words and "2015-06-29" not in words
