"""The dev server (the imperative shell): rebuilds the clerk's preview into .preview/ on each save and serves it.

The preview is the full site, drafts, scheduled and exempt papers included and
marked; it is written to `.preview/`, never to `output/`, so nothing a clerk
previews can be published by accident. The live-reload script is added to HTML
responses as they are sent, so no file on disk ever carries it.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import html
import mimetypes
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2
import jinja2.bccache
from watchdog.observers import Observer

from . import bodyedits, incremental, pipeline, search, write
from .assemble import Parsed
from .diagnostics import Diagnostics
from .markdown import Rendered
from .watch import Debouncer, relative, watch

PREVIEW_FOLDER = ".preview"
SEARCH_NICENESS = 10  # the preview's search index yields the cores to the rebuild a save is waiting for
EVENTS_PATH = "/__minutebook/events"
KEEPALIVE_SECONDS = 15.0
TYPES = {
    ".atom": "application/atom+xml",
    ".ics": "text/calendar",
    ".js": "text/javascript",
    ".json": "application/json",
}
RELOAD_SCRIPT = (
    '<script>(() => {{ const source = new EventSource("' + EVENTS_PATH + '?since={generation}");'
    ' source.addEventListener("reload", () => {{ source.close(); location.reload(); }}); }})();</script>'
)


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, for the console line and for deciding whether browsers reload."""

    written: int
    removed: int
    errors: tuple[str, ...]
    warnings: int
    milliseconds: int


class DeferredSearch:
    """Stands in for the search stage so the pages of a preview are written, and the browser reloads, first.

    Pagefind takes longer than every other stage together (seconds on a large
    archive), so the preview's index is rebuilt in a thread of its own and
    may lag a save or two behind the pages; a save never waits for it.
    """

    def __init__(self, index: Callable[[dict[str, bytes], str], dict[str, bytes]], folder: str) -> None:
        self.index = index
        self.folder = folder  # where the bundle's files go, e.g. pagefind/
        self.bundle: dict[str, bytes] = {}
        self._pending: tuple[dict[str, bytes], str] | None = None
        self._lock = threading.Lock()

    def __call__(self, files: dict[str, bytes], base_path: str) -> dict[str, bytes]:
        with self._lock:
            self._pending = (dict(files), base_path)
            return dict(self.bundle)

    def catch_up(self) -> dict[str, bytes] | None:
        """A fresh bundle for the latest pages asked about, or None when there is nothing new to index."""
        with self._lock:
            job, self._pending = self._pending, None
        if job is None:
            return None
        bundle = self.index(*job)
        with self._lock:
            self.bundle = bundle
        return bundle


