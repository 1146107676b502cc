"""A loaded knowledge is kept on disk for the next process: never stale, never trusted
from a folder others can write to, never kept for a knowledge with errors, and never
anything but a faster way to the same answers."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import diagnose
from diagnose._knowledge import load as loading
from diagnose._knowledge.load import default_dirs


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped rules and knowledge, to change."""
    rules, knowledge = default_dirs()
    shutil.copytree(rules, tmp_path / "rules")
    shutil.copytree(knowledge, tmp_path / "knowledge")
    return tmp_path / "rules", tmp_path / "knowledge"


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty snapshot folder of this test's own."""
    folder = tmp_path / "snapshots"
    monkeypatch.setenv("DIAGNOSE_CACHE_DIR", str(folder))
    yield folder


def _wording(base: diagnose.KnowledgeBase) -> str:
    return base.diagnose({"error_code": 676}).wording


def test_a_knowledge_read_from_its_snapshot_answers_every_example(kept: Path) -> None:
    first = diagnose.load()
    assert len(list(kept.glob("*.pickle"))) == 1
    again = diagnose.load()  # from the snapshot
    assert again.knowledge is not first.knowledge
    assert again.knowledge.digest == first.knowledge.digest
    failed = [str(result) for result in diagnose.check_examples(again) if not result.passed]
    assert not failed
    for rule in first.knowledge.rules:
        for example in rule.spec.example:
            ticket = diagnose._examples.example_ticket(example.given)  # noqa: SLF001
            assert again.diagnose(ticket) == first.diagnose(ticket), rule.id


def test_a_changed_file_is_loaded_again(kept: Path, folders: tuple[Path, Path]) -> None:
    rules, knowledge = folders
    before = _wording(diagnose.load(rules, knowledge))
    wordings = knowledge / "wording.toml"
    text = wordings.read_text(encoding="utf-8")
    assert before.split("。")[0] in text
    wordings.write_text(text.replace(before.split("。")[0], "请您稍候再试", 1), encoding="utf-8")
    after = _wording(diagnose.load(rules, knowledge))
    assert after != before and "请您稍候再试" in after
    assert len(list(kept.glob("*.pickle"))) == 2


def test_a_broken_snapshot_is_loaded_from_the_files(kept: Path) -> None:
    expected = _wording(diagnose.load())
    (snapshot,) = kept.glob("*.pickle")
    snapshot.write_bytes(b"not a snapshot")
    assert _wording(diagnose.load()) == expected


def test_a_snapshot_others_can_write_to_is_not_read(kept: Path, folders: tuple[Path, Path]) -> None:
    shipped = diagnose.load()
    (snapshot,) = kept.glob("*.pickle")
    rules, knowledge = folders  # another knowledge's snapshot put in its place
    wordings = knowledge / "wording.toml"
    first = _wording(shipped).split("。")[0]
    wordings.write_text(wordings.read_text(encoding="utf-8").replace(first, "请您换个时间再试", 1),
                        encoding="utf-8")  # fmt: skip
    other = diagnose.load(rules, knowledge).knowledge
    other.digest = shipped.knowledge.digest
    snapshot.write_bytes(pickle.dumps(other))
    # the user's own folder and file: the planted snapshot is read (what the test rests on)
    assert (
        _wording(diagnose.load()) == _wording(diagnose.load(rules, knowledge)) != _wording(shipped)
    )
    os.chmod(kept, 0o777)
    assert _wording(diagnose.load()) == _wording(shipped)
    os.chmod(kept, 0o700)
    os.chmod(snapshot, 0o666)
    assert _wording(diagnose.load()) == _wording(shipped)


