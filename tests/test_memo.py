"""Stage results remembered by the digest of their inputs: taken as they are by the next build, loaded from the
cache folder only when a later stage reads them, and never trusted when a stopped build saved only half of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from minutebook.build import cache
from minutebook.build.memo import Memos


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """The names of the stores read from the cache folder, in order."""
    names: list[str] = []
    original = cache.Store._load

    def load(store: cache.Store):
        names.append(store.path.name)
        return original(store)

    monkeypatch.setattr(cache.Store, "_load", load)
    return names


class SaysWhoPickledIt:
    """A value that, once unpickled, is the id of the process that pickled it."""

    def __reduce__(self):
        return (int, (os.getpid(),))


def made_by(made: list[str], value: str):
    """A stage that notes each time it runs."""
    return lambda: made.append(value) or value


def build(root: Path, name: str, key: bytes, make, **note):
    """One build's use of a stage: its result, once what it saved is in the cache folder (a build waits for it)."""
    memos = Memos(root)
    result = memos.stage(name, key, make, **note)
    memos.settle()
    return result


def test_the_next_build_takes_the_result_and_loads_it_only_when_it_is_read(tmp_path: Path, loads: list[str]):
    made: list[str] = []
    build(tmp_path, "model", b"k1", made_by(made, "the model"), note=len)
    loads.clear()
    result, note = Memos(tmp_path).stage("model", b"k1", made_by(made, "made again"), note=len)
    assert note == len("the model") and made == ["the model"]
    assert loads == ["memo-model-key.pickle"]  # what the build needs to know now, without the result itself
    assert result.value == "the model" and made == ["the model"]
    assert loads == ["memo-model-key.pickle", "memo-model.pickle"]


def test_a_preview_keeps_the_last_result_in_memory(tmp_path: Path, loads: list[str]):
    memos, made = Memos(tmp_path), []
    memos.stage("plan", b"k1", made_by(made, "the plan"))
    loads.clear()
    result, _ = memos.stage("plan", b"k1", made_by(made, "made again"))
    assert result.ready and result.value == "the plan" and made == ["the plan"] and loads == []


def test_other_inputs_make_the_stage_again_and_that_result_is_remembered(tmp_path: Path):
    made: list[str] = []
    build(tmp_path, "plan", b"k1", made_by(made, "first plan"))
    assert build(tmp_path, "plan", b"k2", made_by(made, "second plan"))[0].value == "second plan"
    assert build(tmp_path, "plan", b"k2", made_by(made, "made again"))[0].value == "second plan"
    assert made == ["first plan", "second plan"]


def test_a_build_stopped_between_saving_a_result_and_its_key_is_not_trusted(tmp_path: Path, monkeypatch):
    made: list[str] = []
    build(tmp_path, "model", b"k1", made_by(made, "model one"))
    save = cache.Store.save

    def stopped(store: cache.Store) -> None:
        if store.path.name == "memo-model-key.pickle":
            raise KeyboardInterrupt  # the result for k2 is saved, its key is not: the key saved says k1
        save(store)

    monkeypatch.setattr(cache.Store, "save", stopped)
    build(tmp_path, "model", b"k2", made_by(made, "model two"))  # the process saving it is stopped
    monkeypatch.setattr(cache.Store, "save", save)
    assert cache.Store(tmp_path, "memo-model").get("key") == b"k2"
    memos = Memos(tmp_path)
    assert memos.stage("model", b"k1", made_by(made, "model one, made again"))[0].value == "model one, made again"
    memos.settle()  # never the result saved for k2: made again, and saved
    assert build(tmp_path, "model", b"k1", made_by(made, "a third time"))[0].value == "model one, made again"


def test_a_build_goes_on_while_its_results_are_saved_and_returns_once_they_are(tmp_path: Path, monkeypatch):
    """Saving an archive's model costs a second: another process does it while the next stages run."""
    save = cache.Store.save

    def noted(store: cache.Store) -> None:
        (tmp_path / f"saved-by-{os.getpid()}").touch()
        save(store)

    monkeypatch.setattr(cache.Store, "save", noted)
    memos = Memos(tmp_path)
    memos.stage("model", b"k1", lambda: "the model")
    memos.settle()
    saved_by = [int(p.name.removeprefix("saved-by-")) for p in tmp_path.glob("saved-by-*")]
    assert saved_by and os.getpid() not in saved_by
    assert Memos(tmp_path).stage("model", b"k1", lambda: "made again")[0].value == "the model"


def test_results_not_to_be_saved_leave_the_cache_folder_as_it_was(tmp_path: Path):
    """A check writes nothing."""
    result, _ = Memos(tmp_path, save=False).stage("model", b"k1", lambda: "the model")
    assert result.value == "the model"
    assert not (tmp_path / cache.FOLDER).exists()


def test_a_kept_value_is_pickled_and_saved_by_another_process_and_read_back_by_the_next_build(
    tmp_path: Path, loads: list[str]
):
    memos = Memos(tmp_path)
    memos.keep("traces", [SaysWhoPickledIt()])
    pickled_by = memos.last("traces")[0]  # a preview's next build: from this process's memory, no file read
    assert pickled_by != os.getpid() and loads == []
    memos.settle()
    assert Memos(tmp_path).last("traces") == [pickled_by] and loads == ["kept-traces.pickle"]
