"""The search index stage: each shard (a committee's year) is indexed again only when its pages changed or its
files are no longer as the last build left them, and a shard whose new index is not ready yet keeps the last one.

(That an edit re-indexes only its own shard, and that a shard whose pages all went goes too, is in test_search.)
"""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, TWO_YEARS, build, snapshot

from minutebook.build import pipeline, searching
from minutebook.build.output import MemoryOutput
from minutebook.build.project import Cache, Project

PAPER_2022 = "content/committees/test/2022-01-10/04-a-report.md"


def search_files(output: Path) -> dict[str, tuple[int, bytes]]:
    return {path: found for path, found in snapshot(output).items() if path.startswith("pagefind/")}


def test_a_search_file_deleted_from_the_output_is_made_again_and_the_other_shard_is_kept(make_site):
    root = make_site(TWO_YEARS)
    assert build(root).ok
    before = search_files(root / "output")
    deleted = next(path for path in before if path.startswith("pagefind/2022-test/fragment/"))
    (root / "output" / deleted).unlink()
    assert build(root).ok
    after = search_files(root / "output")
    assert {path: data for path, (_, data) in after.items()} == {path: data for path, (_, data) in before.items()}
    assert {p: after[p] for p in after if p.startswith("pagefind/2021-test/")} == {
        p: before[p] for p in before if p.startswith("pagefind/2021-test/")
    }


class NotReady:
    """The preview's indexer while Pagefind is still at work in the background: no bundle yet."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def bundle(self, job: searching.Job, pages: searching.LayOut, scratch: Path, into: Path | None) -> None:
        self.asked.append(job.shard)
        return None


def test_while_a_shards_new_index_is_not_ready_the_preview_keeps_serving_the_last_one(make_site):
    root = make_site(TWO_YEARS)
    project, output = Project(root), MemoryOutput()
    cache, options = Cache(project), pipeline.Options(TODAY, preview=True, base="/")
    assert pipeline.build(project, options, output, cache).ok  # indexed by Pagefind, now
    before = {path: data for path, data in output.files.items() if path.startswith("pagefind/")}
    (root / PAPER_2022).write_text((root / PAPER_2022).read_text().replace("wombat", "numbat"), encoding="utf-8")
    later = NotReady()
    assert pipeline.build(project, options, output, cache, indexer=later).ok
    assert later.asked == ["2022-test"]
    assert {path: data for path, data in output.files.items() if path.startswith("pagefind/")} == before
    assert b"numbat" in output.files["committees/test/2022-01-10/04-a-report/index.html"]
