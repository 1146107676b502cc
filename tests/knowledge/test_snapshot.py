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
