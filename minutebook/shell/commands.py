"""The commands that build, as a clerk (or a test) runs them: into a folder on disk, or a check that writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..build.disk import DiskOutput
from ..build.output import MemoryOutput
from ..build.pipeline import BuildResult, Options, Progress, build
from ..build.project import Cache, Project
from ..diagnostics import Diagnostic


def build_into(
    root: Path,
    output: Path,
    today: dt.date,
    *,
    preview: bool = False,
    base: str | None = None,
    jobs: int | None = None,
    search: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the project at `root` into the folder `output` (refused where that would lose someone's work)."""
    project = Project(root)
    return build(project, Options(today, preview, base, search, jobs), DiskOutput(output, root), progress=progress)


def check(root: Path, today: dt.date) -> list[Diagnostic]:
    """Every diagnostic a build would report, templates and leak check included; nothing is written anywhere."""
    project = Project(root)
    options = Options(today, search=False, pdfs=False)  # a PDF takes seconds and is made from a page checked here
    result = build(project, options, MemoryOutput(), Cache(project, save=False))
    return result.diagnostics
