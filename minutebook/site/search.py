"""Search indexing, after rendering: the public HTML pages become a Pagefind bundle under pagefind/.

Only rendered public pages go in, so the index can hold nothing a resident
could not already read; exempt text never reaches this stage. Pagefind keeps
just the parts of each page marked `data-pagefind-body` (papers, minutes,
decisions, agendas) and reads committee, year and kind of document from the
`data-pagefind-filter` / `data-pagefind-meta` attributes in the templates.

The indexer is the binary of the `pagefind[bin]` package, run over a
scratch folder of the pages (hard links to the pages of a build).
Its Python service wrapper (pagefind.index) was tried and dropped: it waits
0.1 s per message (4 s for the 41-page example, one `add_html_file` each),
`get_files()` hangs once the bundle passes its 2 MiB pipe limit, and
closing the service right after `write_files` can leave pagefind-entry.json
empty. The bundle goes to the build's output like every other file, so it
is published atomically with them.

Pagefind writes filter values in hash-map order, different on every run;
`canonical` sorts them so the same pages always give the same bytes
(reproducible builds, and no needless rewrites on deploy).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..children import die_with_parent, prepare

FOLDER = "pagefind/"
UNINDEXED_PREFIXES = ("search/", "data/")  # the search page itself and the open-data pages
UNUSED_BUNDLE_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui")  # search.js uses the JS API
SIGNATURE = b"pagefind_dcd"  # starts every Pagefind data file once decompressed


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed: the build stops rather than publish a site whose search is broken."""


@dataclass(frozen=True)
class Bundle:
    """A Pagefind bundle made canonical: the files it rewrote, and those moved as they were into a folder."""

    rewritten: dict[str, bytes]  # output path (pagefind/…) → bytes
    moved: tuple[str, ...] = ()  # output paths of the files moved straight into the folder given


def make_bundle(site: Path, scratch: Path, into: Path | None = None) -> Bundle:
    """Index the pages under `site` (laid out under the base path) with Pagefind in `scratch`.

    With `into`, the bundle's files that `canonical` leaves as they are (its fragments and index chunks,
    nearly all of it) are moved there under pagefind/, not read: only the few it rewrites are returned.
    """
    bundle_folder = run_pagefind(site, scratch)
    if into is None:
        bundle = {
            p.relative_to(bundle_folder).as_posix(): p.read_bytes()
            for p in sorted(bundle_folder.rglob("*"))
            if p.is_file() and not p.name.startswith(UNUSED_BUNDLE_FILES)
        }
        return Bundle({FOLDER + path: data for path, data in canonical(bundle).items()})
    kept, moved = _move_unchanging(bundle_folder, into / FOLDER)
    return Bundle({FOLDER + path: data for path, data in canonical(kept).items()}, tuple(moved))


def _move_unchanging(bundle: Path, target: Path) -> tuple[dict[str, bytes], list[str]]:
    """Move the files `canonical` does not rewrite to `target`; return the others' bytes and what was moved."""
    kept, moved = {}, []
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if not path.is_file() or path.name.startswith(UNUSED_BUNDLE_FILES):
            continue
        if rel == "pagefind-entry.json" or rel.endswith((".pf_filter", ".pf_meta")):
            kept[rel] = path.read_bytes()
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target / rel)
        moved.append(FOLDER + rel)
    return kept, moved


def page_location(site: Path, base_path: str, path: str) -> Path:
    """Where a page goes under `site` for Pagefind: under the base path, so result URLs are the site's own."""
    return site / base_path.strip("/") / path


def is_indexed(path: str) -> bool:
    """Pages a search should find; the agenda pack repeats its papers, so results point at the papers instead."""
    return (
        path.endswith(".html")
        and path != "404.html"
        and not path.startswith(UNINDEXED_PREFIXES)
        and not path.endswith("/pack/index.html")
    )


def run_pagefind(site: Path, scratch: Path) -> Path:
    """Run the Pagefind binary over the pages under `site`; the bundle is made in scratch/bundle."""
    from pagefind.service import get_executable  # asyncio and all: only when an index is made

    executable = get_executable()
    if executable is None:
        raise SearchIndexError("search index: the Pagefind binary is missing; install pagefind[bin] (constraints.txt)")
    bundle = scratch / "bundle"
    prepare()
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:  # cwd: a pagefind.yml lying in the caller's folder must not change the index
        done = subprocess.run(
            command, cwd=scratch, capture_output=True, text=True, check=False, preexec_fn=die_with_parent
        )
    except OSError as error:
        raise SearchIndexError(f"search index: cannot run Pagefind ({executable}): {error.strerror}") from error
    if done.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"search index: Pagefind failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return bundle


