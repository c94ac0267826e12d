"""Incremental builds: unchanged pages are neither rendered nor written, edits redo exactly what shows them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import SITE_TOML, TODAY, build, clean_build, contents, edit, fresh_copy, snapshot

from minutebook.build import cache, workers
from minutebook.build.bodystore import BodyStore
from minutebook.build.parsing import parse_one
from minutebook.content import sources
from minutebook.diagnostics import Diagnostics
from minutebook.shell import cli, commands

MEETING_1 = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
  - number: 4
    title: Library service review
  - number: 5
    title: Highways maintenance plan
---
"""

MEETING_2 = """\
---
time: "14:00"
venue: County Hall
status: held
agenda:
  - number: 4
    title: Bus services update
---
"""

LIBRARIES = """\
---
title: Library service review
author: Ada Lovelace
---
## Purpose of the Report

1. The purpose of this report is to review the library service.
2. Opening hours were reduced in 2020, as paragraph 1 explains.

::: recommendations
1) note the review
:::
"""

HIGHWAYS = """\
---
title: Highways maintenance plan
---
1. The plan covers resurfacing of rural roads.
"""

BUSES = """\
---
title: Bus services update
---
1. Bus services were reviewed by officers.
"""

MINUTES = """\
---
status: confirmed
---
## 4. Library service review

::: resolved 2021/001
That the review be noted.
:::
"""

DAY = "content/committees/test/2021-01-11"
FILES = {
    f"{DAY}/meeting.md": MEETING_1,
    f"{DAY}/04-libraries.md": LIBRARIES,
    f"{DAY}/05-highways.md": HIGHWAYS,
    f"{DAY}/minutes.md": MINUTES,
    "content/committees/test/2021-03-01/meeting.md": MEETING_2,
    "content/committees/test/2021-03-01/04-buses.md": BUSES,
}
PAPER_PAGE = "committees/test/2021-01-11/04-libraries/index.html"
PACK_PAGE = "committees/test/2021-01-11/pack/index.html"
MEETING_PAGE = "committees/test/2021-01-11/index.html"
OTHER_MEETING_PAGE = "committees/test/2021-03-01/index.html"


def rewritten_pages(before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]) -> set[str]:
    """HTML pages whose file was written again (new modification time), search bundle aside."""
    return {
        p
        for p, (mtime, _) in after.items()
        if p.endswith(".html") and not p.startswith("pagefind/") and before.get(p, (None,))[0] != mtime
    }


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(FILES)
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    return root


def test_a_second_build_with_nothing_changed_renders_nothing_and_writes_nothing(site: Path, capsys):
    before = snapshot(site / "output")
    assert cli.main(["build", "--now", TODAY.isoformat()], root=site) == 0
    line = capsys.readouterr().out.strip()
    assert ": 0 pages rendered," in line and "; 0 written," in line and " 0 removed " in line, line
    assert snapshot(site / "output") == before


