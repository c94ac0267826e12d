"""`build.py serve`: the clerk's preview, built once, then again on every save, until Ctrl-C.

Nothing of the preview is written to disk (see minutebook.shell.preview);
Ctrl-C stops it within a second or two, even in the middle of a rebuild,
since nothing can be left half-written.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from pathlib import Path

from watchdog.observers.api import BaseObserver

from .preview import Outcome, Preview
from .server import PreviewServer
from .watch import Debouncer, watch

STOP_SECONDS = 1.5  # how long Ctrl-C waits for a rebuild in progress before leaving it


def run(root: Path, port: int, now: str | None) -> int:
    """Build once, then rebuild on every save until Ctrl-C."""
    preview = Preview(root, now)
    try:
        server = PreviewServer(port, preview)
    except OSError as exc:
        print(_bind_failure(exc, port), file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    debouncer = Debouncer(lambda changed: report(changed, preview.rebuild(changed)))
    observer = None
    try:
        observer = watch(root, debouncer.note)  # before the first build: a save meanwhile is seen
        report(["the whole site"], preview.rebuild())
        debouncer.start()
        print(
            f"serving the clerk's preview at http://127.0.0.1:{port}/ (drafts, scheduled and exempt papers "
            f"shown; never published from here); press Ctrl-C to stop",
            flush=True,
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        finished = _shut_down(preview, observer, debouncer, server)
    print("stopped", flush=True)
    if not finished:  # a rebuild is still running: leave it (its workers die with this process)
        sys.stderr.flush()
        os._exit(0)
    return 0


def _shut_down(preview: Preview, observer: BaseObserver | None, debouncer: Debouncer, server: PreviewServer) -> bool:
    """Stop watching and serving; True when no rebuild was left running."""
    preview.stop()
    if observer is not None:
        observer.stop()
    server.server_close()
    return debouncer.stop(timeout=STOP_SECONDS)


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
    warnings = f", {len(outcome.warnings)} warning(s) (listed on every page)" if outcome.warnings else ""
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
