"""Shared test fixtures: small sites written inline, built for real in temporary folders."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import shutil
import signal
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from minutebook.build import model, parsing, pipeline, reading
from minutebook.build.bodystore import BodyStore
from minutebook.build.leaks import LeakCheck
from minutebook.build.project import Cache, Project
from minutebook.content import config
from minutebook.content.published import Model
from minutebook.diagnostics import Diagnostic, Diagnostics
from minutebook.shell import cli, commands


def pytest_configure() -> None:
    """Ctrl-C reaches the builds and servers the tests stop with it, however the suite was started: a shell starts
    a background job (`make test &`) with Ctrl-C ignored, and every process started from it would ignore it too."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

SITE_TOML = """\
[organisation]
name = "Testshire County Council"
website = "https://www.testshire.example"

[site]
title = "Committee papers"
base_url = "https://democracy.testshire.example/"
"""

COMMITTEE = """\
---
name: Test Committee
members:
  - name: Ada Lovelace
    role: Chair
---
Considers test matters.
"""


def meeting(items: str = "", extra: str = "") -> str:
    """meeting.md of a meeting held at 10:30 in County Hall: items 1 (the last minutes) and 4 (a report), then
    `items` (more of the agenda, as YAML); `extra` is more front matter, before the agenda."""
    return (
        f'---\ntime: "10:30"\nvenue: County Hall\nstatus: held\n{extra}agenda:\n'
        "  - number: 1\n    title: Minutes of the last meeting\n    kind: minutes\n"
        f"  - number: 4\n    title: A report\n{items}---\n"
    )


MEETING = meeting()

# The test committee and its settings, without a meeting; a default site adds the meeting of 11 January 2021.
COUNCIL = {"site.toml": SITE_TOML, "content/committees/test/committee.md": COMMITTEE}
DEFAULTS = {**COUNCIL, "content/committees/test/2021-01-11/meeting.md": MEETING}

# An exempt agenda item (item 5) and an exempt appendix (to the paper for item 4), each with a public title: only
# that title may be published, never "Old Mill", "Bidder" or "SECRET".
EXEMPT_ITEM = """\
  - number: 5
    title: Sale of the Old Mill to Bidder X
    access: exempt
    exempt_paragraph: 3
    public_title: "Exempt item: sale of land"
"""
EXEMPT_APPENDIX = """\
---
title: Bidder X commercial terms
access: exempt
exempt_paragraph: 3
public_title: "Exempt appendix: commercial terms"
---
SECRET-TERMS
"""

# One committee's meetings in two years (two search shards: 2021-test and 2022-test), and a committee without any.
TWO_YEARS = {
    "content/committees/test/2021-01-11/04-a-report.md": "---\ntitle: Libraries\n---\n1. The quokka proposal.\n",
    "content/committees/test/2022-01-10/meeting.md": MEETING,
    "content/committees/test/2022-01-10/04-a-report.md": "---\ntitle: Parks\n---\n1. The wombat proposal.\n",
    "content/committees/audit/committee.md": COMMITTEE.replace("Test Committee", "Audit Committee"),
}


def write_site(root: Path, files: dict[str, str], *, defaults: bool = True) -> Path:
    """Write a site: site.toml, the project's templates, and the given files (dedented)."""
    base = DEFAULTS if defaults else {}
    for rel, text in {**base, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    if not (root / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    return root


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site({"path": "text"}) → the site's root folder, with defaults a test can override."""

    def make(files: dict[str, str], defaults: bool = True) -> Path:
        return write_site(tmp_path / "site", files, defaults=defaults)

    return make


def build(root: Path, today: dt.date = TODAY, **kwargs) -> pipeline.BuildResult:
    return commands.build_into(root, root / "output", today, **kwargs)


def preview(root: Path) -> Path:
    """The clerk's preview of the site (drafts shown), which must build without errors, in root/preview-out."""
    result = commands.build_into(root, root / "preview-out", TODAY, preview=True)
    assert result.ok, [str(d) for d in result.diagnostics]
    return root / "preview-out"


def command(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    """`python build.py <args>` in the project at `root`: its exit code, and what it printed on stdout and stderr."""
    code = cli.main(list(args), root=root)
    out, err = capsys.readouterr()
    return code, out, err


def new(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    """`python build.py new <args>`."""
    return command(root, capsys, "new", *args)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` (links aside) with its modification time (ns) and bytes: what rsync and a resident
    would notice."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def contents(output: Path) -> dict[str, bytes]:
    """Every output file's bytes."""
    return {path: data for path, (_, data) in snapshot(output).items()}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in one file of the site."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def fresh_copy(root: Path, tmp_path: Path) -> Path:
    """The same site in tmp_path/fresh, without output, cache or lock: as if never built."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("output", ".minutebook-cache", ".output.lock"))
    return fresh


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same content built from nothing: what every incremental build must equal."""
    fresh = fresh_copy(root, tmp_path)
    assert build(fresh).ok
    return contents(fresh / "output")


@pytest.fixture
def load_settings(tmp_path: Path):
    """load_settings(toml) → (Config or None, every diagnostic as a clerk sees it), beside templates/static/logo.svg."""

    def load(toml: str) -> tuple[config.Config | None, list[str]]:
        static = tmp_path / "templates" / "static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "logo.svg").write_text("<svg/>", encoding="utf-8")
        (tmp_path / "site.toml").write_text(toml, encoding="utf-8")
        diagnostics = Diagnostics()
        loaded = config.load(tmp_path / "site.toml", diagnostics)
        return loaded, [str(d) for d in diagnostics.sorted()]

    return load


@dataclass
class Loaded:
    """What the build's first stages make of a project (nothing written): the model, what they reported, the
    bodies' store, and the leak check a build would run on it."""

    model: Model | None
    diagnostics: list[Diagnostic]
    bodies: BodyStore
    root: Path

    def leak_check(self) -> LeakCheck:
        assert self.model is not None
        project = Project(self.root)
        return LeakCheck(lambda: self.model, self.bodies, project.templates, project.settings, None)


def load(root: Path, today: dt.date = TODAY, preview: bool = False) -> Loaded:
    project = Project(root)
    cache = Cache(project, save=False)
    config, found = pipeline.configure(project)
    sources = reading.read(project, cache)
    parsed = parsing.parse_all(sources, cache, 1)
    bodies = BodyStore(root, sources.digests, cache.bodies)
    if config is None:
        return Loaded(None, [*found, *parsed.diagnostics], bodies, root)
    made = model.assembled(config, parsed, today, preview, cache)
    return Loaded(made.model, [*found, *parsed.diagnostics, *made.diagnostics], bodies, root)


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example site, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("example") / "output"
    result = commands.build_into(ROOT, out, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


class MountedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder at a sub-path (/democracy/), the way a council's web server would, and logs nothing."""

    mount = "/"

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "__not-mounted__")
        return super().translate_path("/" + path[len(self.mount) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, mount: str = "/") -> Iterator[str]:
    """The folder over http on 127.0.0.1 and a free port; yields the site's address."""
    handler = type("Handler", (MountedHandler,), {"mount": mount})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def example_url(example_output: Path) -> Iterator[str]:
    """The example site served on 127.0.0.1 at a free port, as a resident's browser would fetch it."""
    with serving(example_output) as url:
        yield url


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "run 'make test-tools' (as root) to install it"


@contextlib.contextmanager
def debian_chromium() -> Iterator:
    """Debian's headless Chromium driven by Playwright; a missing browser fails the test, never skips it."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing ({CHROMIUM}): {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for a whole test module."""
    with debian_chromium() as chromium:
        yield chromium