def test_a_saved_but_unchanged_file_renders_and_writes_nothing(site: Path):
    """An editor that saves without changes moves the modification time; the content's digest decides."""
    before = snapshot(site / "output")
    paper = site / DAY / "04-libraries.md"
    stat = paper.stat()
    os.utime(paper, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = build(site)
    assert (result.rendered, result.written, result.removed) == (0, 0, 0)
    assert snapshot(site / "output") == before


def test_an_edit_that_no_page_shows_writes_nothing(site: Path):
    """A comment moves the body's line numbers, so the paper's pages are redone, but their bytes are the same."""
    before = snapshot(site / "output")
    edit(site, f"{DAY}/04-libraries.md", "author: Ada Lovelace\n", "author: Ada Lovelace\n# checked by the clerk\n")
    result = build(site)
    assert result.written == 0 and 0 < result.rendered <= 4
    assert result.reused >= 15
    assert snapshot(site / "output") == before


def test_a_body_edit_re_renders_exactly_the_pages_that_show_the_body(site: Path, tmp_path: Path):
    before = snapshot(site / "output")
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    result = build(site)
    after = snapshot(site / "output")
    assert rewritten_pages(before, after) == {PAPER_PAGE, PACK_PAGE}
    # only the edited body changed: the pages that show it and those holding the paper (whose templates could read
    # it: the meeting, the resolution made on it) were rendered again; only the first two changed
    assert result.rendered == 4 and result.written >= 2
    assert b"Opening hours were extended" in after[PAPER_PAGE][1] and b"were extended" in after[PACK_PAGE][1]
    assert {p: data for p, (_, data) in after.items()} == clean_build(site, tmp_path)


EXEMPT_APPENDIX = """\
---
title: Valuation of the Central Library site
access: exempt
exempt_paragraph: 3
public_title: Exempt appendix
---
1. The site was valued at four million pounds by the district valuer in confidence.
"""
SECRET = "valued at four million pounds by the district valuer in confidence"


@pytest.fixture
def site_with_exempt(make_site) -> Path:
    root = make_site({**FILES, f"{DAY}/04-libraries-appendix-1.md": EXEMPT_APPENDIX})
    assert build(root).ok
    return root


def test_a_body_edit_to_an_exempt_appendix_builds_in_full_and_publishes_none_of_it(
    site_with_exempt: Path, tmp_path: Path
):
    site = site_with_exempt
    edit(site, f"{DAY}/04-libraries-appendix-1.md", "four million", "five million")
    result = build(site)
    assert result.ok
    after = contents(site / "output")
    assert not any(b"five million" in data or b"four million" in data for data in after.values())
    assert after == clean_build(site, tmp_path)


def test_a_public_body_may_quote_withheld_text_and_the_check_follows_it_edit_by_edit(
    site_with_exempt: Path, tmp_path: Path
):
    """A public paper quoting an exempt sentence makes it public; the check knows, edit by edit, who says it."""
    site = site_with_exempt
    quote = f"Opening hours were reduced. The site was {SECRET}."
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", quote)
    first = build(site)
    assert first.ok, [str(d) for d in first.diagnostics]
    assert SECRET.encode() in (site / "output" / PAPER_PAGE).read_bytes()
    edit(site, f"{DAY}/04-libraries.md", quote, "Opening hours were reduced")
    second = build(site)
    assert second.ok and SECRET.encode() not in (site / "output" / PAPER_PAGE).read_bytes()
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_a_body_edit_whose_pages_would_leak_withheld_text_publishes_nothing(site_with_exempt: Path, monkeypatch):
    """A fault that put exempt text on the re-rendered page is caught, whichever path the build takes."""
    from minutebook.site import render

    site = site_with_exempt
    before = snapshot(site / "output")
    original = render.render_page

    def leaky(env, page, bodies):
        leaked = f"<p>The site was {SECRET}.</p>".encode() if page.path == PAPER_PAGE else b""
        return original(env, page, bodies) + leaked

    monkeypatch.setattr(render, "render_page", leaky)
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    result = build(site)
    assert not result.ok
    assert any("withheld text" in str(d) and PAPER_PAGE in str(d) for d in result.diagnostics)
    assert snapshot(site / "output") == before


def test_a_body_edit_that_adds_a_heading_is_built_like_any_other(site: Path, tmp_path: Path):
    edit(site, f"{DAY}/04-libraries.md", "## Purpose of the Report", "## Purpose of the Report\n\n## Background")
    result = build(site)
    assert result.ok
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_a_body_edit_after_an_output_file_was_deleted_restores_it(site: Path, tmp_path: Path):
    (site / "output" / OTHER_MEETING_PAGE).unlink()
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    assert build(site).ok
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_data_files_deleted_from_the_output_are_made_again_when_the_plan_is_remembered(site: Path, tmp_path: Path):
    """A data file is made while planning; a build that takes the remembered plan (which leaves those bytes out)
    must still make it again when the output lost it."""
    for path in ("data/papers.json", "decisions/decisions.csv"):
        (site / "output" / path).unlink()
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    result = build(site)
    assert result.ok and result.replanned is None  # the plan was remembered, not made
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_a_body_edit_with_a_broken_front_matter_reports_the_error_and_keeps_the_output(site: Path):
    before = snapshot(site / "output")
    edit(site, f"{DAY}/04-libraries.md", "author: Ada Lovelace", "author: [Ada")
    result = build(site)
    assert not result.ok and any("04-libraries.md" in str(d) for d in result.diagnostics)
    assert snapshot(site / "output") == before


def test_a_title_edit_re_renders_the_meeting_paper_and_everything_listing_it(site: Path, tmp_path: Path):
    before = snapshot(site / "output")
    edit(site, f"{DAY}/04-libraries.md", "title: Library service review", "title: Library service review 2021")
    result = build(site)
    after = snapshot(site / "output")
    rewritten = rewritten_pages(before, after)
    assert {PAPER_PAGE, PACK_PAGE, MEETING_PAGE} <= rewritten
    assert OTHER_MEETING_PAGE not in rewritten
    assert all(b"Library service review 2021" in after[p][1] for p in rewritten)
    assert result.rendered == len(rewritten)
    assert {p: data for p, (_, data) in after.items()} == clean_build(site, tmp_path)


def test_a_renamed_paper_leaves_no_stale_page(site: Path, tmp_path: Path):
    os.rename(site / DAY / "05-highways.md", site / DAY / "05-roads.md")
    assert build(site).ok
    output = site / "output"
    assert (output / "committees/test/2021-01-11/05-roads/index.html").is_file()
    assert not (output / "committees/test/2021-01-11/05-highways").exists()
    assert contents(output) == clean_build(site, tmp_path)


def test_a_deleted_paper_leaves_no_stale_page_and_no_link(site: Path, tmp_path: Path):
    (site / DAY / "05-highways.md").unlink()
    assert build(site).ok
    output = site / "output"
    assert not (output / "committees/test/2021-01-11/05-highways").exists()
    assert b"05-highways" not in (output / MEETING_PAGE).read_bytes()
    assert contents(output) == clean_build(site, tmp_path)


def test_a_touched_output_file_is_rendered_again(site: Path):
    page = site / "output" / PAPER_PAGE
    page.write_bytes(b"tampered")
    result = build(site)
    assert result.rendered == 1 and result.written == 1
    assert b"Library service review" in page.read_bytes()


def test_an_output_file_touched_with_the_same_bytes_is_checked_once_then_trusted_again(site: Path):
    page = site / "output" / PAPER_PAGE
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    first = build(site)
    assert (first.rendered, first.written) == (1, 0)
    second = build(site)
    assert (second.rendered, second.written) == (0, 0)


def test_parallel_output_is_byte_identical_to_serial(make_site, tmp_path: Path, monkeypatch):
    if sys.platform == "win32":
        pytest.skip("forked workers only")
    many = {
        f"{DAY}/04-libraries-appendix-{k}.md": f"---\ntitle: Appendix {k}\n---\n1. Table {k} of the review.\n"
        for k in range(1, 30)
    }
    root = make_site({**FILES, **many})
    monkeypatch.setattr(workers, "PARALLEL_MIN", 2)
    serial = commands.build_into(root, tmp_path / "serial", TODAY, jobs=1)
    shutil.rmtree(root / ".minutebook-cache")
    parallel = commands.build_into(root, tmp_path / "parallel", TODAY, jobs=2)
    assert serial.ok and parallel.ok
    assert serial.rendered == parallel.rendered > 40
    assert contents(tmp_path / "serial") == contents(tmp_path / "parallel")


def test_a_broken_cache_is_ignored(site: Path):
    for stored in (site / ".minutebook-cache").glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    before = snapshot(site / "output")
    result = build(site)
    assert result.ok and result.written == 0
    assert snapshot(site / "output") == before


def test_the_cache_folder_keeps_itself_out_of_version_control(site: Path):
    assert (site / ".minutebook-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_progress_is_quiet_when_stderr_is_not_a_terminal(site: Path, capsys):
    edit(site, f"{DAY}/05-highways.md", "rural roads", "urban roads")
    assert cli.main(["build", "--now", TODAY.isoformat()], root=site) == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.err and "rendering" not in captured.err
    # the paper and the pack show its body; the meeting page holds the paper, so it is drawn again too
    assert captured.out.count("\n") == 1 and ": 3 pages rendered," in captured.out


def test_progress_on_a_terminal_overwrites_one_line_after_the_delay():
    from io import StringIO

    from minutebook.shell.progress import Progress

    stream = StringIO()
    progress = Progress(stream, enabled=True, delay=0)
    progress.stage("rendering pages", 3)
    for _ in range(3):
        progress.tick()
    progress.close()
    shown = stream.getvalue()
    assert "rendering pages 3/3" in shown and "\n" not in shown
    assert shown.endswith("\r\x1b[2K")


def test_a_body_edit_remakes_no_feed_calendar_or_data_export(site: Path, tmp_path: Path, monkeypatch):
    """Feeds, calendars and exports show no paper body, so editing one must not cost their (slow) making."""
    from minutebook.site import calendars, data, feeds

    made: list[str] = []
    for module, name in ((feeds, "_feed"), (calendars, "_calendar"), (data.Export, "document")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _o=original, _n=name, **k: made.append(_n) or _o(*a, **k))
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    assert build(site).ok
    assert made == []
    after = contents(site / "output")
    assert after == clean_build(site, tmp_path)


def test_a_title_edit_remakes_the_feeds_and_exports_that_show_it(site: Path, tmp_path: Path):
    edit(site, f"{DAY}/04-libraries.md", "title: Library service review", "title: Library service review 2021")
    assert build(site).ok
    after = contents(site / "output")
    for name in ("feeds/all.atom", "feeds/test.atom", "data/papers.json", "data/meetings.json"):
        assert b"Library service review 2021" in after[name], name
    assert after == clean_build(site, tmp_path)


def test_the_preview_renders_again_only_the_pages_an_edit_changes(site: Path, tmp_path: Path, monkeypatch):
    from minutebook.shell.preview import Preview
    from minutebook.site import render

    preview = Preview(site, TODAY.isoformat(), search_index=False)
    assert preview.rebuild().errors == ()
    rendered: list[str] = []
    original = render.render_page
    monkeypatch.setattr(
        render, "render_page", lambda env, page, bodies: rendered.append(page.path) or original(env, page, bodies)
    )
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    assert preview.rebuild([f"{DAY}/04-libraries.md"]).written == 2  # named by the watcher, as `serve` does
    assert PAPER_PAGE in rendered and PACK_PAGE in rendered and len(rendered) == 4
    assert b"Opening hours were extended" in preview.output.files[PAPER_PAGE]
    again = Preview(fresh_copy(site, tmp_path), TODAY.isoformat(), search_index=False)
    assert again.rebuild().errors == ()
    assert again.output.files == preview.output.files


def test_a_body_edit_killed_while_moving_files_into_place_is_finished_by_the_next_build(
    site: Path, tmp_path: Path, monkeypatch
):
    """The changed files are staged in full and journalled before any is moved: a kill then leaves no mixture."""
    from minutebook.build import files as write

    finish = write._finish
    monkeypatch.setattr(write, "_finish", lambda folder, journal: (_ for _ in ()).throw(KeyboardInterrupt))
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    with pytest.raises(KeyboardInterrupt):
        build(site)
    assert (site / ".output.journal").is_file()
    assert b"Opening hours were reduced" in (site / "output" / PAPER_PAGE).read_bytes()  # nothing moved yet
    monkeypatch.setattr(write, "_finish", finish)
    assert build(site).ok
    assert not (site / ".output.journal").exists() and not list(site.glob(".output.staging-*"))
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_a_template_that_reads_a_body_itself_follows_edits_to_it(site: Path, tmp_path: Path):
    """A council's meeting template showing each paper's opening text: the meeting page must follow body edits."""
    meeting = site / "templates" / "meeting.html"
    meeting.parent.mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parent.parent / "templates" / "meeting.html", meeting)
    text = meeting.read_text()
    marker = "{% block main %}"
    assert marker in text
    excerpt = (
        "{% for row in items %}{% for p in row.papers %}<p>{{ p.paper.body.text[:200] }}</p>{% endfor %}{% endfor %}"
    )
    meeting.write_text(text.replace(marker, marker + excerpt, 1))
    assert build(site).ok
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    result = build(site)
    assert result.ok
    assert b"Opening hours were extended" in (site / "output" / MEETING_PAGE).read_bytes()
    assert contents(site / "output") == clean_build(site, tmp_path)


def test_timings_name_each_stage_and_the_peak_memory(site: Path):
    """Measured in a process of its own, started by a small one: Linux carries a process's high-water mark over
    exec, so a build started straight from a test worker would begin with the worker's."""
    edit(site, f"{DAY}/04-libraries.md", "title: Library service review", "title: Library service review 2021")
    script = (
        "import sys; from pathlib import Path; from minutebook.shell import cli;"
        "sys.exit(cli.main(sys.argv[1:], root=Path.cwd()))"
    )
    launcher = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    build_command = [sys.executable, "-c", script, "build", "--now", TODAY.isoformat(), "--timings"]
    run = subprocess.run(
        [sys.executable, "-c", launcher, *build_command],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    err = run.stderr
    stages = ("reading sources", "parsing", "assembling and linking", "planning", "rendering pages")
    for stage in (*stages, "search index", "checking for leaks", "writing"):
        assert f"  {stage}: " in err
    own = re.search(r"peak memory without the search index: (\d+) MB", err)
    peak = re.search(r"peak memory: (\d+) MB", err)
    assert own and peak and int(own[1]) <= int(peak[1])
    assert int(own[1]) < 400  # a six-document site: the build's own processes stay small


def test_a_build_keeps_bodies_in_the_cache_and_reads_back_what_parsing_makes(site: Path):
    """Bodies wait in the parse cache rather than in the model; what is read back is exactly a fresh parse."""
    store = cache.Shards(site, "parse")
    found = sources.read_all(site / "content", site, Diagnostics())
    bodies = BodyStore(site, {source.path: source.digest for source in found}, {})
    stored = 0
    for source in found:
        kept, fresh = store.get((source.path, source.digest)), parse_one(source)
        if fresh.body.html:
            assert kept.body.html == kept.body.text == ""
            assert kept.body.stored == source.path
            stored += 1
        assert bodies.full(kept.body) == fresh.body
    assert stored >= 5


def test_the_parse_cache_forgets_the_old_versions_of_edited_and_removed_sources(site: Path):
    """The cache folder holds each source's current parse result alone, however often the clerk saves."""
    for wording in ("extended", "restored"):
        edit(site, f"{DAY}/04-libraries.md", "Opening hours were", f"Opening hours were {wording} or")
        assert build(site).ok
    (site / DAY / "05-highways.md").unlink()
    assert build(site).ok
    found = sources.read_all(site / "content", site, Diagnostics())
    kept = {key for shard in cache.Shards(site, "parse").stores for key in shard.data}
    assert kept == {(source.path, source.digest) for source in found}


# A record of an earlier decision (content/committees/<c>/decisions/) ------------------------------------------

RECORD = "content/committees/test/decisions/2015-042.md"
RECORD_TEXT = """\
---
number: 2015/042
date: 2015-06-29
title: Library opening hours
---
That the libraries open on Saturdays.
"""
RECORD_PAGE = "committees/test/resolutions/2015-042/index.html"
REGISTERS = {
    "decisions/index.html",
    "committees/test/resolutions/index.html",
    "decisions/2015/index.html",
    "decisions/status/in-force/index.html",
}


@pytest.fixture
def site_with_record(make_site) -> Path:
    cites = LIBRARIES.replace("as paragraph 1 explains.", "as resolution 2015/042 decided.")
    root = make_site({**FILES, f"{DAY}/04-libraries.md": cites, RECORD: RECORD_TEXT})
    result = build(root)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    return root


def rendered_pages(monkeypatch) -> list[str]:
    """The path of every page Jinja draws from now on, in this process (a build with jobs=1)."""
    from minutebook.site import render

    drawn: list[str] = []
    original = render.render_page
    monkeypatch.setattr(
        render, "render_page", lambda env, page, bodies: drawn.append(page.path) or original(env, page, bodies)
    )
    return drawn


def test_an_edit_to_a_records_wording_rewrites_its_page_alone(site_with_record: Path, tmp_path: Path, monkeypatch):
    site = site_with_record
    before = snapshot(site / "output")
    drawn = rendered_pages(monkeypatch)
    edit(site, RECORD, "open on Saturdays", "open on Sundays")
    result = build(site, jobs=1)
    after = snapshot(site / "output")
    assert result.ok and rewritten_pages(before, after) == {RECORD_PAGE}
    assert b"open on Sundays" in after[RECORD_PAGE][1]
    # drawn again: the page, and the registers that hold the decision (their bytes are the same); not the paper
    assert set(drawn) == {RECORD_PAGE} | REGISTERS and result.rendered == len(drawn)
    assert b"open on Sundays" in after["data/resolutions.json"][1]
    assert {p: data for p, (_, data) in after.items()} == clean_build(site, tmp_path)


def test_an_edit_to_a_records_title_rewrites_what_lists_it(site_with_record: Path, tmp_path: Path):
    site = site_with_record
    before = snapshot(site / "output")
    edit(site, RECORD, "title: Library opening hours", "title: Saturday opening of libraries")
    assert build(site).ok
    after = snapshot(site / "output")
    assert rewritten_pages(before, after) == {RECORD_PAGE} | REGISTERS
    assert all(b"Saturday opening of libraries" in after[p][1] for p in rewritten_pages(before, after))
    assert {p: data for p, (_, data) in after.items()} == clean_build(site, tmp_path)


def test_the_preview_follows_an_edit_to_a_record(site_with_record: Path, tmp_path: Path, monkeypatch):
    from minutebook.shell.preview import Preview

    preview = Preview(site_with_record, TODAY.isoformat(), search_index=False)
    assert preview.rebuild().errors == ()
    shown = dict(preview.output.files)
    drawn = rendered_pages(monkeypatch)
    edit(site_with_record, RECORD, "open on Saturdays", "open on Sundays")
    assert preview.rebuild([RECORD]).written == 3
    changed = {path for path, data in preview.output.files.items() if shown.get(path) != data}
    assert changed == {RECORD_PAGE, "data/resolutions.json", "decisions/decisions.csv"}
    assert RECORD_PAGE in drawn and set(drawn) <= {RECORD_PAGE} | REGISTERS
    assert b"open on Sundays" in preview.output.files[RECORD_PAGE]
    again = Preview(fresh_copy(site_with_record, tmp_path), TODAY.isoformat(), search_index=False)
    assert again.rebuild().errors == ()
    assert again.output.files == preview.output.files


# The agenda packs' PDFs, and the meeting pages that print their size -----------------------------------------

PDF_SETTINGS = '\n[packs]\npdf = "all"\n'
PDF = "committees/test/2021-01-11/agenda-pack.pdf"
OTHER_PDF = "committees/test/2021-03-01/agenda-pack.pdf"


@pytest.fixture
def site_with_pdfs(make_site) -> Path:
    root = make_site({**FILES, "site.toml": SITE_TOML + PDF_SETTINGS})
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    return root


def printed_size(root: Path, meeting_page: str = MEETING_PAGE) -> str:
    found = re.search(r"Agenda pack \(PDF, ([^)]+)\)", (root / "output" / meeting_page).read_text())
    assert found is not None
    return found.group(1)


class Made:
    """Every PDF made from now on, by its meeting: noted in a file, as the forked workers that make them can."""

    def __init__(self, monkeypatch, folder: Path) -> None:
        from minutebook.site import packs

        self.log = folder / "pdfs-made.txt"
        self.log.write_text("")
        original = packs.make

        def noted(key: str, *rest):
            with self.log.open("a") as log:
                log.write(key + "\n")
            return original(key, *rest)

        monkeypatch.setattr(packs, "make", noted)

    @property
    def keys(self) -> list[str]:
        return self.log.read_text().split()


def test_each_pack_has_its_pdf_and_its_meeting_page_prints_its_size(site_with_pdfs: Path):
    for pdf, page in ((PDF, MEETING_PAGE), (OTHER_PDF, OTHER_MEETING_PAGE)):
        size = (site_with_pdfs / "output" / pdf).stat().st_size
        assert printed_size(site_with_pdfs, page) == f"{max(1, round(size / 1000))} KB"


def test_a_body_edit_remakes_its_packs_pdf_and_the_size_its_meeting_page_prints(
    site_with_pdfs: Path, tmp_path: Path, monkeypatch
):
    made = Made(monkeypatch, tmp_path)
    before = snapshot(site_with_pdfs / "output")
    longer = "Opening hours were reduced. " + "The review heard from readers in every branch. " * 120
    edit(site_with_pdfs, f"{DAY}/04-libraries.md", "Opening hours were reduced", longer)
    assert build(site_with_pdfs).ok
    after = snapshot(site_with_pdfs / "output")
    assert made.keys == ["test/2021-01-11"]  # the other meeting's PDF is not made again
    assert after[PDF][1] != before[PDF][1] and after[OTHER_PDF] == before[OTHER_PDF]
    assert printed_size(site_with_pdfs) == f"{round(len(after[PDF][1]) / 1000)} KB"
    assert MEETING_PAGE in rewritten_pages(before, after)
    assert {p: data for p, (_, data) in after.items()} == clean_build(site_with_pdfs, tmp_path)


def test_nothing_changed_makes_no_pdf(site_with_pdfs: Path, tmp_path: Path, monkeypatch):
    made = Made(monkeypatch, tmp_path)
    before = snapshot(site_with_pdfs / "output")
    assert build(site_with_pdfs).ok
    assert made.keys == [] and snapshot(site_with_pdfs / "output") == before


def test_an_edit_to_the_recommendations_shows_on_the_meeting_page(site_with_pdfs: Path, tmp_path: Path):
    """Item 5 has no decision yet: the meeting page shows its report's recommendation, and follows edits to it."""
    plan = "1. The plan covers resurfacing of rural roads."
    edit(site_with_pdfs, f"{DAY}/05-highways.md", plan, plan + "\n\n::: recommendations\n1) adopt the plan\n:::")
    assert build(site_with_pdfs).ok
    assert "adopt the plan" in (site_with_pdfs / "output" / MEETING_PAGE).read_text()
    edit(site_with_pdfs, f"{DAY}/05-highways.md", "1) adopt the plan", "1) adopt the plan for 2022")
    assert build(site_with_pdfs).ok
    assert "adopt the plan for 2022" in (site_with_pdfs / "output" / MEETING_PAGE).read_text()
    assert contents(site_with_pdfs / "output") == clean_build(site_with_pdfs, tmp_path)


def test_a_check_makes_no_pdf(site_with_pdfs: Path, tmp_path: Path, monkeypatch):
    made = Made(monkeypatch, tmp_path)
    assert [d for d in commands.check(site_with_pdfs, TODAY) if d.severity == "error"] == []
    assert made.keys == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ('pdf = "none"', set()),
        ('pdf = "recent"\nrecent_days = 30', {"test/2021-03-01"}),  # upcoming on the day of the build
        ('pdf = "recent"\nrecent_days = 60', {"test/2021-01-11", "test/2021-03-01"}),
    ],
)
def test_the_settings_say_which_packs_are_made_as_pdfs(make_site, settings: str, expected: set[str]):
    import datetime as dt

    root = make_site({**FILES, "site.toml": SITE_TOML + f"\n[packs]\n{settings}\n"})
    assert build(root, dt.date(2021, 3, 1)).ok
    made = {p.parent.relative_to(root / "output" / "committees").as_posix() for p in root.rglob("agenda-pack.pdf")}
    assert made == expected
    for key in ("test/2021-01-11", "test/2021-03-01"):
        page = (root / "output" / "committees" / key / "index.html").read_text()
        assert ("agenda-pack.pdf" in page) == (key in expected)
        assert 'href="/committees/' + key + '/pack/"' in page  # the pack page is there whatever the setting


