"""The clerk's live preview: `build.py serve` run for real on a copy of a small site, driven as a browser would."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT
from test_accessibility import axe_violations
from watchdog.events import FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileOpenedEvent

from minutebook.shell import server as http_server
from minutebook.shell import watch

MEETING = "content/committees/test/2021-01-11/"
REPORT = MEETING + "04-a-report.md"
REPORT_TEXT = """\
---
title: A report on libraries
---
1. The original wording of the first paragraph.
"""
FILES = {
    MEETING + "meeting.md": """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 4
    title: A report on libraries
  - number: 5
    title: Contract award
    access: exempt
    exempt_paragraph: 3
  - number: 6
    title: Plans in progress
  - number: 7
    title: Budget
---
""",
    REPORT: REPORT_TEXT,
    MEETING + "05-contract.md": """\
---
title: Award of the library contract
access: exempt
exempt_paragraph: 3
---
1. The tender prices were close.
""",
    MEETING + "06-plans.md": """\
---
title: Plans not yet agreed
draft: true
---
1. Still being written.
""",
    MEETING + "07-budget.md": """\
---
title: Next year's budget
publish_on: 2030-01-01
---
1. Figures to follow.
""",
}
PAPER_URL = "committees/test/2021-01-11/"
TIMEOUT = 10


class Server:
    """`build.py serve` in its own process, its console read line by line as it prints."""

    def __init__(self, site: Path, port: int) -> None:
        shutil.copy2(ROOT / "build.py", site / "build.py")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.site, self.port, self.lines = site, port, queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--port", str(port), "--now", "2026-11-24"],
            cwd=site,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, pattern: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no console line matching {pattern!r}; saw {self.seen}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def events(self) -> queue.Queue[str]:
        """The names of the server-sent events, as a page's EventSource receives them, once the stream is open."""
        events: queue.Queue[str] = queue.Queue()

        def read() -> None:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{http_server.EVENTS_PATH}", timeout=60) as stream:
                for raw in stream:
                    if raw.startswith(b"event: "):
                        events.put(raw[7:].decode().strip())

        threading.Thread(target=read, daemon=True).start()
        assert events.get(timeout=TIMEOUT) == "hello"
        return events

    def wait_for_search_index(self) -> None:
        """Until the index made in the background is served: its arrival reloads open pages, which a test of
        reloads must not mistake for its own (a loaded machine can take far longer than TIMEOUT)."""
        deadline = time.monotonic() + 6 * TIMEOUT
        while self.get("pagefind/shards.json") != (200, '["2021-test"]\n'):
            assert time.monotonic() < deadline, f"the preview's search index never came; saw {self.console()}"
            time.sleep(0.05)

    def console(self) -> list[str]:
        """Every line printed so far, for failure messages."""
        self.seen += [self.lines.get_nowait() for _ in range(self.lines.qsize())]
        return self.seen

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(make_site):
    site = make_site(FILES)
    running = Server(site, free_port())
    running.wait_for_line(r"^serving the clerk's preview at http://127\.0\.0\.1:\d+/")
    running.wait_for_search_index()  # its arrival reloads open pages: a test's own reloads come after it
    yield running
    running.stop()