class Preview:
    """The preview's state, shared by the rebuild thread and the request threads."""

    def __init__(self, root: Path, now: str | None, search: DeferredSearch | None = None) -> None:
        self.templates = CompiledTemplates()
        self.root = root
        self.folder = root / PREVIEW_FOLDER
        self.now = now
        self.search = search
        self.errors: tuple[str, ...] = ()
        self.generation = 0
        self.stopping = False
        self._changed = threading.Condition()
        self._building = threading.Lock()  # a rebuild and a search catch-up never write at the same time
        self._written: dict[str, bytes] = {}  # what .preview/ holds: the server's warm copy of the last build
        self._remembered = incremental.Remembered()  # each page's key and bytes, for the next rebuild to reuse
        self._last: _LastBuild | None = None  # what a body-only edit needs (see minutebook.bodyedits)
        self._reads: tuple[bytes, bool] = (b"", True)  # (settings, whether a template read a body itself)
        self._search_wanted = threading.Event()
        self._search_thread = threading.Thread(target=self._search_worker, name="minutebook-search", daemon=True)
        if search is not None:
            self._search_thread.start()

    def rebuild(self) -> Outcome:
        """Build the preview; any failure becomes an error shown in place, never an exception."""
        started = time.perf_counter()
        try:
            with self._building:
                written, removed, errors, warnings = self._build()
        except Exception as exc:  # a bad save must never stop the server
            written, removed, errors, warnings = 0, 0, (describe_failure(exc, self.root),), 0
        outcome = Outcome(written, removed, errors, warnings, round((time.perf_counter() - started) * 1000))
        self._publish(outcome)
        return outcome

    def _build(self) -> tuple[int, int, tuple[str, ...], int]:
        today = pipeline.today_from_environment(self.now)
        settings = pipeline.settings_key(self.root, today, True, "/")
        stamps = incremental.content_stamps(self.root / "content")
        quick = self._redo_bodies(settings, stamps)
        if quick is not None:
            return quick
        self._last = None
        diagnostics = Diagnostics()
        model = pipeline.load_model(self.root, today, True, diagnostics)
        if model is None:
            return 0, 0, tuple(str(d) for d in diagnostics.errors), len(diagnostics.warnings)
        stats = pipeline.RenderStats(self._remembered)
        files = pipeline.render_site(
            model, self.root, base="/", stats=stats, search_index=self.search or False, templates_cache=self.templates
        )
        self._remembered = incremental.Remembered(stats.keys, files)  # pages unchanged next time are not rendered
        first, (written, removed) = not self._written, self._changes(files)
        report = self._write(files)
        before = self._reads[1] if self._reads[0] == stats.settings else None
        reads = bodyedits.reads_bodies(stats, before)
        self._reads = (stats.settings, reads)
        snapshot = bodyedits.Snapshot(model, stats.settings, None, reads_bodies=reads)
        self._last = _LastBuild(snapshot, settings, stamps, len(diagnostics.warnings))
        gc.collect()  # the last model's leftovers go now, then the new one is set aside from the collector:
        gc.freeze()  # a full collection over an archive's model would otherwise pause a later save for a second
        return (report.written if first else written), removed, (), len(diagnostics.warnings)

    def _redo_bodies(
        self, settings: bytes, stamps: incremental.Stamps | None
    ) -> tuple[int, int, tuple[str, ...], int] | None:
        """After body-only edits, just the pages that show the edited bodies; None when a full rebuild is needed."""
        last = self._last
        if last is None or stamps is None or last.stamps is None or settings != last.settings:
            return None
        paths = bodyedits.edited_sources(last.stamps, stamps)
        if not paths:
            return None if paths is None else (0, 0, (), last.warnings)
        edited = bodyedits.parse_edited(self.root, paths)
        if edited is None:
            return None
        old = dict(last.snapshot.model.digests)
        redone = bodyedits.redo(last.snapshot, edited, self.root, "/", _parsed_body, self.templates)
        if redone is None:
            return None
        for path in redone.edited:
            incremental.remember(path, old[path], edited[path])
        last.stamps = stamps
        pages = {p: data for p, data in self._written.items() if p != write.MARKER}
        pages.update(redone.files)
        if self.search is not None:
            pages = {p: data for p, data in pages.items() if not p.startswith(self.search.folder)}
            pages.update(self.search(pages, "/"))
        self._remembered.keys.update(redone.keys)
        self._remembered.files.update(redone.files)
        written, removed = self._changes(pages)
        self._write(pages)
        return written, removed, (), last.warnings

    def _changes(self, files: dict[str, bytes]) -> tuple[int, int]:
        """Files written and removed, the search bundle aside: it catches up on its own (see DeferredSearch)."""
        old, search = self._written, (self.search.folder if self.search else "\0")
        written = sum(1 for p, data in files.items() if not p.startswith(search) and old.get(p) != data)
        removed = sum(1 for p in old if p not in files and p != write.MARKER and not p.startswith(search))
        return written, removed

    def _write(self, files: dict[str, bytes]) -> write.WriteReport:
        """The first build is written atomically; later ones only write what differs from the last, in memory."""
        with write.build_lock(self.folder):
            if self._written and (self.folder / write.MARKER).is_file():
                report = sync(self.folder, self._written, files)
            else:
                report = write.write_tree(self.folder, files)
        self._written = {**files, write.MARKER: write.MARKER_TEXT.encode()}
        return report

    def index_search(self) -> None:
        """Ask the search thread to bring the preview's index up to date (see DeferredSearch)."""
        self._search_wanted.set()

    def _search_worker(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # Linux: a thread's niceness, which Pagefind inherits
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SEARCH_NICENESS)
        while self._search_wanted.wait() and not self.stopping:
            self._search_wanted.clear()
            try:
                self._catch_up_search()
            except Exception as exc:  # the pages are fine; only search is stale
                print(f"search index not updated: {describe_failure(exc, self.root)}", flush=True)

    def _catch_up_search(self) -> None:
        bundle = self.search.catch_up() if self.search else None
        if bundle is None or self.stopping:
            return
        with self._building:
            if self._written:
                pages = {p: b for p, b in self._written.items() if not p.startswith(self.search.folder)}
                self._write({**pages, **bundle})

    def _publish(self, outcome: Outcome) -> None:
        """Browsers reload when a file changed or the list of errors did."""
        with self._changed:
            if outcome.written or outcome.removed or outcome.errors != self.errors:
                self.errors = outcome.errors
                self.generation += 1
                self._changed.notify_all()

    def state(self) -> tuple[tuple[str, ...], int]:
        """The current errors and generation, read together."""
        with self._changed:
            return self.errors, self.generation

    def wait_for_change(self, since: int, timeout: float) -> int | None:
        """The new generation once it differs from `since`; None on timeout or when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != since or self.stopping, timeout)
            return None if self.stopping or self.generation == since else self.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()
        self._search_wanted.set()

    def settle(self, timeout: float) -> None:
        """Wait for a rebuild in progress to finish writing, and briefly for the search index."""
        if self._building.acquire(timeout=timeout):
            self._building.release()
        if self._search_thread.is_alive():
            self._search_thread.join(timeout=2)


@dataclass
class _LastBuild:
    """The last full rebuild's model and inputs, which a body-only edit starts from."""

    snapshot: bodyedits.Snapshot
    settings: bytes  # site.toml, templates, engine and date
    stamps: incremental.Stamps | None  # every content file's size and time when it was read
    warnings: int


