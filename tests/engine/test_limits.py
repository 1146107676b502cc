"""No input makes the engine hang: a note too long is cut (and the diagnosis says so), a
ticket of too many facts is refused, and rule files past the limits do not load; each
with a message that says what and where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagnose
from diagnose._knowledge import load as loading
from diagnose._knowledge.load import default_dirs
from diagnose._limits import MAX_FACTS, MAX_ONE_OF, MAX_TEXT, read_part


def test_a_note_too_long_is_cut_and_its_start_still_read(kb: diagnose.KnowledgeBase) -> None:
    text = "宽带拨号提示691," + "客户反复描述情况" * (MAX_TEXT // 4)
    diagnosis = kb.diagnose({"text": text})
    cut = diagnosis.extracted["text"]
    assert cut.how == "cut" and cut.value is None
    assert cut.phrase == f"{MAX_TEXT}/{len(text)}"
    assert diagnosis.facts["error_code"] == 691
    short = kb.diagnose({"text": "宽带拨号提示691"})
    assert "text" not in short.extracted
    assert diagnosis.problem == short.problem


def test_a_note_past_the_limit_is_read_no_further(kb: diagnose.KnowledgeBase) -> None:
    """What is written after the limit is not read: the cut is real, not a label."""
    text = "客" * MAX_TEXT + "拨号提示691"
    diagnosis = kb.diagnose({"text": text})
    assert "error_code" not in diagnosis.facts
    assert diagnosis.extracted["text"].how == "cut"


@pytest.mark.parametrize("number", ["6911234567", "６９１２３４５６７８", "六九一二三四五"])
@pytest.mark.parametrize("shift", range(-3, 10))
def test_the_cut_never_splits_a_number_into_a_code(
    kb: diagnose.KnowledgeBase, shift: int, number: str
) -> None:
    """A phone number the limit falls inside is not read as its first digits (电话:691…
    cut after 691 is no error 691), written in full-width or spelt: the cut moves before it."""
    text = "客" * (MAX_TEXT - 3 - shift) + f"报错电话:{number},客户说上不了网"
    diagnosis = kb.diagnose({"text": text})
    assert "error_code" not in diagnosis.facts
    read, _, whole = diagnosis.extracted["text"].phrase.partition("/")
    assert int(read) <= MAX_TEXT and int(whole) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789ab客 ,", min_size=MAX_TEXT - 20, max_size=MAX_TEXT + 20))
def test_the_part_read_is_the_start_of_the_text_and_ends_no_word(text: str) -> None:
    """The start of the text, up to the limit: cut before the last clause that ends near
    it (no clause read half, none read without the one after it), else short of it only by
    the word the limit falls inside, which is left out whole."""
    from diagnose._limits import _BACK, _MARKS

    part = read_part(text)
    assert text.startswith(part) and len(part) <= MAX_TEXT
    if len(part) == len(text):
        return
    window = text[MAX_TEXT - _BACK : MAX_TEXT]
    if any(mark in window for mark in _MARKS):
        # after a mark, the clause that the last mark before the limit ends left out too
        assert part[-1] in _MARKS
        assert sum(text[len(part) : MAX_TEXT].count(m) for m in _MARKS) <= 1
    else:
        joined = part[-1:] + text[len(part)]
        assert not (len(joined) == 2 and joined.isascii() and joined.isalnum())
        stepped_over = text[len(part) : MAX_TEXT + 1]
        assert len(part) == MAX_TEXT or (stepped_over.isascii() and stepped_over.isalnum())


def test_a_ticket_of_too_many_facts_is_refused(kb: diagnose.KnowledgeBase) -> None:
    facts = {f"fact_{index}": True for index in range(MAX_FACTS + 1)}
    with pytest.raises(diagnose.TicketError) as raised:
        kb.diagnose({"facts": facts})
    (issue,) = raised.value.issues
    assert issue.field == "facts" and str(MAX_FACTS) in issue.message


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    rules, knowledge = default_dirs()
    shutil.copytree(rules, tmp_path / "rules")
    shutil.copytree(knowledge, tmp_path / "knowledge")
    return tmp_path / "rules", tmp_path / "knowledge"


_RULE = """
[[rule]]
id = "{id}"
salience = 10
source = [{{ doc = "seed000", section = "Q10" }}]
when = [{{ fact = "error_code", op = "one_of", values = [{values}] }}]
then = {{ problem = "broadband.auth_failed" }}
example = {{ given = {{ error_code = 691 }}, expect = {{ problem = "broadband.auth_failed" }} }}
"""


def test_a_condition_of_too_many_values_does_not_load(tmp_path: Path) -> None:
    rules, knowledge = _copy(tmp_path)
    values = ", ".join(str(n) for n in range(MAX_ONE_OF + 1))
    (rules / "zz_many.toml").write_text(_RULE.format(id="many.codes", values=values),
                                        encoding="utf-8")  # fmt: skip
    with pytest.raises(diagnose.KnowledgeError) as raised:
        diagnose.load(rules, knowledge)
    (issue,) = [i for i in raised.value.issues if "values; a condition lists" in i.message]
    assert issue.path.endswith("zz_many.toml") and issue.line == 6  # the when line
    assert issue.rule_id == "many.codes" and issue.field == "when[0].values"


def test_a_module_of_too_many_rules_does_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules, knowledge = _copy(tmp_path)
    monkeypatch.setattr(loading, "MAX_RULES_PER_MODULE", 3)
    text = "".join(_RULE.format(id=f"more.{n}", values="691").replace(
        'when = [', 'when = [{ fact = "problem", op = "equals", value = "broadband.auth_failed" }, ')
        for n in range(4))  # fmt: skip
    (rules / "zz_more.toml").write_text(text, encoding="utf-8")
    with pytest.raises(diagnose.KnowledgeError) as raised:
        diagnose.load(rules, knowledge)
    over = [i for i in raised.value.issues if "more than 3 rules" in i.message]
    assert over and "broadband.auth_failed" in over[0].message


@pytest.mark.parametrize(
    "tail",
    [
        ",核身:是否本人待查",
        ",核身:是/否",
        ",核身:是|否",
        " | 核身:是/否 | 猫:有",
        ",核身:是,客户自己也不太确定",
    ],
)
@pytest.mark.parametrize("shift", range(0, 6))
def test_the_cut_never_reads_half_an_item(
    kb: diagnose.KnowledgeBase, tail: str, shift: int
) -> None:
    """A cut inside a checklist item (…核身:是|否 cut after 是) does not leave an answer the
    note never gave: the cut goes back to the mark before the item."""
    text = "客" * (MAX_TEXT - 4 - shift) + tail + ",客户要求重置宽带密码"
    diagnosis = kb.diagnose({"text": text})
    assert diagnosis.facts.get("caller_verified") is not True
