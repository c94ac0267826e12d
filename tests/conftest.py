"""Shared test fixtures: small sites written inline, built for real in temporary folders."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from minutebook.build import model, parsing, pipeline, reading
from minutebook.build.bodystore import BodyStore
from minutebook.build.leaks import LeakCheck
from minutebook.build.project import Cache, Project
from minutebook.content.published import Model
from minutebook.diagnostics import Diagnostic
from minutebook.shell import commands

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

MEETING = """\
---
time: "10:30"
venue: County Hall
status: held
agenda:
  - number: 1
    title: Minutes of the last meeting
    kind: minutes
  - number: 4
    title: A report
---
"""


def write_site(root: Path, files: dict[str, str], *, defaults: bool = True) -> Path:
    """Write a site: site.toml, the project's templates, and the given files (dedented)."""
    base: dict[str, str] = {}
    if defaults:
        base = {
            "site.toml": SITE_TOML,
            "content/committees/test/committee.md": COMMITTEE,
            "content/committees/test/2021-01-11/meeting.md": MEETING,
        }
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