def _parsed_body(path: str, digest: str) -> Rendered | None:
    """A body from the parse results the last rebuild kept in memory."""
    found = incremental.cached_parse(None, path, digest)
    return found.body if isinstance(found, Parsed) else None


def sync(folder: Path, old: dict[str, bytes], new: dict[str, bytes]) -> write.WriteReport:
    """Write the files whose bytes changed (each replaced in one step) and delete those no longer built.

    Comparing with the last build in memory means an edit costs the few files
    it changed, not a read of the whole preview; only the clerk reads it.
    """
    new = {**new, write.MARKER: write.MARKER_TEXT.encode()}
    changed = [p for p, data in new.items() if old.get(p) != data]
    removed = [p for p in old if p not in new]
    write.replace_files(folder, {p: new[p] for p in changed}, removed)
    return write.WriteReport(len(changed), len(new) - len(changed), len(removed), False)


def describe_failure(exc: BaseException, root: Path) -> str:
    """`file:line: message` for template mistakes (Jinja's frames name the template), else the bare message."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{relative(exc.filename, root)}:{exc.lineno}: {exc.message}"
    templates = str(root / "templates")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(templates):
            return f"{relative(frame.filename, root)}:{frame.lineno}: {_message(exc)}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"templates/: template '{exc.name}' not found"
    return _message(exc)


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if isinstance(exc, jinja2.UndefinedError) or not str(exc) else str(exc)


# --- serving ------------------------------------------------------------------------


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive after Ctrl-C

    def __init__(self, port: int, preview: Preview) -> None:
        super().__init__(("127.0.0.1", port), PreviewHandler)
        self.preview = preview


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves .preview/ with the reload script added; while the content has errors, HTML requests get them."""

    server: PreviewServer

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the console has one line per rebuild, not one per request."""

    def _respond(self, head: bool) -> None:
        if not self._from_this_machine():
            self._send(421, "text/plain", b"This preview answers only http://127.0.0.1, localhost or [::1].", head)
            return
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(parse_qs(url.query).get("since", [""])[0])
            return
        preview = self.server.preview
        errors, generation = preview.state()
        target = locate(preview.folder, url.path)
        if target is not None and target.is_dir():
            self._send(301, "text/plain", b"", head, location=url.path + "/")
        elif errors and is_page(url.path):
            self._send(500, "text/html", inject(error_page(errors), generation), head)
        elif target is None:
            missing = preview.folder / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<!DOCTYPE html><title>Not found</title>Not found"
            self._send(404, "text/html", inject(body, generation), head)
        else:
            self._send_file(target, generation, head)

    def _from_this_machine(self) -> bool:
        """The preview shows drafts and exempt papers: a page elsewhere that points a name of its own at
        127.0.0.1 (DNS rebinding) sends its own Host, and a page on another site opening the event stream
        sends its Origin; only this machine's own names, with this port, are answered."""
        port = self.server.server_address[1]
        allowed = local_hosts(port)
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{host}" for host in allowed}:
            return False
        return self.headers.get("Host", "").lower() in allowed

    def _send_file(self, target: Path, generation: int, head: bool) -> None:
        try:
            body = target.read_bytes()
        except OSError:  # swapped out by a rebuild between locating and reading it
            self._send(503, "text/plain", b"The preview is being rebuilt; reload the page.", head)
            return
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, kind, inject(body, generation) if kind == "text/html" else body, head)

    def _send(self, status: int, kind: str, body: bytes, head: bool, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, since_text: str) -> None:
        """Server-sent events: `reload` whenever the preview changes from the one the page was built from."""
        preview = self.server.preview
        since = int(since_text) if since_text.isdigit() else preview.generation
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self._event("hello", since, retry=True)
            while not preview.stopping:
                generation = preview.wait_for_change(since, KEEPALIVE_SECONDS)
                if generation is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    self._event("reload", generation)
                    since = generation
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, generation: int, retry: bool = False) -> None:
        self.wfile.write((("retry: 1000\n" if retry else "") + f"event: {name}\ndata: {generation}\n\n").encode())
        self.wfile.flush()


