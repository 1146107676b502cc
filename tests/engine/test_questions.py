"""Question order: a need_info step's own question first, then the best split of the
candidates, then the most frequent causes, then facts.toml order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import KB, diagnosis_of, tickets

import diagnose
from diagnose._knowledge.load import default_dirs

RULES, KNOWLEDGE = default_dirs()
K = KB.knowledge
answers = KB.engine.ranker.answers


def _first(kb: diagnose.KnowledgeBase, ticket: dict) -> str:
    return kb.diagnose(ticket).questions[0].fact


@pytest.mark.parametrize(
    ("ticket", "fact"),
    [
        ({}, "topic"),  # intake.ask_topic asks for it
        ({"facts": {"topic": "dialup"}}, "code_shown"),
        ({"facts": {"topic": "dialup", "code_shown": True}}, "error_code"),
        ({"facts": {"topic": "password"}}, "service"),
        ({"error_code": 691, "facts": {"password_forgotten": True}}, "caller_verified"),
    ],
)
def test_a_need_info_step_asks_its_own_question_first(ticket, fact) -> None:
    diagnosis = KB.diagnose(ticket)
    assert diagnosis.status == "need_info"
    assert diagnosis.next_step.id in {r.spec.then.step for r in K.rules if r.spec.then.ask == fact}
    assert _first(KB, ticket) == fact


def test_the_better_split_comes_before_facts_toml_order() -> None:
    # 678: the LINE port decides between two rules either way; the restart only matters
    # when it was done. facts.toml lists modem_restarted first.
    order = list(K.facts)
    assert order.index("modem_restarted") < order.index("line_in_line_port")
    assert _first(KB, {"error_code": 678}) == "line_in_line_port"


def test_a_question_four_rules_wait_on_comes_first_for_691() -> None:
    # password_forgotten rules out or keeps four of the eight rules above auth.check
    assert _first(KB, {"error_code": 691}) == "password_forgotten"


def _with_frequencies(tmp_path: Path, counts: dict[str, int]) -> diagnose.KnowledgeBase:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    lines = [f'"{cause}" = {count}' for cause, count in counts.items()]
    text = (knowledge / "frequencies.toml").read_text(encoding="utf-8")
    (knowledge / "frequencies.toml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return diagnose.load(RULES, knowledge)


def test_equal_splits_go_to_the_more_frequent_cause(tmp_path: Path) -> None:
    ticket = {"error_code": 691, "facts": {"password_forgotten": False}}
    before = [q.fact for q in KB.diagnose(ticket).questions]
    # account_status and online_elsewhere split the candidates equally; facts.toml decides
    assert before.index("account_status") < before.index("online_elsewhere")
    kb = _with_frequencies(tmp_path, {"auth.online_elsewhere": 500, "auth.arrears": 40})
    after = [q.fact for q in kb.diagnose(ticket).questions]
    assert after.index("online_elsewhere") < after.index("account_status")
    assert sorted(after) == sorted(before)  # the order changes, never what is asked


def test_answers_cover_every_value_a_rule_tests_and_one_it_does_not() -> None:
    rules = [r for r in K.rules if any(c.fact == "area_reports" for c in r.spec.when)]
    threshold = K.settings.thresholds["area_incident"]
    values = answers("area_reports", rules)
    assert {threshold - 1, threshold} <= set(values)
    catalog = [r for r in K.rules if r.id.startswith("catalog.")]
    codes = answers("error_code", catalog)
    assert set(K.codes) < set(codes)
    assert len([c for c in codes if c not in K.codes]) == 1
    assert answers("account_status", []) == ["normal", "arrears", "expired"]


def _conclusion(diagnosis: diagnose.Diagnosis) -> tuple[str, str, str | None]:
    return (diagnosis.status, diagnosis.next_step.id, diagnosis.cause)


def _with(ticket: diagnose.Ticket, fact: str, value: object) -> diagnose.Ticket:
    return ticket.model_copy(update={"facts": {**ticket.facts, fact: value}})


@settings(max_examples=100, deadline=None)
@given(tickets())
def test_the_first_question_can_change_the_conclusion(ticket) -> None:
    """Some answer to it, alone or with one more answer, gives another conclusion (a rule
    may need two facts, as an app login needs both the channel and the handset)."""
    start = diagnose.Ticket.model_validate(ticket)
    diagnosis = diagnosis_of(KB, start)
    if diagnosis is None or not diagnosis.questions:
        return
    fact = diagnosis.questions[0].fact
    reached = set()
    for value in answers(fact, K.rules):
        after = diagnosis_of(KB, _with(start, fact, value))
        if after is None:
            continue  # an answer the ticket contradicts
        reached.add(_conclusion(after))
        for following in after.questions[:3]:
            for second in answers(following.fact, K.rules):
                again = diagnosis_of(KB, _with(_with(start, fact, value), following.fact, second))
                reached |= {_conclusion(again)} if again else set()
    assert reached - {_conclusion(diagnosis)}, fact


def test_a_rule_that_tests_the_problem_with_one_of_counts_for_that_problem(tmp_path) -> None:
    """The code decides the problem; a rule about that problem, written with one_of, could
    outrank the step asking for the code: the code is worth asking."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "x.toml").write_text("""
[[rule]]
id = "x.ask_code"
salience = 500
when = [{ fact = "topic", op = "equals", value = "dialup" }, { fact = "code_shown", op = "equals", value = true }, { fact = "error_code", op = "absent" }]
then = { status = "need_info", step = "intake.ask_code", wording = "intake.ask_code" }
source = { doc = "seed000", section = "Q10-Q15", any_carrier = true }
example = { given = { topic = "dialup", code_shown = true }, expect = { status = "need_info" } }

[[rule]]
id = "x.auth_any"
salience = 900
when = [{ fact = "problem", op = "one_of", values = ["broadband.auth_failed"] }]
then = { cause = "auth.typo", status = "self_service", step = "auth.retype", wording = "auth.retype" }
source = { doc = "seed000", section = "Q11", any_carrier = true }
example = { given = { error_code = 691 }, expect = { status = "self_service" } }
""", encoding="utf-8")  # fmt: skip
    kb = diagnose.load(rules, KNOWLEDGE)
    asked = kb.diagnose({"facts": {"topic": "dialup", "code_shown": True}}).questions
    assert [q.fact for q in asked] == ["error_code"]
