"""Loading: the shipped rules and knowledge validate; every bad file under fixtures/ gives
the messages written in its '# expect:' lines, all at once, naming file, rule and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import diagnose
from diagnose._knowledge.load import default_dirs

FIXTURES = Path(__file__).parents[1] / "fixtures"
RULES, KNOWLEDGE = default_dirs()


def _expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def _load_with(tmp_path: Path, fixture: Path) -> diagnose.KnowledgeError:
    rules, knowledge = tmp_path / "rules", tmp_path / "knowledge"
    shutil.copytree(RULES, rules)
    shutil.copytree(KNOWLEDGE, knowledge)
    target = rules if fixture.parent.name == "bad_rules" else knowledge
    shutil.copy(fixture, target / fixture.name)
    with pytest.raises(diagnose.KnowledgeError) as caught:
        diagnose.load(rules, knowledge)
    return caught.value


@pytest.mark.parametrize(
    "fixture",
    sorted(FIXTURES.glob("bad_*/*.toml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_bad_file_gives_its_messages(tmp_path: Path, fixture: Path) -> None:
    error = _load_with(tmp_path, fixture)
    shown = [str(issue) for issue in error.issues]
    for expected in _expected(fixture):
        expected = expected.replace("bad.rules/", "rules/")
        assert any(expected in line for line in shown), (expected, shown)
    # the bad file is the only one blamed
    assert all(fixture.name in issue.path for issue in error.issues), shown
    assert len(error.issues) == len(_expected(fixture))


def test_issue_carries_path_rule_and_field(tmp_path: Path) -> None:
    error = _load_with(tmp_path, FIXTURES / "bad_rules" / "unknown_fact.toml")
    (issue,) = error.issues
    assert (issue.path, issue.line, issue.rule_id, issue.field) == (
        "rules/unknown_fact.toml", 5, "x.unknown_fact", "when[0].fact",
    )  # fmt: skip
    assert error.exit_code == 2


def test_unknown_wording_must_not_speak_of_an_escalation(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = knowledge / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('unknown_wording = "unknown.generic"',
                                     'unknown_wording = "repair.dispatch"'), encoding="utf-8")  # fmt: skip
    with pytest.raises(diagnose.KnowledgeError) as caught:
        diagnose.load(RULES, knowledge)
    line = text.splitlines().index('unknown_wording = "unknown.generic"') + 1
    assert [str(issue) for issue in caught.value.issues] == [
        f"knowledge/settings.toml:{line}: settings: unknown_wording: wording 'repair.dispatch' "
        "speaks of an escalation, but an uncovered case escalates to no target"
    ]


def test_shipped_knowledge_loads(kb) -> None:
    assert len(kb.rules()) > 50
    assert {c.code for c in kb.codes()} >= {678, 651, 691, 619, 629, 676, 769, 796, 734}


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(diagnose.KnowledgeError, match="rules folder does not exist"):
        diagnose.load(tmp_path / "nope", KNOWLEDGE)