def local_hosts(port: int) -> frozenset[str]:
    """The Host headers of a request to this machine's preview on `port`."""
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]"))


def locate(folder: Path, url_path: str) -> Path | None:
    """The file under .preview/ a URL names (a folder's index.html), or None; nothing outside it, nothing hidden."""
    parts = [p for p in unquote(url_path).split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    target = folder.joinpath(*parts)
    if target.is_dir() and url_path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() or target.is_dir() else None


def is_page(url_path: str) -> bool:
    """HTML pages are what a clerk looks at, so they are what the error page stands in for."""
    name = url_path.rsplit("/", 1)[-1]
    return not name or name.endswith(".html") or "." not in name


def inject(page: bytes, generation: int) -> bytes:
    """Add the live-reload script just before </body> (at the end if there is none)."""
    script = RELOAD_SCRIPT.format(generation=generation).encode()
    matches = list(re.finditer(rb"</body\s*>", page, re.IGNORECASE))
    if not matches:
        return page + script
    at = matches[-1].start()
    return page[:at] + script + page[at:]


def error_page(errors: tuple[str, ...]) -> bytes:
    """The clerk sees what to fix, where; every message is escaped, since it quotes what they wrote."""
    items = "\n".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview not updated: {len(errors)} problem(s) to fix</title>
<style>body{{font:1.1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
h1{{color:#942514}}li{{margin:.5rem 0}}code{{white-space:pre-wrap;word-break:break-word}}</style></head>
<body><main>
<h1>The preview was not updated</h1>
<p>Fix these problems and save: this page reloads by itself. The last good preview is kept in .preview/.</p>
<ul class="errors">
{items}
</ul>
</main></body>
</html>
""".encode()


# --- the command --------------------------------------------------------------------


def run(root: Path, port: int, now: str | None) -> int:
    """`build.py serve`: build once, then rebuild on every save until Ctrl-C."""
    preview = Preview(root, now, DeferredSearch(search.index_files, search.FOLDER))
    try:
        write.check_output_path(preview.folder, root)
        server = PreviewServer(port, preview)
    except write.OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(_bind_failure(exc, port), file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    debouncer = Debouncer(lambda changed: _rebuild(preview, changed))
    observer = None
    try:
        report(["the whole site"], preview.rebuild())
        preview.index_search()
        debouncer.start()
        observer = watch(root, debouncer.note)
        print(
            f"serving the clerk's preview at http://127.0.0.1:{port}/ (drafts, scheduled and exempt papers "
            f"shown; never published from here); press Ctrl-C to stop",
            flush=True,
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        _shut_down(preview, observer, debouncer, server)
    print("stopped", flush=True)
    return 0


def _shut_down(preview: Preview, observer: Observer | None, debouncer: Debouncer, server: PreviewServer) -> None:
    """Let a rebuild in progress finish writing, so .preview/ is never left half-written."""
    preview.stop()
    if observer is not None:
        observer.stop()
    debouncer.stop()
    server.server_close()
    preview.settle(timeout=10)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory between rebuilds; Jinja recompiles any whose source changed."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _rebuild(preview: Preview, changed: list[str]) -> None:
    report(changed, preview.rebuild())
    preview.index_search()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _bind_failure(exc: OSError, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use: try --port {port + 1 if port < 65535 else 8001}"
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights: try --port 8000"
    return f"cannot listen on 127.0.0.1:{port}: {exc.strerror}"


def report(changed: list[str], outcome: Outcome) -> None:
    """One console line per rebuild: what changed, what was written, how long it took; then any errors."""
    what = _names(changed)
    warnings = f", {outcome.warnings} warning(s) (python build.py check lists them)" if outcome.warnings else ""
    if outcome.errors:
        print(f"{what}: {len(outcome.errors)} error(s), preview not updated ({outcome.milliseconds} ms):", flush=True)
        for error in outcome.errors:
            print(f"  {error}", flush=True)
        return
    removed = f", {outcome.removed} removed" if outcome.removed else ""
    print(f"{what}: {outcome.written} page(s) written{removed} in {outcome.milliseconds} ms{warnings}", flush=True)


def _names(changed: list[str]) -> str:
    if changed == ["the whole site"]:
        return "built the preview"
    names = sorted({os.path.basename(c) for c in changed})
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{shown} changed"