# --- reproducible output ------------------------------------------------------------


def canonical(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with every filter's values in sorted order, renamed by content, and the names it refers to updated."""
    result = {path: data for path, data in bundle.items() if not path.endswith(".pf_filter")}
    renamed: dict[str, str] = {}
    for path, data in sorted(bundle.items()):
        if path.endswith(".pf_filter"):
            old = path.removeprefix("filter/").removesuffix(".pf_filter")
            body = _sorted_filter(unpack(data))
            renamed[old] = _content_name(old, body)
            result[f"filter/{renamed[old]}.pf_filter"] = pack(body)
    for path in [p for p in result if p.endswith(".pf_meta")]:  # one per language, naming its filter files
        old = path.removeprefix("pagefind.").removesuffix(".pf_meta")
        body = unpack(result.pop(path))
        for before, after in renamed.items():
            body = body.replace(before.encode(), after.encode())  # same length, so the CBOR stays valid
        body = _sorted_meta(body)
        renamed[old] = _content_name(old, body)
        result[f"pagefind.{renamed[old]}.pf_meta"] = pack(body)
    entry = json.loads(result["pagefind-entry.json"])
    for language in entry["languages"].values():
        language["hash"] = renamed.get(language["hash"], language["hash"])
    result["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return result


def unpack(data: bytes) -> bytes:
    """A Pagefind data file's content, the way pagefind.js reads it: gzip, then the signature."""
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return data[len(SIGNATURE) :]


def pack(body: bytes) -> bytes:
    return gzip.compress(SIGNATURE + body, mtime=0)


def _content_name(old: str, body: bytes) -> str:
    """en-gb_848c973 → en-gb_ and as many hex digits of the content's digest: the same length, the same language."""
    prefix = old.rsplit("_", 1)[0] + "_"
    return prefix + hashlib.sha256(body).hexdigest()[: len(old) - len(prefix)]


def _sorted_filter(body: bytes) -> bytes:
    """A filter file is the CBOR [name, [[value, [page, …]], …]]: its values go in byte order."""
    if body[0] != 0x82:
        raise ValueError("unexpected Pagefind filter file")
    return _sorted_array(body, _item_end(body, 1))


def _sorted_meta(body: bytes) -> bytes:
    """The language's meta file is [version, pages, index chunks, filters, sorts, meta fields]: sort the filters and
    sorts, each a [name, file] list."""
    if body[0] != 0x86:
        raise ValueError("unexpected Pagefind meta file")
    for position in (3, 4):
        at = _header(body, 0)[1]
        for _ in range(position):
            at = _item_end(body, at)
        body = _sorted_array(body, at)
    return body


def _sorted_array(body: bytes, at: int) -> bytes:
    """`body` with the items of the CBOR array starting at `at` in byte order."""
    count, start = _header(body, at)
    items, end = [], start
    for _ in range(count):
        item_end = _item_end(body, end)
        items.append(body[end:item_end])
        end = item_end
    return body[:start] + b"".join(sorted(items)) + body[end:]


def _header(data: bytes, at: int) -> tuple[int, int]:
    """A CBOR item's argument (length, count or value) and where its content starts; Pagefind uses definite lengths."""
    info = data[at] & 0x1F
    if info < 24:
        return info, at + 1
    if info > 27:
        raise ValueError("indefinite CBOR length in a Pagefind file")
    size = 1 << (info - 24)
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _item_end(data: bytes, at: int) -> int:
    """Where the CBOR item starting at `at` ends."""
    major = data[at] >> 5
    value, at = _header(data, at)
    if major in (2, 3):  # byte and text strings
        return at + value
    if major in (4, 5):  # arrays and maps
        for _ in range(value * (2 if major == 5 else 1)):
            at = _item_end(data, at)
        return at
    if major == 6:  # a tag, then its item
        return _item_end(data, at)
    return at  # integers and simple values
