"""The production build's leak self-check: a broken gate stops the build before anything is written."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import COMMITTEE, ROOT, TODAY, build, clean_build, contents, load, preview, snapshot

from minutebook.build import canary, describe, phrases, public, scan
from minutebook.content import gate

EXEMPT = """\
---
title: Contract award to the preferred bidder
report_of: Director of Place
access: exempt
exempt_paragraph: 3
---
1. The preferred bidder offered a price of four million pounds for the works.
"""

FILES = {
    "content/committees/test/2021-01-11/04-contract.md": EXEMPT,
    "content/committees/test/2021-01-11/04-draft.md": (
        "---\ntitle: A draft\ndraft: true\n---\nThis draft sentence is long enough to be distinctive on its own.\n"
    ),
}


def test_a_broken_gate_fails_the_build_and_leaves_output_untouched(make_site, monkeypatch):
    root = make_site(FILES)
    assert build(root).ok
    before = snapshot(root / "output")
    monkeypatch.setattr(gate, "public_site", lambda site, today, withheld=None: site)
    (root / "content/committees/test/2021-01-11/04-public.md").write_text("---\ntitle: New\n---\nNew paper.\n")
    result = build(root)
    assert not result.ok
    messages = [str(d) for d in result.diagnostics if d.severity == "error"]
    canary = [
        m
        for m in messages
        if m.startswith("publication gate: self-check failed: planted withheld text reached the public model at site.")
    ]
    assert len(canary) == 1 and "more places); the build was stopped and nothing was published" in canary[0]
    assert (
        "content/committees/test/2021-01-11/04-contract.md: withheld text 'Contract award to the preferred bidder' "
        "appears in the output file committees/test/2021-01-11/index.html; "
        "the build was stopped and nothing was published"
    ) in messages
    assert (
        "content/committees/test/2021-01-11/04-draft.md: withheld text 'This draft sentence is long enough to be "
        "distinctive on i…' appears in the output file committees/test/2021-01-11/04-draft/index.html; "
        "the build was stopped and nothing was published"
    ) in messages
    assert snapshot(root / "output") == before
    assert not list(root.glob(".output.staging-*"))  # the pages staged as they were rendered are gone


def test_a_broken_first_build_writes_no_output_at_all(make_site, monkeypatch):
    root = make_site(FILES)
    monkeypatch.setattr(gate, "public_site", lambda site, today, withheld=None: site)
    assert not build(root).ok
    assert not (root / "output").exists()


def test_the_canary_finds_one_forgotten_field(make_site, monkeypatch):
    """A gate that forgets to clear just one field (an exempt item's wards) is caught, and the field is named."""
    real = gate.public_site

    def forgetful(site, today, withheld=None):
        public = real(site, today, withheld)
        wards = {item.key: item.wards for meeting in site.meetings.values() for item in meeting.agenda}
        meetings = {
            key: dataclasses.replace(
                meeting, agenda=tuple(dataclasses.replace(item, wards=wards[item.key]) for item in meeting.agenda)
            )
            for key, meeting in public.meetings.items()
        }
        return dataclasses.replace(public, meetings=meetings)

    monkeypatch.setattr(gate, "public_site", forgetful)
    site = load(make_site(FILES), TODAY, preview=True).model.full
    problems = canary.check_canary(site, TODAY, token="mbcanarytoken")
    assert [str(d) for d in problems] == [
        "publication gate: self-check failed: planted withheld text reached the public model at "
        "site.meetings['test/1901-01-01'].agenda[0].wards[0], site.meetings['test/1901-01-01'].agenda[1].wards[0]; "
        "the build was stopped and nothing was published"
    ]


def test_the_canary_finds_a_gate_that_forgets_the_draft_of_an_earlier_record(make_site, monkeypatch):
    """Records of earlier decisions stand under no meeting: a gate that keeps them all is caught, field by field."""
    real = gate.public_site

    def forgetful(site, today, withheld=None):
        public = real(site, today, withheld)
        records = {key: r for key, r in site.resolutions.items() if r.earlier is not None}
        return dataclasses.replace(public, resolutions={**public.resolutions, **records})

    monkeypatch.setattr(gate, "public_site", forgetful)
    site = load(make_site(FILES), TODAY, preview=True).model.full
    [problem] = canary.check_canary(site, TODAY, token="mbcanarytoken")
    assert problem.message.startswith(
        "self-check failed: planted withheld text reached the public model at site.resolutions['test/mbcanarytoken/"
    )
    # what is planted: every field of a record carries the token, so forgetting any one of them is caught
    places = canary.find_token(canary.plant(site, TODAY, "mbcanarytoken"), "mbcanarytoken")
    record = [p for p in places if p.startswith("site.resolutions['test/mbcanarytoken/2']")]
    assert {p.split("]", 1)[1] for p in record} >= {
        ".title",
        ".html",
        ".text",
        ".subjects[0]",
        ".relations[0].target",
        ".earlier.old_record",
        ".earlier.refs[0].target",
        ".earlier.refs[0].text",
    }


def test_the_real_gate_passes_the_canary_on_the_example_site():
    model = load(ROOT).model
    assert model is not None
    assert canary.check_canary(model.full, TODAY) == []


def test_canary_plant_does_not_change_the_real_model():
    model = load(ROOT).model
    counts = (len(model.full.meetings), len(model.full.papers), len(model.full.minutes))
    planted = canary.plant(model.full, TODAY, "mbcanarytoken")
    assert (len(model.full.meetings), len(model.full.papers), len(model.full.minutes)) == counts
    assert len(planted.papers) == counts[1] + 8
    assert canary.find_token(model.full, "mbcanarytoken") == []
    assert len(canary.find_token(planted, "mbcanarytoken")) > 40


@pytest.mark.parametrize("encoding", ["html", "json", "gzip"])
def test_withheld_sentence_is_found_however_it_is_escaped(make_site, encoding):
    import gzip
    import json

    root = make_site(
        {
            **FILES,
            "content/committees/test/2021-01-11/04-draft.md": (
                "---\ntitle: A draft\ndraft: true\n---\n"
                'The council\'s "final" offer & terms are set out below in full.\n'
            ),
        }
    )
    check = load(root).leak_check()
    sentence = 'The council\'s "final" offer & terms are set out below in full.'
    data = {
        "html": b"<p>The council&#39;s &quot;final&quot; offer &amp; terms are set\nout below in full.</p>",
        "json": json.dumps({"text": sentence.replace("'", "\u2019")}).encode(),
        "gzip": gzip.compress(b"pagefind_dcd" + sentence.encode()),
    }[encoding]
    if encoding == "json":  # a curly apostrophe is different text: not found, and that is right
        assert check.check_files({"x.json": data}) == []
        data = json.dumps({"text": sentence}).encode()
    problems = check.check_files({"x": data})
    assert [d.path for d in problems] == ["content/committees/test/2021-01-11/04-draft.md"]


def test_withheld_text_that_a_public_paper_also_says_is_no_leak(make_site):
    shared = "The committee considered the report of the Director in full."
    root = make_site(
        {
            **FILES,
            "content/committees/test/2021-01-11/04-draft.md": f"---\ntitle: A draft\ndraft: true\n---\n{shared}\n",
            "content/committees/test/2021-01-11/04-public.md": f"---\ntitle: Public\n---\n{shared}\n",
        }
    )
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]


