"""The leak check, the last stage before writing: withheld text found in anything this build writes stops it.

Pages are scanned as they are made (minutebook.build.rendering), the search
index's new files here. What is withheld is decided by the publication rule
itself, not by asking the gate what it withheld (minutebook.build.phrases);
a phrase found is no leak when a public document or the site's own text
says it too. Files whose bytes a checked build wrote before were scanned
then: a one-paper edit scans what it changes. The gate's own proof, the
canary, runs with the gate (minutebook.build.model).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from ..content.published import Model
from ..diagnostics import Diagnostic
from . import describe, phrases, public, scan, workers
from .bodystore import BodyStore
from .output import Staging

Remembered = Callable[[str, bytes, Callable[[], Any]], Any]  # (name, key, make) → the value kept for the key

T = TypeVar("T")

STOPPED = "the build was stopped and nothing was published"
SCAN_BATCH = 64  # files per task when files are scanned on every core


class LeakCheck:
    """The withheld phrases of one build, worked out when first needed (a build that makes nothing needs none)."""

    def __init__(
        self,
        model: Callable[[], Model],
        bodies: BodyStore,
        templates: Path,
        settings: Path,
        root: Path | None,
        remembered: Remembered | None = None,
        model_key: bytes = b"",
    ) -> None:
        """`model` gives the model (the one of `model_key`) when first needed; `root` is the project whose cache
        folder remembers what public documents say (None: nothing is kept); `remembered` keeps values made from
        the model under a key (the public documents' keys under the model's, the withheld phrases under what is
        withheld), so a build whose model, or whose withheld text, is the last one's does not make them again."""
        self._model, self.bodies = model, bodies
        self.templates, self.settings, self.root = templates, settings, root
        self.remembered, self.model_key = remembered, model_key

    def documents(self, jobs: int) -> list[describe.PublicDocument]:
        """The public documents as their answers are remembered: each one's key and the bodies it shows."""
        make = lambda: describe.public_documents(self.split.public, jobs)  # noqa: E731
        return self._kept("public-documents", self.model_key, make)

    @functools.cached_property
    def split(self) -> phrases.Split:
        model = self._model()
        return phrases.split(model.full, model.published.today)

    @functools.cached_property
    def phrases(self) -> phrases.Phrases:
        """The withheld phrases: an edit to a public paper withholds nothing new, and reads no withheld body; an
        edit to the wording of a body does not even divide the model (what it withholds is kept with it)."""
        boilerplate = phrases.boilerplate(self.templates, self.settings)
        withheld = self._kept("withheld", self.model_key, lambda: phrases.outline(self.split))
        make = lambda: phrases.Phrases.of(self.split, self.bodies, boilerplate)  # noqa: E731
        return self._kept("phrases", phrases.withheld_key(withheld, self.bodies, boilerplate), make)

    def _kept(self, name: str, key: bytes, make: Callable[[], T]) -> T:
        return make() if self.remembered is None else cast(T, self.remembered(name, key, make))

    @functools.cached_property
    def searcher(self) -> scan.Searcher | None:
        """Every withheld phrase, compiled once a build: the pages, the search index and the public documents are
        all searched with it."""
        return scan.automaton(self.phrases.candidates)

    def scanner(self) -> scan.Scanner | None:
        return None if self.searcher is None else scan.Scanner(self.searcher)

    def scan(self, staging: Staging, paths: Sequence[str], jobs: int) -> dict[str, str]:
        """The withheld phrases in files staged by another stage (the search index's), each with the first file."""
        hits: dict[str, str] = {}
        scanner = self.scanner() if paths else None  # no file to scan: the phrases are never worked out
        if scanner is None:
            return hits
        batches = [paths[i : i + SCAN_BATCH] for i in range(0, len(paths), SCAN_BATCH)]
        found = workers.run(lambda b: [scanner(staging.read(p), p) for p in batches[b]], len(batches), jobs)
        for path, phrases_found in zip(paths, (hits for batch in found for hits in batch), strict=True):
            scan.note_hits(hits, phrases_found, path)
        return hits

    def check_files(self, files: Mapping[str, bytes], jobs: int = 1) -> list[Diagnostic]:
        """Every leak in `files` (path → bytes), judged as a build judges what it is about to write."""
        scanner = self.scanner()
        hits: dict[str, str] = {}
        for path in sorted(files) if scanner is not None else ():
            scan.note_hits(hits, scanner(files[path], path), path)  # type: ignore[misc]
        return self.judge(hits, jobs)

    def judge(self, hits: dict[str, str], jobs: int) -> list[Diagnostic]:
        """The phrases found that no public document says, nor the site itself, as errors naming source and file.

        The documents that said the phrases when last found are asked first (public.SaidInPublic.vouched); any
        phrase they do not vouch for is asked of every public document, whose answers are remembered between
        builds.
        """
        printed = self.phrases.printed if hits else frozenset()
        found = [phrase for phrase in hits if phrase not in printed]
        if not found:
            return []
        said = public.SaidInPublic(self.bodies, self.root, jobs, self.model_key)
        assert self.searcher is not None  # a phrase was found: there are phrases to look for
        vouched = said.vouched(self.searcher, found, self.split.public if self.divided else None)
        rest = [phrase for phrase in found if phrase not in vouched]
        if rest:
            everything = lambda: self.split.public  # noqa: E731 - divided only when a document's model part is searched
            vouched |= said.said_by(self.searcher, self.documents(jobs), everything, rest)
        said.vouchers.save(self.phrases.candidates, found)
        candidates = self.phrases.candidates
        problems = [
            Diagnostic(
                candidates[phrase],
                0,
                f"withheld text '{_short(phrase)}' appears in the output file {hits[phrase]}; {STOPPED}",
            )
            for phrase in found
            if phrase not in vouched
        ]
        return sorted(problems, key=lambda d: (d.path, d.message))

    @property
    def divided(self) -> bool:
        """Whether this build has divided the model already (what is withheld had to be worked out again)."""
        return "split" in self.__dict__


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