def test_text_in_a_pdf_is_checked_for_withheld_text(site_with_exempt: Path, monkeypatch):
    """A PDF keeps its text in compressed streams: the check reads the page it was made from and its own bytes."""
    from minutebook.site import packs

    site = site_with_exempt
    (site / "site.toml").write_text((site / "site.toml").read_text() + PDF_SETTINGS)
    original = packs.make
    monkeypatch.setattr(packs, "make", lambda *args: original(*args) + f"% The site was {SECRET}.\n".encode())
    before = snapshot(site / "output")
    result = build(site)
    assert not result.ok
    assert any("withheld text" in str(d) and PDF in str(d) for d in result.diagnostics), result.diagnostics
    assert snapshot(site / "output") == before


def test_a_later_build_uses_the_templates_an_earlier_one_compiled(make_site, monkeypatch):
    """Compiling the templates costs a one-paper edit more than its pages: a new process reuses the last one's."""
    paper = "content/committees/test/2021-01-11/04-report.md"
    root = make_site({paper: "---\ntitle: A report\n---\n1. First wording.\n"})
    assert build(root).ok
    (root / paper).write_text("---\ntitle: A report\n---\n1. Second wording.\n")

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_again)
    result = build(root)
    assert result.ok and result.rendered >= 1
    assert "Second wording." in (root / "output/committees/test/2021-01-11/04-report/index.html").read_text()