def test_preview_builds_show_everything_and_skip_the_check(make_site):
    root = make_site(FILES)
    shown = preview(root) / "committees/test/2021-01-11/04-contract/index.html"
    assert "four million pounds" in shown.read_text()


def test_leak_check_is_quick_on_the_example_site(example_output):
    import time

    check = load(ROOT).leak_check()
    files = {p.relative_to(example_output).as_posix(): p.read_bytes() for p in example_output.rglob("*") if p.is_file()}
    started = time.perf_counter()
    assert check.check_files(files) == []
    assert time.perf_counter() - started < 2.0


def test_a_build_scans_only_what_it_writes_anew(make_site, monkeypatch):
    """Files a checked build wrote were scanned then: a one-paper edit scans the pages that show that paper."""
    other = "content/committees/test/2021-01-11/04-other.md"
    root = make_site({**FILES, other: "---\ntitle: Other\n---\nText.\n"})
    assert build(root, search=False).ok
    scanned: list[bytes] = []
    original = scan.readable
    monkeypatch.setattr(scan, "readable", lambda data: scanned.append(data) or original(data))
    (root / other).write_text("---\ntitle: Other\n---\nNew text.\n")
    result = build(root, jobs=1, search=False)
    # the paper and the agenda pack show the body, the meeting page holds the paper: all three made and scanned
    assert result.ok and result.rendered == 3 and result.written == 2
    assert len(scanned) == 3 and sum(b"New text." in data for data in scanned) == 2


