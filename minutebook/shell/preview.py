"""The clerk's preview: the same build as any other, into memory, on every save, with the last good one kept.

The preview is the full site, drafts, scheduled and exempt papers included
and marked. It is built by `minutebook.build.pipeline.build` into a
`MemoryOutput` the server answers from, so nothing a clerk previews is ever
written to disk to be copied and published by accident. Its cache stays
warm between saves: an edit to one paper parses one paper. Its search index
is made in the background (`BackgroundIndexer`) and arrives with a later
rebuild, so a save never waits for Pagefind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..build import memory, searching
from ..build.output import MemoryOutput
from ..build.pipeline import Options, build, today_from_environment
from ..build.project import Cache, Project
from ..children import running
from ..site import search
from .watch import relative

SEARCH_NICENESS = 10  # the preview's search index yields the cores to the rebuild a save is waiting for
SCRATCH = "preview-search"  # under the cache folder: the copies of pages the background index is made from


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, for the console line and for deciding whether browsers reload."""

    written: int
    removed: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    milliseconds: int


class Preview:
    """The preview's state, shared by the rebuild thread and the request threads."""

    def __init__(self, root: Path, now: str | None, search_index: bool = True) -> None:
        self.project = Project(root)
        self.cache = Cache(self.project)
        self.output = MemoryOutput()
        self.now = now
        self.errors: tuple[str, ...] = ()
        self.warnings: tuple[str, ...] = ()  # of the last build that had no errors: shown with its pages
        self.generation = 0  # goes up whenever what the browser shows changes: a file, or the list of errors
        self.stopping = False
        scratch = self.project.cache / SCRATCH
        self.indexer = BackgroundIndexer(self.rebuild_for_search, scratch) if search_index else None
        self._changed = threading.Condition()
        self._building = threading.Lock()  # one build at a time: a save, or the search index arriving

    def rebuild(self, changed: Collection[str] | None = None) -> Outcome:
        """Build the preview; any failure becomes an error shown in place, never an exception.

        `changed`: the files a watcher running since before the last rebuild saw change (paths from the project
        folder); None when anything may have.
        """
        started = time.perf_counter()
        before = self.output.generation
        with self._building:
            try:
                options = self._options(None if changed is None else frozenset(changed))
                result = build(self.project, options, self.output, self.cache, indexer=self.indexer)
                errors = tuple(str(d) for d in result.diagnostics if d.severity == "error")
                warnings = tuple(str(d) for d in result.diagnostics if d.severity == "warning")
                written, removed = (result.written, result.removed) if result.ok else (0, 0)
                replaced = result.replanned is not None  # a new model (or settings): the last one is garbage
            except Exception as exc:  # a bad save (a template mistake, say) must never stop the server
                errors, warnings, written, removed = (describe_failure(exc, self.project.root),), (), 0, 0
                replaced = True
            outcome = Outcome(written, removed, errors, warnings, round((time.perf_counter() - started) * 1000))
            self._publish(outcome, self.output.generation != before)  # browsers reload now, not after the sweep
            if self.indexer is not None:
                self.indexer.start()  # what the build queued for the search index, now it is served
            if replaced:
                memory.let_go()  # the last model goes, then the new one is set aside
            else:
                memory.tidy()  # an edit to a body's wording kept the model: only what this build made is swept
            memory.set_aside()
        return outcome

    def _options(self, changed: frozenset[str] | None) -> Options:
        today = today_from_environment(self.now)
        return Options(today, preview=True, base="/", search=self.indexer is not None, changed=changed)

    def rebuild_for_search(self) -> None:
        """The background index is ready: a rebuild writes it like any other file (and reloads the search page).

        It lists content/ whole, as the first rebuild does: whatever a watcher may have missed is seen seconds
        after a save, not at the next save."""
        if not self.stopping:
            self.rebuild()

    def _publish(self, outcome: Outcome, changed: bool) -> None:
        """Browsers reload when a file changed or the list of errors or warnings did."""
        warnings = self.warnings if outcome.errors else outcome.warnings
        with self._changed:
            if changed or outcome.errors != self.errors or warnings != self.warnings:
                self.errors, self.warnings = outcome.errors, warnings
                self.generation += 1
                self._changed.notify_all()

    def state(self) -> tuple[tuple[str, ...], tuple[str, ...], int]:
        """The current errors, warnings and generation, read together."""
        with self._changed:
            return self.errors, self.warnings, self.generation

    def wait_for_change(self, since: int, timeout: float) -> int | None:
        """The new generation once it differs from `since`; None on timeout or when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != since or self.stopping, timeout)
            return None if self.stopping or self.generation == since else self.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()
        if self.indexer is not None:
            self.indexer.stop()


class BackgroundIndexer:
    """The preview's search index, made shard by shard in a thread of its own at low priority, from copies of the
    pages.

    Asked for a shard it has not indexed yet, it queues the shard's pages and answers None (the build keeps the
    shard it has); `start`ed once that build is served, it indexes the queue and then calls `ready`, and the
    rebuild that follows gets the new shards. The pages are copied by the indexing thread when it takes the
    shard, not by the save that queued it: a save waits for none of it, and a shard saved again while queued
    is copied once, as last saved. The copies live in a folder of this process under `scratch`, removed on
    `stop`; one left by a preview that was killed is removed by the next to start.
    """

    def __init__(self, ready: Callable[[], None], scratch: Path) -> None:
        self.ready = ready
        self.scratch = scratch / str(os.getpid())
        _remove_abandoned(scratch)
        self.done: dict[str, tuple[bytes, search.Bundle]] = {}  # each shard's newest bundle, by the key it was made for
        self.running: searching.Job | None = None
        self.waiting: dict[str, tuple[searching.Job, searching.LayOut]] = {}  # the newest pages asked about
        self.working = False
        self.stopping = False
        self._lock = threading.Lock()

    def bundle(
        self, job: searching.Job, pages: searching.LayOut, scratch: Path, into: Path | None
    ) -> search.Bundle | None:
        """The shard's newest bundle when made for these pages; else None, and the pages are queued (in place of
        any older version of them) unless they already are."""
        with self._lock:
            made = self.done.get(job.shard)
            if made is not None and made[0] == job.key:
                return made[1]
            queued = self.waiting.get(job.shard)
            if (self.running is not None and self.running.key == job.key) or (queued and queued[0].key == job.key):
                return None
            self.waiting[job.shard] = (job, pages)
        return None

    def start(self) -> None:
        """Index what was queued, in a thread of its own: called once the build that queued it is served, so
        copying the pages (Python's work, which a thread of the same process shares) never holds a save up."""
        with self._lock:
            if self.waiting and not self.working and not self.stopping:
                self.working = True
                threading.Thread(target=self._index, daemon=True).start()

    def _index(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # Linux: a thread's niceness, which Pagefind inherits
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SEARCH_NICENESS)
        made = False
        while True:
            with self._lock:
                if self.stopping or not self.waiting:
                    self.running, self.working = None, False
                    break
                job, pages = self.waiting.pop(next(iter(self.waiting)))
                self.running = job
            made = self._made(job, pages) or made
        if made and not self.stopping:
            self.ready()

    def _made(self, job: searching.Job, pages: searching.LayOut) -> bool:
        if self.stopping:  # its folder is gone, or going
            return False
        copy: Path | None = None
        try:
            self.scratch.mkdir(parents=True, exist_ok=True)
            copy = Path(tempfile.mkdtemp(dir=self.scratch))
            pages(copy / "site")
            bundle = search.make_bundle(copy / "site", copy, folder=job.folder)
        except Exception as exc:  # the pages are fine; only search is stale
            if not self.stopping:  # stopping removes the copies from under Pagefind
                print(f"search index not updated: {exc}", flush=True)
            return False
        finally:
            if copy is not None:
                shutil.rmtree(copy, ignore_errors=True)
        with self._lock:
            self.done[job.shard] = (job.key, bundle)
        return True

    def stop(self) -> None:
        with self._lock:
            self.stopping = True
            self.waiting.clear()
            shutil.rmtree(self.scratch, ignore_errors=True)


def _remove_abandoned(scratch: Path) -> None:
    """Remove the copies of previews no longer running (a preview killed outright cannot tidy up after itself)."""
    for folder in scratch.glob("*"):
        if not (folder.name.isdigit() and running(int(folder.name))):
            shutil.rmtree(folder, ignore_errors=True)


def describe_failure(exc: BaseException, root: Path) -> str:
    """`file:line: message` for template mistakes (Jinja's frames name the template), else the bare message."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{relative(exc.filename, root)}:{exc.lineno}: {exc.message}"
    templates = str(root / "templates")
    frames = getattr(exc, "worker_frames", None) or [
        (f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
    ]
    for filename, line in reversed(frames):
        if filename.startswith(templates):
            return f"{relative(filename, root)}:{line}: {_message(exc)}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"templates/: template '{exc.name}' not found"
    return _message(exc)


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if isinstance(exc, jinja2.UndefinedError) or not str(exc) else str(exc)
