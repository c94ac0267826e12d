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

import contextlib
import gzip
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..children import die_with_parent, forking, prepare

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


def make_bundle(site: Path, scratch: Path, into: Path | None = None, folder: str = FOLDER) -> Bundle:
    """Index the pages under `site` (laid out under the base path) with Pagefind in `scratch`; its files go under
    `folder` (pagefind/, or one shard's pagefind/2021/).

    With `into`, the bundle's files that `canonical` leaves as they are (its fragments and index chunks,
    nearly all of it) are moved there under `folder`, not read: only the few it rewrites are returned.
    """
    bundle_folder = run_pagefind(site, scratch)
    if into is None:
        bundle = {
            p.relative_to(bundle_folder).as_posix(): p.read_bytes()
            for p in sorted(bundle_folder.rglob("*"))
            if p.is_file() and not p.name.startswith(UNUSED_BUNDLE_FILES)
        }
        return Bundle({folder + path: data for path, data in canonical(bundle).items()})
    kept, moved = _move_unchanging(bundle_folder, into, folder)
    return Bundle({folder + path: data for path, data in canonical(kept).items()}, tuple(moved))


def _move_unchanging(bundle: Path, into: Path, folder: str) -> tuple[dict[str, bytes], list[str]]:
    """Move the files `canonical` does not rewrite under `into`/`folder`; return the others' bytes and what moved."""
    target = into / folder
    kept, moved = {}, []
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if not path.is_file() or path.name.startswith(UNUSED_BUNDLE_FILES):
            continue
        if rel in REWRITTEN_FILES or rel.endswith((".pf_filter", ".pf_meta")):
            kept[rel] = path.read_bytes()
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target / rel)
        moved.append(folder + rel)
    return kept, moved


def page_location(site: Path, base_path: str, path: str) -> Path:
    """Where a page goes under `site` for Pagefind: under the base path, so result URLs are the site's own."""
    return site / base_path.strip("/") / path


SHARDS = FOLDER + "shards.json"  # the shards' folders under pagefind/, newest first: the search page merges them
SITE_SHARD = "site"  # pages that belong to no meeting (indexed only when no template marks what to index)


def shard_of(*places: str) -> str:
    """The shard a page's index goes in: its committee's year ("2021-planning"), read from the first of `places`
    (its source, then its own path) laid out as committees/<committee>/<yyyy-mm-dd>/.

    An edit re-indexes one committee's year, about a hundred pages even in a large archive, and the search page
    merges the shards (Pagefind's mergeIndex, which loads the search code once). A page in no committee's
    meeting folder goes by its year alone, and one with no year in "site".
    """
    for place in places:
        if match := COMMITTEE_YEAR_RE.search(place):
            return f"{match.group(2)}-{match.group(1)}"
    for place in places:
        if match := YEAR_RE.search(place):
            return match.group(1)
    return SITE_SHARD


COMMITTEE_YEAR_RE = re.compile(r"(?:^|/)committees/([^/]+)/((?:19|20|21)\d\d)-\d\d-\d\d/")
YEAR_RE = re.compile(r"(?:^|/)((?:19|20|21)\d\d)-\d\d-\d\d/")


def shard_order(names: list[str]) -> list[str]:
    """Newest year first (the first shard's search code is the one the page loads), then by committee."""
    return sorted(names, key=lambda name: (name == SITE_SHARD, _negated_year(name), name))


def _negated_year(name: str) -> int:
    return -int(name[:4]) if name[:4].isdigit() else 0


def shard_list(names: list[str]) -> bytes:
    """pagefind/shards.json: the shards' folders, in the order the search page merges them."""
    return json.dumps(shard_order(names), separators=(",", ":")).encode() + b"\n"


def marked_templates(templates: Path) -> frozenset[str]:
    """The templates whose pages mark what Pagefind indexes (`data-pagefind-body`), themselves or through those
    they extend or include: once any page is marked, Pagefind indexes only marked pages, so only those are given
    to it (the site's own pages would otherwise each cost a shard their index never has)."""
    sources = {}
    for path in sorted(templates.glob("*.html")) if templates.is_dir() else ():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            sources[path.name] = path.read_text(encoding="utf-8")
    marked = {name for name, text in sources.items() if "data-pagefind-body" in text}
    changed = True
    while changed:
        found = {name for name, text in sources.items() if name not in marked and _uses(text, marked)}
        marked |= found
        changed = bool(found)
    return frozenset(marked)


def _uses(text: str, names: set[str]) -> bool:
    """Whether a template extends, includes or imports one of `names`."""
    pattern = r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']"""
    return any(found in names for found in re.findall(pattern, text))


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
    try:
        code, out, err = _run(command, scratch)
    except OSError as error:
        raise SearchIndexError(f"search index: cannot run Pagefind ({executable}): {error.strerror}") from error
    if code != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"search index: Pagefind failed: {(err or out).strip()[-500:]}")
    return bundle


def _run(command: list[str], scratch: Path) -> tuple[int, str, str]:
    """Pagefind run to its end (its exit code and what it printed), or stopped with the build on Ctrl-C.

    Run in `scratch`: a pagefind.yml lying in the caller's folder must not change the index."""
    pagefind: subprocess.Popen[str] | None = None
    try:
        with forking():
            pagefind = subprocess.Popen(
                command,
                cwd=scratch,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=die_with_parent,
            )
        out, err = pagefind.communicate()
        return pagefind.returncode, out, err
    except BaseException:
        if pagefind is not None:
            with pagefind:  # its pipes closed, and waited for
                pagefind.kill()
        raise


# --- reproducible output ------------------------------------------------------------


REWRITTEN_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js")  # besides filters and meta

# The search page merges the shards into the first one's Pagefind, and Pagefind searches each index on its own: an
# index without a word that starts with the term answers with the longest word it has that the term starts with ("d"
# for "dementia"), results one index of the whole site would never give. To drop them the page must know which index
# words each result matched and what the terms became (stemmed): Pagefind reports both in its "playground mode". Both
# copies of its search code (in the page and in its web worker) are given the one change that turns that on for
# every index as it is loaded.
PAGEFIND_INIT = b"this.raw_ptr=this.backend.init_pagefind(new Uint8Array(this.searchMeta));"
PAGEFIND_INIT_REPORTING = (
    b"this.raw_ptr=this.backend.enter_playground_mode(this.backend.init_pagefind(new Uint8Array(this.searchMeta)));"
)


def canonical(bundle: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with every filter's values in sorted order, renamed by content, and the names it refers to updated;
    its search code reports the words each result matched, for every index merged (see PAGEFIND_INIT)."""
    result = {path: data for path, data in bundle.items() if not path.endswith(".pf_filter")}
    for name in ("pagefind.js", "pagefind-worker.js"):
        if name in result:
            result[name] = _reporting_matches(name, result[name])
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


def _reporting_matches(name: str, code: bytes) -> bytes:
    if code.count(PAGEFIND_INIT) != 1:
        raise SearchIndexError(
            f"search index: {name} of this Pagefind is not the one the search page was written for; "
            "install the version constraints.txt names"
        )
    return code.replace(PAGEFIND_INIT, PAGEFIND_INIT_REPORTING)


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