def test_remembered_public_text_is_searched_again_once_the_paper_saying_it_changes(make_site):
    """Which withheld phrases each public paper says is kept between builds; an edit must invalidate it."""
    shared = "The committee considered the report of the Director in full."
    paper = "content/committees/test/2021-01-11/04-public.md"
    root = make_site(
        {
            **FILES,
            "content/committees/test/2021-01-11/04-draft.md": f"---\ntitle: A draft\ndraft: true\n---\n{shared}\n",
            paper: f"---\ntitle: P\n---\n{shared}\n",
        }
    )

    def said() -> dict[str, str]:
        loaded = load(root)
        parts = phrases.split(loaded.model.full, TODAY)
        documents = describe.public_documents(parts.public)
        searcher = scan.automaton([shared])
        assert searcher is not None
        return public.SaidInPublic(loaded.bodies, root).said_by(searcher, documents, lambda: parts.public, [shared])

    assert said() == {shared: paper}
    assert said() == {shared: paper}  # the second answer comes from the cache folder
    (root / paper).write_text("---\ntitle: P\n---\nSomething else entirely was said in public.\n")
    assert said() == {}


def test_a_committee_description_that_stops_saying_a_phrase_no_longer_vouches_for_it(make_site):
    """The committees are one public document showing a body each: an edit to one description's wording is
    searched again, though the document's model value, which names the body by its source, is unchanged."""
    shared = "The committee considered the report of the Director in full."
    committee = "content/committees/test/committee.md"
    root = make_site(
        {
            **FILES,
            committee: COMMITTEE.replace("Considers test matters.", shared),
            "content/committees/test/2021-01-11/04-draft.md": f"---\ntitle: A draft\ndraft: true\n---\n{shared}\n",
            "content/committees/test/2021-01-11/04-public.md": "---\ntitle: P\n---\nPublic words.\n",
        }
    )

    def said() -> dict[str, str]:
        loaded = load(root)
        parts = phrases.split(loaded.model.full, TODAY)
        documents = describe.public_documents(parts.public)
        assert [committee] in [list(d.bodies) for d in documents]
        papers = [(d, described) for d, described in zip(parts.public, documents, strict=True) if hasattr(d, "body")]
        assert papers and all(described.bodies == (d.source,) for d, described in papers)  # its own body alone
        searcher = scan.automaton([shared])
        assert searcher is not None
        return public.SaidInPublic(loaded.bodies, root).said_by(searcher, documents, lambda: parts.public, [shared])

    assert said() == {shared: committee}
    (root / committee).write_text(COMMITTEE)
    assert said() == {}


def test_an_edit_to_a_public_papers_wording_searches_that_body_alone_without_dividing_the_model(make_site, monkeypatch):
    """A body edit asks only whether the new wording says a withheld phrase: the model is not divided and no
    other document is searched again (a public paper saying a withheld sentence puts it in the pages). The
    other paper, if it vouched for the phrase last time, answers from what it was found to say then."""
    shared = "The committee considered the report of the Director in full."
    paper, other = (f"content/committees/test/2021-01-11/04-{name}.md" for name in ("public", "other"))
    draft = f"---\ntitle: A draft\ndraft: true\n---\n{shared}\n"
    files = {"content/committees/test/2021-01-11/04-draft.md": draft, other: f"---\ntitle: Q\n---\n{shared}\n"}
    root = make_site({**FILES, **files, paper: f"---\ntitle: P\n---\n{shared}\n"})
    assert build(root, jobs=1).ok
    divided, models, bodies = [], [], []
    split, model_text, body_text = phrases.split, public.model_text, public.SaidInPublic._body_text
    monkeypatch.setattr(phrases, "split", lambda *args: divided.append(1) or split(*args))
    monkeypatch.setattr(public, "model_text", lambda document: models.append(document) or model_text(document))
    monkeypatch.setattr(
        public.SaidInPublic, "_body_text", lambda self, source: bodies.append(source) or body_text(self, source)
    )
    (root / paper).write_text(f"---\ntitle: P\n---\n{shared} Then a new sentence.\n")
    result = build(root, jobs=1)
    assert result.ok and result.rendered > 0, [str(d) for d in result.diagnostics]
    assert not divided and not models and bodies in ([], [paper])


