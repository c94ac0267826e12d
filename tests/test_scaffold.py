"""`build.py new meeting|paper|minutes`: files a clerk fills in, drafts until they say otherwise, never overwriting."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import MEETING as MEETING_TEXT
from conftest import build, meeting, new, preview

from minutebook.shell import scaffold

MEETING = "content/committees/test/2021-01-11/"
MEETING_WITH_EXEMPT_ITEM = meeting(
    """\
  - number: 5
    title: Sale of 12 Acacia Avenue to Mr Smith
    access: exempt
    exempt_paragraph: 3
    public_title: Exempt item – property sale
"""
)


def new_paper(site: Path, capsys, item: str, title: str) -> tuple[int, str, str]:
    return new(site, capsys, "paper", "--committee", "test", "--date", "2021-01-11", "--item", item, "--title", title)


def test_a_new_meeting_is_a_draft_with_the_standard_items_and_the_last_meetings_place(make_site, capsys):
    site = make_site({})
    code, out, _ = new(site, capsys, "meeting", "--committee", "test", "--date", "2021-02-08")
    assert code == 0
    assert out.startswith("created content/committees/test/2021-02-08/meeting.md\n")
    text = (site / "content/committees/test/2021-02-08/meeting.md").read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    assert 'time: "10:30"\nvenue: "County Hall"' in text
    assert "title: Minutes of the last meeting held on 11 January 2021" in text
    assert build(site).ok
    assert not (site / "output/committees/test/2021-02-08").exists(), "a new meeting is never published"
    page = (preview(site) / "committees/test/2021-02-08/index.html").read_text(encoding="utf-8")
    assert "Draft — not published" in page
    assert "Apologies for Absence" in page and "Declarations of Interests by Members and Officers" in page


def test_a_new_paper_keeps_its_title_exactly_and_stays_a_draft(make_site, capsys):
    site = make_site({})
    title = 'Libraries: the "Next Chapter" – proposals for 2021/22'
    code, out, _ = new(
        site, capsys, "paper", "--committee", "test", "--date", "2021-01-11", "--item", "04", "--title", title
    )
    assert code == 0
    assert out == f"created {MEETING}04-libraries-the-next-chapter-proposals-for-2021-22.md\n"
    assert build(site).ok
    assert not (
        site / f"output/{MEETING.removeprefix('content/')}04-libraries-the-next-chapter-proposals-for-2021-22"
    ).exists()
    page = (
        preview(site) / "committees/test/2021-01-11/04-libraries-the-next-chapter-proposals-for-2021-22" / "index.html"
    ).read_text(encoding="utf-8")
    assert "Libraries: the &#34;Next Chapter&#34; – proposals for 2021/22" in page
    assert "Draft — not published" in page


def test_a_paper_for_an_item_not_on_the_agenda_adds_the_item_as_a_draft(make_site, capsys):
    """Without the item the paper is an error; the item is added, kept off the published agenda until checked."""
    site = make_site({})
    code, out, _ = new_paper(site, capsys, "7", "Budget: 2021/22")
    assert code == 0
    assert out == (
        f"created {MEETING}07-budget-2021-22.md\n"
        f"added agenda item 7 to {MEETING}meeting.md as a draft: 'draft: true' keeps it off the published agenda; "
        "check its title and kind, then delete that line (mark it 'access: exempt' first if it is exempt)\n"
    )
    assert (site / MEETING / "meeting.md").read_text(encoding="utf-8") == MEETING_TEXT.removesuffix("---\n") + (
        '  - number: 7\n    title: "Budget: 2021/22"\n    kind: report\n'
        "    draft: true   # added with its paper: off the published agenda until you delete this line\n---\n"
    )
    assert build(site).ok
    assert "Budget" not in (site / "output/committees/test/2021-01-11/index.html").read_text(encoding="utf-8")


def test_a_new_item_goes_in_number_order_and_keeps_the_files_line_endings(make_site, capsys):
    site = make_site({MEETING + "meeting.md": MEETING_WITH_EXEMPT_ITEM.replace("\n", "\r\n")})
    code, _, _ = new_paper(site, capsys, "4a", "Fees")
    assert code == 0
    text = (site / MEETING / "meeting.md").read_bytes().decode()
    assert "\n" not in text.replace("\r\n", "")
    assert text.index("number: 4\r\n") < text.index("number: 4a\r\n") < text.index("number: 5\r\n")
    assert build(site).ok


def test_an_agenda_it_cannot_safely_change_is_left_alone_and_the_clerk_told_what_to_add(make_site, capsys):
    meeting = '---\ntime: "10:30"\nagenda: [{number: 1, title: Minutes, kind: minutes}]\n---\n'
    site = make_site({MEETING + "meeting.md": meeting})
    code, out, _ = new(
        site, capsys, "paper", "--committee", "test", "--date", "2021-01-11", "--item", "7", "--title", "Budget"
    )
    assert code == 0
    assert out == (
        f"created {MEETING}07-budget.md\n"
        f"note: agenda item 7 is not in {MEETING}meeting.md yet; add it there, or the build will report this paper:\n"
        '  - number: 7\n    title: "Budget"\n    kind: report\n'
    )
    assert (site / MEETING / "meeting.md").read_text(encoding="utf-8") == meeting


def test_a_long_title_makes_a_file_name_of_whole_words(make_site, capsys):
    site = make_site({})
    title = (
        "Adult Social Care and Public Health Department’s Digital Strategy for 2021-2024: Café Services, "
        "Straße Partnerships and Ynys Môn"
    )
    code, out, _ = new(
        site, capsys, "paper", "--committee", "test", "--date", "2021-01-11", "--item", "4", "--title", title
    )
    assert code == 0
    assert out.startswith(f"created {MEETING}04-adult-social-care-and-public-health-departments.md\n")
    assert scaffold.paper_stem("4", "Café culture in Ynys Môn and the Council's high street recovery plan") == (
        "04-cafe-culture-in-ynys-mon-and-the-councils-high"
    )
    assert scaffold.paper_stem("12b", "Strassen" * 10) == "12b-paper", "a single word too long is never cut"


def test_new_minutes_have_a_section_per_item_and_never_an_exempt_items_private_title(make_site, capsys):
    site = make_site({MEETING + "meeting.md": MEETING_WITH_EXEMPT_ITEM})
    code, out, _ = new(site, capsys, "minutes", "--committee", "test", "--date", "2021-01-11")
    assert code == 0 and out == f"created {MEETING}minutes.md\n"
    text = (site / MEETING / "minutes.md").read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text and "\nstatus: draft\n" in text
    assert "## 1. Minutes of the last meeting\n" in text and "## 4. A report\n" in text
    assert "## 5. Exempt item – property sale\n" in text and "Acacia" not in text
    assert build(site).ok
    assert not (site / "output/committees/test/2021-01-11/minutes").exists()
    assert (preview(site) / "committees/test/2021-01-11/minutes/index.html").is_file()


def test_new_minutes_never_open_a_pipe_or_follow_a_loop_among_earlier_minutes(make_site, capsys):
    """The last resolution number is read from earlier minutes: only regular files are read, as in a build."""
    site = make_site({"content/committees/test/2021-01-04/minutes.md": "::: resolved 2021/007\nNoted.\n:::\n"})
    for day in ("2020-12-07", "2020-12-14"):
        (site / "content/committees/test" / day).mkdir()
    os.mkfifo(site / "content/committees/test/2020-12-07/minutes.md")
    (site / "content/committees/test/2020-12-14/minutes.md").symlink_to("minutes.md")
    done: list[tuple[int, str, str]] = []
    worker = threading.Thread(
        target=lambda: done.append(new(site, capsys, "minutes", "--committee", "test", "--date", "2021-01-11")),
        daemon=True,
    )
    worker.start()
    worker.join(30)
    assert done and done[0][0] == 0, "the scaffold waited on a named pipe or failed on a loop of links"
    assert "used so far for 2021 is 2021/007" in (site / MEETING / "minutes.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["meeting", "--committee", "test", "--date", "2021-01-11"],
            f"error: {MEETING}meeting.md already exists; nothing was written\n",
        ),
        (
            ["minutes", "--committee", "tset", "--date", "2021-01-11"],
            "error: no committee 'tset' (did you mean \"test\"?); the committees are: test\n",
        ),
        (
            ["paper", "--committee", "test", "--date", "2021-03-01", "--item", "4", "--title", "A report"],
            "error: no meeting of 'test' on 2021-03-01: create it first with "
            "python build.py new meeting --committee test --date 2021-03-01\n",
        ),
        (
            ["meeting", "--committee", "test", "--date", "8/2/2021"],
            "error: --date expects a date written YYYY-MM-DD, found '8/2/2021'\n",
        ),
        (["meeting", "--committee", "test", "--date", "2021-02-30"], "error: --date 2021-02-30 is not a real date\n"),
        (
            ["paper", "--committee", "test", "--date", "2021-01-11", "--item", "four", "--title", "A report"],
            "error: --item expects an agenda item number such as 4 or 4a, found 'four'\n",
        ),
        (
            ["paper", "--committee", "test", "--date", "2021-01-11", "--item", "4", "--title", " "],
            "error: --title expects the paper's title as printed, found nothing\n",
        ),
    ],
)
def test_refusals_write_nothing_and_say_why(make_site, capsys, args, message):
    site = make_site({})
    before = sorted(p.relative_to(site) for p in (site / "content").rglob("*"))
    meeting = (site / MEETING / "meeting.md").read_bytes()
    code, out, err = new(site, capsys, *args)
    assert (code, out, err) == (1, "", message)
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*")) == before
    assert (site / MEETING / "meeting.md").read_bytes() == meeting


def test_an_existing_paper_is_not_overwritten(make_site, capsys):
    site = make_site({MEETING + "04-a-report.md": "---\ntitle: A report\n---\nThe clerk's own text.\n"})
    code, _, err = new(
        site, capsys, "paper", "--committee", "test", "--date", "2021-01-11", "--item", "4", "--title", "A report"
    )
    assert code == 1 and err == f"error: {MEETING}04-a-report.md already exists; nothing was written\n"
    assert (site / MEETING / "04-a-report.md").read_text(encoding="utf-8").endswith("The clerk's own text.\n")