def test_an_attendance_edit_remakes_no_calendar(site: Path, tmp_path: Path, monkeypatch):
    """A calendar is made from its events alone: what a meeting holds beyond them (who came) does not remake it."""
    from minutebook.site import calendars

    made: list[str] = []
    original = calendars._calendar
    monkeypatch.setattr(calendars, "_calendar", lambda *a, **k: made.append(a[2]) or original(*a, **k))
    attendance = "attendance:\n  apologies:\n    - name: Andy Sissons\nagenda:"
    edit(site, f"{DAY}/meeting.md", "agenda:", attendance)
    assert build(site).ok
    assert made == []
    assert b"Andy Sissons" in (site / "output" / "committees/test/2021-01-11/index.html").read_bytes()
    assert contents(site / "output") == clean_build(site, tmp_path)


LOADED = (
    "import json, sys; from pathlib import Path; from minutebook.shell import cli;"
    "code = cli.main(sys.argv[1:], root=Path.cwd());"
    "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markdown_it', 'yaml')"
    " or m in ('minutebook.content.parse', 'minutebook.content.assemble'))));"
    "sys.exit(code)"
)


def _loaded_by_a_build(root: Path) -> set[str]:
    """The parser's, the assembler's and Jinja's modules a `python build.py build` of `root` loaded."""
    run = subprocess.run(
        [sys.executable, "-c", LOADED, "build", "--now", TODAY.isoformat()],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.splitlines()[-1])
    return {name if name.startswith("minutebook") else name.split(".")[0] for name in loaded}