def test_a_knowledge_with_errors_is_reported_every_time(
    kept: Path, folders: tuple[Path, Path]
) -> None:
    rules, knowledge = folders
    path = next(rules.glob("*.toml"))
    path.write_text(path.read_text(encoding="utf-8") + "\n[[rule]]\nid = 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(diagnose.KnowledgeError) as raised:
            diagnose.load(rules, knowledge)
        assert path.name in str(raised.value)
    assert not list(kept.glob("*.pickle")) if kept.exists() else True


def test_an_empty_folder_setting_keeps_no_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIAGNOSE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    base = diagnose.load()
    assert base.knowledge.digest
    assert not list(tmp_path.rglob("*.pickle"))


def test_the_folder_keeps_the_newest_snapshots_only(kept: Path) -> None:
    kept.mkdir(mode=0o700)
    for index in range(12):
        old = kept / f"{index:064x}.pickle"
        old.write_bytes(b"an older snapshot")
        os.utime(old, (1_000_000 + index, 1_000_000 + index))
    diagnose.load()
    left = sorted(kept.glob("*.pickle"))
    assert len(left) == 8
    assert not (kept / f"{0:064x}.pickle").exists()  # the oldest went first


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each load from the files (not from a snapshot), by its knowledge folder."""
    loads: list[Path] = []
    original = loading._load  # noqa: SLF001

    def counting(rules: Path, knowledge: Path):  # type: ignore[no-untyped-def]
        loads.append(knowledge)
        return original(rules, knowledge)

    monkeypatch.setattr(loading, "_load", counting)
    return loads


def test_a_snapshot_is_read_and_answers_for_the_folders_named_now(
    kept: Path, folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded once by relative paths from one folder, read again by absolute ones from
    another: the knowledge names the folders as given now (frequencies are written there)."""
    rules, knowledge = folders
    loads = _counting_loads(monkeypatch)
    monkeypatch.chdir(rules.parent)
    first = diagnose.load("rules", "knowledge").knowledge
    assert first.knowledge_dir == Path("knowledge")
    elsewhere = rules.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = diagnose.load(rules, knowledge).knowledge
    assert len(loads) == 1  # the second came from the snapshot
    assert (again.rules_dir, again.knowledge_dir) == (rules, knowledge)


def test_no_snapshot_is_kept_of_files_changed_while_they_loaded(
    kept: Path, folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file saved while the knowledge loads: what was read is not kept under either
    version's bytes, and the knowledge says which bytes it read."""
    rules, knowledge = folders
    wordings = knowledge / "wording.toml"
    before = wordings.read_bytes()
    plain = _wording(diagnose.load(rules, knowledge))
    shutil.rmtree(kept)
    original = loading._load  # noqa: SLF001
    saved = []

    def saving_meanwhile(rules_dir: Path, knowledge_dir: Path):  # type: ignore[no-untyped-def]
        found = original(rules_dir, knowledge_dir)  # read the old bytes...
        if not saved:  # ...then the editor saves
            text = before.decode().replace(plain.split("。")[0], "请您稍候再试", 1)
            wordings.write_text(text, encoding="utf-8")
            saved.append(True)
        return found

    monkeypatch.setattr(loading, "_load", saving_meanwhile)
    loaded = diagnose.load(rules, knowledge)
    assert "请您稍候再试" in _wording(loaded)  # loaded again, as the files are now
    wordings.write_bytes(before)  # undone: the old bytes again
    assert _wording(diagnose.load(rules, knowledge)) == plain


def test_a_file_that_cannot_be_read_is_a_knowledge_error(
    kept: Path, folders: tuple[Path, Path]
) -> None:
    rules, knowledge = folders
    (rules / "zz.toml").mkdir()
    with pytest.raises(diagnose.KnowledgeError) as raised:
        diagnose.load(rules, knowledge)
    assert "zz.toml" in str(raised.value)


def test_other_files_in_the_folder_are_left_alone(kept: Path) -> None:
    kept.mkdir(mode=0o700)
    theirs = [kept / f"experiment{index}.pickle" for index in range(10)]
    for path in theirs:
        path.write_bytes(b"someone else's")
    diagnose.load()
    assert all(path.exists() for path in theirs)