SHARED = "The committee considered the report of the Director in full."
VOUCHING = {
    "content/committees/test/2021-01-11/04-draft.md": f"---\ntitle: A draft\ndraft: true\n---\n{SHARED}\n",
    "content/committees/test/2021-01-11/04-public.md": f"---\ntitle: P\n---\n{SHARED}\n",
}


def test_after_a_title_edit_the_paper_that_said_a_phrase_last_time_vouches_for_it_alone(make_site, monkeypatch):
    """A withheld sentence a public paper also says is on that paper's page: after an edit to the model, the
    paper is asked again, not every public document described (seconds on an archive); and after an edit to its
    wording, it is asked as it was described under that model, which is not divided again."""
    root = make_site({**FILES, **VOUCHING})
    assert build(root, jobs=1).ok
    described: list[int] = []
    real = describe.public_documents
    monkeypatch.setattr(describe, "public_documents", lambda *args: described.append(1) or real(*args))
    paper = root / "content/committees/test/2021-01-11/04-public.md"
    for text in (f"---\ntitle: Q\n---\n{SHARED}\n", f"---\ntitle: Q\n---\n{SHARED} And more.\n"):
        paper.write_text(text)
        result = build(root, jobs=1)
        assert result.ok and result.rendered > 0, [str(d) for d in result.diagnostics]
        assert not described


def test_a_withheld_title_an_exempt_items_public_title_also_says_is_no_leak(make_site):
    """Some public documents have no source of their own (an exempt item's public title and description): what
    they say vouches for a phrase as any other public document does, in the first build and the next."""
    said = "Exempt item – property sale"
    meeting = (
        '---\ntime: "10:30"\nvenue: County Hall\nstatus: held\nagenda:\n  - number: 4\n    title: A report\n'
        "  - number: 5\n    title: Sale of 12 Acacia Avenue\n    access: exempt\n    exempt_paragraph: 3\n"
        f"    public_title: {said}\n---\n"
    )
    draft = f"---\ntitle: {said}\ndraft: true\n---\nA draft about the sale, long enough to be looked for.\n"
    root = make_site(
        {
            "content/committees/test/2021-01-11/meeting.md": meeting,
            "content/committees/test/2021-01-11/04-report.md": "---\ntitle: A report\n---\n1. Text.\n",
            "content/committees/test/2021-01-11/05-draft.md": draft,
        }
    )
    for title in ("A report", "A report, revised"):
        (root / "content/committees/test/2021-01-11/04-report.md").write_text(f"---\ntitle: {title}\n---\n1. Text.\n")
        result = build(root)
        assert result.ok, [str(d) for d in result.diagnostics]
        assert said in (root / "output/committees/test/2021-01-11/index.html").read_text()


@pytest.mark.parametrize("change", ["says something else", "is exempt now"])
def test_a_paper_that_vouched_for_a_phrase_last_time_excuses_no_leak_once_it_does_not_say_it_in_public(
    make_site, monkeypatch, change
):
    """Only where to look is remembered: a paper that no longer says the phrase, or says it withheld, vouches for
    nothing, and a broken gate that publishes the draft saying it is caught."""
    root = make_site({**FILES, **VOUCHING})
    assert build(root).ok
    paper = "content/committees/test/2021-01-11/04-public.md"
    if change == "says something else":
        (root / paper).write_text("---\ntitle: Q\n---\nSomething else entirely was said in public.\n")
    else:
        (root / paper).write_text(f"---\ntitle: Q\naccess: exempt\nexempt_paragraph: 3\n---\n{SHARED}\n")
    monkeypatch.setattr(gate, "public_site", lambda site, today, withheld=None: site)
    result = build(root)
    assert not result.ok
    messages = [str(d) for d in result.diagnostics]
    assert any(f"withheld text '{SHARED}' appears in the output file committees/test/" in m for m in messages), messages