def save(path: Path, text: str) -> None:
    """Save the way editors do: truncate, write in pieces, close; several file system events for one save."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text[: len(text) // 2])
        handle.flush()
        time.sleep(0.02)
        handle.write(text[len(text) // 2 :])


def test_preview_shows_drafts_scheduled_and_exempt_papers_marked_and_unindexed(server):
    status, draft = server.get(PAPER_URL + "06-plans/")
    assert status == 200, server.console()
    assert "Draft — not published" in draft and "Still being written." in draft
    assert '<meta name="robots" content="noindex, nofollow">' in draft
    assert "Scheduled for 1 January 2030 — not yet published" in server.get(PAPER_URL + "07-budget/")[1]
    exempt = server.get(PAPER_URL + "05-contract/")[1]
    assert "Exempt — not for publication" in exempt and "The tender prices were close." in exempt


def test_a_save_rebuilds_once_and_reloads_the_browser(server):
    events = server.events()
    site_report = server.site / REPORT
    save(site_report, REPORT_TEXT.replace("The original wording", "The amended wording"))
    assert events.get(timeout=TIMEOUT) == "reload"
    line = server.wait_for_line(r"changed:")
    assert re.fullmatch(r"04-a-report\.md changed: \d+ page\(s\) written in \d+ ms", line)
    status, page = server.get(PAPER_URL + "04-a-report/")
    assert status == 200 and "The amended wording" in page and "The original wording" not in page
    time.sleep(3 * watch.QUIET_SECONDS)
    later = [server.lines.get_nowait() for _ in range(server.lines.qsize())]
    assert not [line for line in later if "changed:" in line], "one save must give one rebuild"


def test_a_broken_file_shows_its_error_in_place_and_fixing_it_recovers(server):
    events = server.events()
    report = server.site / REPORT
    save(report, "---\ntitle: [A report on libraries\n<b>owner</b>: me\n---\n1. Text.\n")
    assert events.get(timeout=TIMEOUT) == "reload"
    status, page = server.get(PAPER_URL + "04-a-report/")
    assert status == 200, "the last good page still opens, with the error laid over it"
    assert "The original wording" in page
    banner = lxml.html.fromstring(page).xpath("//aside[@class='preview-problems']")[0]
    assert banner.xpath(".//*[@role='alert']") and banner.xpath(".//button[@type='button']")
    assert f"{REPORT}:2: the list or set of keys that starts on this line is never closed" in banner.text_content()
    assert "<b>owner" not in page, "the clerk's text is escaped in the banner"
    assert http_server.EVENTS_PATH in page, "the page reloads itself when the file is fixed"
    assert server.get("committees/test/")[1].count("the list or set of keys") == 1, "every page shows it"
    assert server.get("static/site.css")[0] == 200, "the last good preview's other files are still served"

    save(report, REPORT_TEXT.replace("original", "corrected"))
    assert events.get(timeout=TIMEOUT) == "reload"
    status, page = server.get(PAPER_URL + "04-a-report/")
    assert status == 200 and "The corrected wording" in page and "preview-problems" not in page


def test_a_page_that_never_built_shows_the_error_page(server):
    events = server.events()
    save(server.site / MEETING / "08-new.md", "---\ntitle: [A new report\n---\n")
    assert events.get(timeout=TIMEOUT) == "reload"
    status, page = server.get(PAPER_URL + "08-new/")
    assert status == 500 and f"{MEETING}08-new.md:2:" in page


def test_warnings_are_listed_on_every_page_and_editor_files_are_not_changes(server):
    events = server.events()
    save(server.site / REPORT, REPORT_TEXT + "2. For the plan, [click here](https://example.org/plan).\n")
    assert events.get(timeout=TIMEOUT) == "reload"
    line = server.wait_for_line(r"changed:")
    assert line.endswith("1 warning(s) (listed on every page)")
    page = lxml.html.fromstring(server.get("")[1])
    panel = page.xpath("//aside[@class='preview-warnings']")[0]
    assert panel.xpath("string(.//summary)") == "1 warning (the site still builds)"
    assert panel.xpath("string(.//li)") == (
        f"{REPORT}:5: warning: link text 'click here' does not say where it goes: describe the destination"
    )
    (server.site / MEETING / ".#04-a-report.md").symlink_to("clerk@laptop.4242")  # Emacs's lock: a link to nowhere
    for name in ("04-a-report.md~", ".04-a-report.md.swp", "4913", "#04-a-report.md#"):
        (server.site / MEETING / name).write_text("scratch", encoding="utf-8")
    time.sleep(5 * watch.QUIET_SECONDS)
    assert [line for line in server.console() if "changed" in line] == [line], "editors' files are no change"
    assert "04-a-report.md~" not in server.get("")[1], "nor are they read or reported by the build"


def test_a_named_pipe_or_a_link_loop_saved_during_the_preview_is_reported_not_waited_on(server):
    events = server.events()
    os.mkfifo(server.site / MEETING / "08-pipe.md")
    (server.site / MEETING / "09-loop.md").symlink_to("09-loop.md")
    (server.site / MEETING / "again").symlink_to("..")
    assert events.get(timeout=TIMEOUT) == "reload"
    page = server.get(PAPER_URL + "04-a-report/")[1]
    while "09-loop.md" not in page or "again" not in page:  # the three may arrive as two bursts
        assert events.get(timeout=TIMEOUT) == "reload", server.console()
        page = server.get(PAPER_URL + "04-a-report/")[1]
    assert f"{MEETING}08-pipe.md: is not a regular file (a named pipe); only Markdown files are read" in page
    assert f"{MEETING}09-loop.md: is a link that leads back to itself (a loop of links)" in page
    assert f"{MEETING}again: is a link to a folder that holds it (a loop)" in page
    for name in ("08-pipe.md", "09-loop.md", "again"):
        (server.site / MEETING / name).unlink()
    while "preview-problems" in server.get(PAPER_URL + "04-a-report/")[1]:
        assert events.get(timeout=TIMEOUT) == "reload", server.console()


def test_the_watcher_starts_and_notes_changes_beside_pipes_and_link_loops(make_site):
    """Watching stats files and never opens them: pipes and loops of links, old or new, cannot stall it."""
    site = make_site(FILES)
    os.mkfifo(site / MEETING / "08-pipe.md")
    (site / MEETING / "again").symlink_to("..")
    os.mkfifo(site / "templates" / "pipe.html")
    noted: queue.Queue[str] = queue.Queue()
    observer = watch.watch(site, noted.put)
    try:
        os.mkfifo(site / MEETING / "09-pipe.md")
        (site / MEETING / "10-loop.md").symlink_to("10-loop.md")
        (site / MEETING / "folder").mkdir()
        (site / MEETING / "folder" / "up").symlink_to("../..")
        save(site / REPORT, REPORT_TEXT + "2. More.\n")
        seen: set[str] = set()
        while REPORT not in seen:
            seen.add(noted.get(timeout=TIMEOUT))
    finally:
        observer.stop()
        observer.join(TIMEOUT)
    assert not observer.is_alive()


def test_a_template_mistake_and_a_deleted_file_are_reported_with_their_place(server):
    events = server.events()
    template = server.site / "templates" / "paper.html"
    original = template.read_text(encoding="utf-8")
    lines = original.split("\n")
    template.write_text("\n".join([*lines[:2], "{% if %}", *lines[2:]]), encoding="utf-8")
    assert events.get(timeout=TIMEOUT) == "reload"
    assert "templates/paper.html:3: Expected an expression" in server.get(PAPER_URL + "04-a-report/")[1]
    inside = next(n for n, line in enumerate(lines) if "{% block main %}" in line) + 1
    template.write_text("\n".join([*lines[:inside], "{{ no_such_name }}", *lines[inside:]]), encoding="utf-8")
    assert events.get(timeout=TIMEOUT) == "reload"
    assert (
        f"templates/paper.html:{inside + 1}: UndefinedError: &#x27;no_such_name&#x27; is undefined"
        in server.get(PAPER_URL + "04-a-report/")[1]
    )
    template.write_text(original, encoding="utf-8")
    assert events.get(timeout=TIMEOUT) == "reload"
    assert server.get(PAPER_URL + "04-a-report/")[0] == 200

    (server.site / MEETING / "meeting.md").unlink()
    assert events.get(timeout=TIMEOUT) == "reload"
    status, page = server.get("")
    assert status == 200 and f"{REPORT}: has no meeting.md beside it" in page


def test_the_reload_script_is_served_but_never_written_and_output_is_untouched(server):
    status, home = server.get("")
    assert status == 200 and f'new EventSource("{http_server.EVENTS_PATH}?since=' in home
    assert "__minutebook" not in server.get("static/site.css")[1]
    assert not (server.site / ".preview").exists(), "the preview is kept in memory: nothing to copy by mistake"
    assert server.get("committees/test/2021-01-11/04-a-report")[0] == 200  # redirected to the folder
    assert server.get("no-such-page/")[0] == 404
    assert server.get(".minutebook-output")[0] == 404
    assert not (server.site / "output").exists()


def test_the_preview_can_be_searched_once_its_index_catches_up(server):
    server.wait_for_search_index()
    assert server.get("pagefind/shards.json") == (200, '["2021-test"]\n')
    status, entry = server.get("pagefind/2021-test/pagefind-entry.json")
    assert status == 200 and '"en-gb"' in entry
    assert "__minutebook" not in server.get("pagefind/2021-test/pagefind.js")[1]


@pytest.mark.browser
def test_an_open_page_reloads_itself_after_a_save_and_after_a_fix(server):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail("Chromium is missing: run `make test-tools` (bash tests/tools/install.sh)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.port}/{PAPER_URL}04-a-report/", wait_until="load")
            # no waiting for the page's event stream: a save before it connects is caught up on connecting
            save(server.site / REPORT, "---\ntitle: [broken\n---\n")
            page.wait_for_selector("text=The preview was not updated", timeout=TIMEOUT * 1000)
            assert page.locator("text=The original wording").count() == 1, "the last good page stays under it"
            assert axe_violations(page) == [], "the banner keeps the page accessible"
            page.keyboard.press("Tab")  # the first stop: the banner's dismiss button
            assert page.evaluate("document.activeElement.textContent") == "Dismiss these problems"
            page.keyboard.press("Enter")
            assert page.locator("[role=alert]").count() == 0
            save(server.site / REPORT, REPORT_TEXT.replace("original", "corrected"))
            page.wait_for_selector("text=The corrected wording", timeout=TIMEOUT * 1000)
        finally:
            browser.close()


def test_ctrl_c_stops_the_server_cleanly(server):
    assert server.get("")[0] == 200
    assert server.stop() == 0
    server.wait_for_line(r"^stopped$")
    assert not (server.site / "output").exists()


def test_a_port_in_use_is_reported_in_one_line(make_site):
    site = make_site({})
    shutil.copy2(ROOT / "build.py", site / "build.py")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "build.py", "serve", "--port", str(port)],
            cwd=site,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 1
    assert result.stderr == f"port {port} is in use: try --port {port + 1}\n"
    assert not (site / ".preview").exists()


def test_html_gets_the_script_before_the_end_of_its_body():
    page = b"<html><body><p>x</p></BODY></html>"
    injected = http_server.inject(page, 7)
    assert injected.startswith(b"<html><body><p>x</p><script>")
    assert injected.endswith(b"</script></BODY></html>")
    assert b"?since=7" in injected


def test_a_burst_of_changes_gives_one_rebuild_naming_every_file():
    rebuilds: list[list[str]] = []
    done = threading.Event()
    debouncer = watch.Debouncer(lambda changed: (rebuilds.append(changed), done.set()), quiet=0.05)
    debouncer.start()
    for name in ("a.md", "b.md", "a.md", "site.toml"):
        debouncer.note(name)
        time.sleep(0.01)
    assert done.wait(TIMEOUT)
    time.sleep(0.15)
    debouncer.stop()
    assert rebuilds == [["a.md", "b.md", "site.toml"]]


def test_the_watcher_ignores_reads_and_editors_swap_files(make_site):
    site = make_site(FILES)
    noted: list[str] = []
    watcher = watch.SourceWatcher(site, noted.append)
    report = site / REPORT
    os.utime(report, ns=(time.time_ns() + 10**9, report.stat().st_mtime_ns))  # a build read it: access time only
    watcher.on_any_event(FileModifiedEvent(str(report)))
    watcher.on_any_event(FileOpenedEvent(str(report)))
    watcher.on_any_event(FileCreatedEvent(str(site / MEETING / ".04-a-report.md.swp")))
    watcher.on_any_event(FileModifiedEvent(str(site / ".preview" / "index.html")))
    assert noted == []
    report.write_text(REPORT_TEXT + "2. More.\n", encoding="utf-8")
    watcher.on_any_event(FileModifiedEvent(str(report)))
    watcher.on_any_event(FileMovedEvent(str(site / "site.toml.tmp"), str(site / "site.toml")))
    assert noted == [REPORT, "site.toml"]


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", True),
        ("/committees/test/", True),
        ("/committees/test", True),
        ("/404.html", True),
        ("/static/site.css", False),
        ("/calendar.ics", False),
        ("/feeds/all.atom", False),
    ],
)
def test_while_the_content_has_errors_only_pages_are_replaced_by_the_error_page(path, page):
    assert http_server.is_page(path) is page


def raw_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """A request with exactly these headers, as a page on another site (or a rebinding DNS name) would send."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        lines = [f"GET /{path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
        connection.sendall("\r\n".join(lines).encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "", "localhost.evil"]
)
def test_the_preview_refuses_requests_for_another_host(server, host):
    """A DNS-rebinding page in the clerk's browser must not read exempt and draft papers from the preview."""
    headers = {"Host": host.format(port=server.port)} if host else {}
    status, body = raw_get(server.port, PAPER_URL + "05-contract/", headers)
    assert status == 421
    assert b"tender prices" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_the_preview_answers_this_machine_by_each_of_its_names(server, host):
    status, body = raw_get(server.port, PAPER_URL + "05-contract/", {"Host": host.format(port=server.port)})
    assert status == 200 and b"tender prices" in body


def test_the_event_stream_refuses_other_origins(server):
    host = f"127.0.0.1:{server.port}"
    status, _ = raw_get(server.port, http_server.EVENTS_PATH[1:], {"Host": host, "Origin": "https://evil.example"})
    assert status == 421
    status, _ = raw_get(server.port, "", {"Host": host, "Origin": f"http://{host}"})
    assert status == 200
