"""Warnings people can read: each at its line, or counted by kind when there are many; check fails only on errors."""

from __future__ import annotations

from conftest import TODAY, write_site

from minutebook.diagnostics import Diagnostic
from minutebook.shell import cli, reporting

DAY = "content/committees/test/2021-01-11"
MEETING = '---\ntime: "10:30"\nvenue: County Hall\nstatus: held\nagenda:\n  - number: 4\n    title: Reports\n---\n'
TWICE = "---\ntitle: Report {n}\n---\n1. First.\n\n1. Again, by mistake.\n\n2. See paragraph 9.\n"


def noisy(folder, count: int):
    files = {f"{DAY}/meeting.md": MEETING}
    files.update({f"{DAY}/04-report-{n}.md": TWICE.format(n=n) for n in range(count)})
    return write_site(folder, files)


def run(root, *args: str) -> int:
    return cli.main(["check", "--now", TODAY.isoformat(), *args], root=root)


def test_many_warnings_are_counted_by_kind_and_a_check_with_only_warnings_passes(tmp_path, capsys):
    root = noisy(tmp_path / "site", 20)
    assert run(root) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "no errors (40 warning(s))"
    assert err.splitlines() == [
        "  20 × paragraph number … is used twice in this paper; only the first gets a link, in 20 files",
        "  20 × …: this paper has no paragraph or heading numbered …, in 20 files",
        "40 warning(s) of 2 kind(s); --warnings=all shows each one",
    ]


def test_every_warning_at_its_line_when_asked_or_when_few(tmp_path, capsys):
    root = noisy(tmp_path / "site", 20)
    assert run(root, "--warnings=all") == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 40
    assert f"{DAY}/04-report-0.md:6: warning: paragraph number 1 is used twice in this paper" in lines[0]
    few = noisy(tmp_path / "few", 1)
    assert run(few) == 0
    assert len(capsys.readouterr().err.splitlines()) == 2  # two warnings: each shown, no summary


def test_the_full_list_can_go_to_a_file_and_strict_fails_on_a_warning(capsys, tmp_path):
    root = noisy(tmp_path / "site", 20)
    listed = tmp_path / "warnings.txt"
    assert run(root, "--warnings-file", str(listed), "--strict") == 1
    assert len(listed.read_text().splitlines()) == 40
    assert f"they are all in {listed}" in capsys.readouterr().err


def test_kinds_leave_out_what_differs_between_instances():
    one = Diagnostic("a.md", 3, "link to 'x.pdf' should give its format and size, e.g. '(PDF, 1.2 MB)'", "warning")
    other = Diagnostic("b.md", 9, "link to 'y.docx' should give its format and size, e.g. '(DOCX, 1.2 MB)'", "warning")
    assert reporting.kind_of(one) == reporting.kind_of(other) == "link to … should give its format and size, e.g. …"