def test_a_preview_in_the_output_folder_vouches_for_nothing_in_the_next_production_build(make_site, monkeypatch):
    """Files a preview wrote were never checked: the production build after it must scan them all."""
    root = make_site(FILES)
    assert build(root, preview=True).ok
    scanned: list[bytes] = []
    original = scan.readable
    monkeypatch.setattr(scan, "readable", lambda data: scanned.append(data) or original(data))
    assert build(root).ok
    count = sum(1 for p in (root / "output").rglob("*") if p.is_file() and not p.name.startswith(".minutebook"))
    binary = sum(1 for p in (root / "output").rglob("*") if p.name.endswith(scan.BINARY_SUFFIXES))
    assert len(scanned) == count - binary


SHORT = {
    "content/committees/test/2021-01-11/meeting.md": (
        '---\ntime: "10:30"\nvenue: County Hall\nstatus: held\nagenda:\n  - number: 4\n    title: A report\n'
        "  - number: 7\n    title: Decisions\n    access: exempt\n    exempt_paragraph: 3\n---\n"
    ),
    "content/committees/test/2021-01-11/04-report.md": "---\ntitle: A report\n---\n1. Text.\n",
    "content/committees/test/2021-01-11/04-acme.md": (
        "---\ntitle: Acme Ltd\naccess: exempt\nexempt_paragraph: 3\n---\nPay them £2m.\n"
    ),
}


def test_short_withheld_titles_and_bodies_are_looked_for_as_whole_words(make_site, monkeypatch):
    """A broken gate that publishes a short exempt title or body is caught; a word that merely contains it is not."""
    root = make_site(SHORT)
    check = load(root).leak_check()
    leaked = {"a/index.html": b"<h1>Acme Ltd</h1><p>Pay them \xc2\xa32m.</p>"}
    messages = sorted(d.message for d in check.check_files(leaked))
    assert messages == [
        "withheld text 'Acme Ltd' appears in the output file a/index.html; the build was stopped and nothing "
        "was published",
        "withheld text 'Pay them £2m.' appears in the output file a/index.html; the build was stopped and nothing "
        "was published",
    ]
    assert check.check_files({"a/index.html": b"<p>Acme Ltdx and Pay them twice</p>"}) == []


def test_a_short_withheld_title_the_site_prints_itself_is_no_false_alarm(make_site):
    """An exempt item called "Decisions" is withheld; the word in every page's navigation is not a leak."""
    root = make_site(SHORT)
    result = build(root)
    assert result.ok, [str(d) for d in result.diagnostics]
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert ">Decisions</a>" in home


def test_a_public_documents_key_changes_with_anything_in_it_and_only_then(make_site):
    """The key under which a public document's answer is remembered: a changed title is a new key."""
    paper, other = (f"content/committees/test/2021-01-11/04-{name}.md" for name in ("public", "other"))
    root = make_site({**FILES, paper: "---\ntitle: The first\n---\nSaid.\n", other: "---\ntitle: O\n---\nO.\n"})

    def keys() -> dict[str, bytes]:
        parts = phrases.split(load(root).model.full, TODAY)
        found = describe.public_documents(parts.public)
        return {getattr(d, "source", "") or repr(type(d)): f.key for d, f in zip(parts.public, found, strict=True)}

    before = keys()
    assert keys() == before
    (root / paper).write_text("---\ntitle: The second\n---\nSaid.\n")
    after = keys()
    assert after[paper] != before[paper]
    assert after[other] == before[other]