def test_a_build_loads_only_the_tools_its_changes_need(site: Path):
    """Starting the engine is part of every rebuild a clerk waits for: a rebuild with nothing changed loads no
    parser, assembler or Jinja, a body edit no assembler, and a title edit all of them."""
    assert _loaded_by_a_build(site) == set()
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    assert _loaded_by_a_build(site) == {"markdown_it", "yaml", "jinja2", "minutebook.content.parse"}
    edit(site, f"{DAY}/04-libraries.md", "title: Library service review", "title: Library service review 2021")
    assert "minutebook.content.assemble" in _loaded_by_a_build(site)


def test_a_build_with_nothing_changed_reads_neither_the_model_nor_the_plan(site: Path, tmp_path: Path):
    """Every output's key is remembered: with the model and the plan gone from the cache folder, a build with
    nothing changed still builds, writing nothing; the next one, which must make a page, makes them again."""
    for name in ("memo-model.pickle", "memo-plan.pickle"):
        (site / cache.FOLDER / name).unlink()
    before = snapshot(site / "output")
    result = build(site)
    assert result.ok and result.replanned is None and result.rendered == 0 and result.written == 0
    assert snapshot(site / "output") == before
    assert not (site / cache.FOLDER / "memo-model.pickle").exists()  # neither was needed, so neither made again
    assert not (site / cache.FOLDER / "memo-plan.pickle").exists()
    edit(site, f"{DAY}/04-libraries.md", "Opening hours were reduced", "Opening hours were extended")
    result = build(site)
    assert result.ok and result.rendered > 0
    assert contents(site / "output") == clean_build(site, tmp_path)
