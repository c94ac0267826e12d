"""The body store reads a body of a shard alone, or the shard whole, and always the file as it is now."""

from __future__ import annotations

import pickle
from pathlib import Path

from minutebook.build import cache
from minutebook.build.bodystore import BodyStore
from minutebook.build.cache import Store, shard_of, write_store

PAPERS = "content/committees/test/2026-03-01"


def _save(root: Path, name: str, bodies: dict[tuple[str, str], tuple[str, str]]) -> None:
    """A parse shard holding `bodies` in its attachment, in the order given."""
    keys = {key: None for key in bodies}
    attached = {key: pickle.dumps(body) for key, body in bodies.items()}
    write_store(root / cache.FOLDER / f"{name}.pickle", cache.pickled_store(keys), attached)


def test_an_entry_read_alone_is_the_entry_the_whole_attachment_holds(tmp_path: Path):
    bodies = {(f"{PAPERS}/0{n}-paper.md", f"d{n}"): (f"<p>Paper {n}</p>", f"Paper {n}") for n in range(1, 6)}
    _save(tmp_path, "parse-00", bodies)
    whole = Store(tmp_path, "parse-00").attachment()
    alone = Store(tmp_path, "parse-00")
    assert {key: alone.attached(key) for key in bodies} == whole
    assert [pickle.loads(whole[key]) for key in bodies] == list(bodies.values())
    assert alone.attached((f"{PAPERS}/09-missing.md", "d9")) is None


def test_an_entry_read_alone_after_its_file_was_saved_again_comes_from_the_new_file(tmp_path: Path):
    """A shard saved again during a build moves every entry: a place remembered from the old file is not used."""
    first = {(f"{PAPERS}/01-short.md", "a"): ("<p>A</p>", "A"), (f"{PAPERS}/02-long.md", "b"): ("<p>B</p>", "B")}
    _save(tmp_path, "parse-00", first)
    store = Store(tmp_path, "parse-00")
    assert store.attached((f"{PAPERS}/02-long.md", "b")) == pickle.dumps(("<p>B</p>", "B"))
    second = {
        (f"{PAPERS}/03-new.md", "c"): ("<p>" + "Much longer wording. " * 20 + "</p>", "Much longer"),
        (f"{PAPERS}/02-long.md", "b"): ("<p>B</p>", "B"),
    }
    _save(tmp_path, "parse-00", second)
    assert store.attached((f"{PAPERS}/02-long.md", "b")) == pickle.dumps(("<p>B</p>", "B"))
    assert store.attached((f"{PAPERS}/01-short.md", "a")) is None


def test_a_page_showing_bodies_of_many_shards_reads_each_one(tmp_path: Path):
    """Bodies asked for across shards, alone and whole, in any order, each read back as saved."""
    sources = [f"content/committees/test/2026-0{month}-01/0{n}-paper.md" for month in range(1, 8) for n in (1, 2)]
    digests = {source: f"d-{source}" for source in sources}
    by_shard: dict[int, dict[tuple[str, str], tuple[str, str]]] = {}
    for source in sources:
        by_shard.setdefault(shard_of(source), {})[(source, digests[source])] = (f"<p>{source}</p>", source)
    for index, bodies in by_shard.items():
        _save(tmp_path, f"parse-{index:02d}", bodies)
    store = BodyStore(tmp_path, digests, {})
    for source in [*sources, *reversed(sources), *sources[::3]]:
        assert store.html(source) == f"<p>{source}</p>" and store.text(source) == source