def test_withheld_phrases_remembered_between_builds_follow_an_edit_to_the_withheld_body(make_site, monkeypatch):
    """The phrases are kept under what is withheld: a new withheld sentence is looked for in the next build."""
    draft = "content/committees/test/2021-01-11/04-draft.md"
    root = make_site(FILES)
    assert build(root).ok
    sentence = "A sentence written after the first build, long."
    (root / draft).write_text(f"---\ntitle: A draft\ndraft: true\n---\n{sentence}\n")
    (root / "content/committees/test/2021-01-11/04-public.md").write_text("---\ntitle: New\n---\nNew paper.\n")
    monkeypatch.setattr(gate, "public_site", lambda site, today, withheld=None: site)  # the draft is published
    messages = [str(d) for d in build(root).diagnostics]
    assert any(f"withheld text '{sentence}' appears" in m for m in messages)


def test_a_body_edit_keeps_what_is_withheld_and_an_edit_to_a_withheld_body_finds_its_new_phrases(
    make_site, monkeypatch, tmp_path
):
    """What is withheld is remembered with the model: an edit to the wording of a public paper keeps the phrases
    without dividing the model again, and an edit to the wording of a draft looks for its new sentence."""
    public = "content/committees/test/2021-01-11/04-public.md"
    draft = "content/committees/test/2021-01-11/04-draft.md"
    root = make_site({**FILES, public: "---\ntitle: Public\n---\nThe first wording of a public paper.\n"})
    assert build(root).ok
    divided, made = [], []
    split, of = phrases.split, phrases.Phrases.of
    monkeypatch.setattr(phrases, "split", lambda *args: divided.append(1) or split(*args))
    monkeypatch.setattr(phrases.Phrases, "of", lambda *args: made.append(of(*args)) or made[-1])
    (root / public).write_text("---\ntitle: Public\n---\nThe second wording of a public paper.\n")
    result = build(root)
    assert result.ok and result.rendered > 0 and not divided and not made
    assert contents(root / "output") == clean_build(root, tmp_path)
    made.clear()  # the clean build made its own
    sentence = "A sentence written into the draft after the first build, long."
    (root / draft).write_text(f"---\ntitle: A draft\ndraft: true\n---\n{sentence}\n")
    (root / public).write_text("---\ntitle: Public\n---\nThe third wording of a public paper.\n")
    assert build(root).ok
    assert len(made) == 1 and sentence in made[0].candidates


def test_every_withheld_phrase_is_found_where_others_overlap_it_and_after_any_letters():
    """One pass finds a phrase inside another and two that overlap; a short phrase counts as a whole word
    wherever it is, after accented letters and symbols too (positions are the text's characters, not bytes)."""
    sentence = "The site at Mill Lane will be sold to the highest bidder by auction"
    searcher = scan.automaton(["Mill Lane", sentence, "sold to the highest bidder by auction in May", "Café"])
    assert searcher is not None
    text = f"Café — £2m: {sentence} in May. Mill Lanes"
    assert scan.found(searcher, text) == {"Café", "Mill Lane", sentence, "sold to the highest bidder by auction in May"}
    assert scan.found(searcher, "Cafés near Mill Laneway") == set()
    assert scan.found(searcher, "«Mill Lane»") == {"Mill Lane"}
    assert scan.automaton(["", ""]) is None


def test_a_long_text_is_matched_window_by_window_finding_what_one_pass_finds(monkeypatch: pytest.MonkeyPatch):
    """A phrase across the edge between two windows is found, and a short phrase inside a longer word is not,
    wherever the edge falls: a data export of megabytes is matched a window at a time."""
    sentence = "sold to the highest bidder by auction in May"
    searcher = scan.automaton(["Mill Lane", "Acme", sentence])
    assert searcher is not None
    texts = [f"{'x' * shift} Mill Lane, Acmeon; xAcme. Acme {sentence}{' y' * 30}" for shift in range(60)]
    whole = [scan.found(searcher, text) for text in texts]  # each text fits in one window
    assert whole == [{"Mill Lane", "Acme", sentence}] * len(texts)
    monkeypatch.setattr(scan, "WINDOW", 8)
    assert [scan.found(searcher, text) for text in texts] == whole
    assert [scan.found(searcher, f"{'x' * shift}zAcme. Acmeon") for shift in range(20)] == [set()] * 20
