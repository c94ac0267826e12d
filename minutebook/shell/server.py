"""The preview's web server: the files of the last good build, from memory, with live reload; this machine only.

The live-reload script is added to HTML responses as they are sent, so no
file of any build ever carries it.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import overlay
from .preview import Preview

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
class Shown:
    """What every page served now carries: the latest problems over it, and the reload script."""

    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    generation: int

    def page(self, body: bytes) -> bytes:
        return inject(overlay.lay_over(body, self.errors, self.warnings), self.generation)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive after Ctrl-C

    def __init__(self, port: int, preview: Preview) -> None:
        super().__init__(("127.0.0.1", port), PreviewHandler)
        self.preview = preview


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves the preview from memory with the reload script added; while the content has errors or warnings, every
    page of the last good preview is served with them laid over it (the error page only where there is none)."""

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
        errors, warnings, generation = preview.state()
        files = preview.output.files  # one build's files, swapped whole by the next: read once here
        target = locate(files, url.path)
        shown = Shown(errors, warnings, generation)
        if target == FOLDER:
            self._send(301, "text/plain", b"", head, location=url.path + "/")
        elif errors and is_page(url.path) and (target is None or not target.endswith(".html")):
            self._send(500, "text/html", inject(error_page(errors), generation), head)  # no good page to show
        elif target is None:
            body = files.get("404.html", b"<!DOCTYPE html><title>Not found</title>Not found")
            self._send(404, "text/html", shown.page(body), head)
        else:
            self._send_file(target, files[target], shown, head)

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

    def _send_file(self, path: str, body: bytes, shown: Shown, head: bool) -> None:
        name = path.rsplit("/", 1)[-1]
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        kind = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._send(200, kind, shown.page(body) if kind == "text/html" else body, head)

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


FOLDER = "/"  # what `locate` answers for a folder asked for without its closing slash


def locate(files: Mapping[str, bytes], url_path: str) -> str | None:
    """The preview's file a URL names (a folder's index.html), FOLDER for a folder without its slash, or None;
    nothing hidden."""
    parts = [p for p in unquote(url_path).split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    path = "/".join(parts)
    if path in files:
        return path
    index = f"{path}/index.html" if path else "index.html"
    if index in files:
        return index if url_path.endswith("/") or not path else FOLDER
    return None


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
<p>Fix these problems and save: this page reloads by itself. The last good preview is kept.</p>
<ul class="errors">
{items}
</ul>
</main></body>
</html>
""".encode()
