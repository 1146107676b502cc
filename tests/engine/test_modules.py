"""Rule modules and the cache change how fast an answer comes, never the answer: the same
diagnoses (or the same refusal) with and without them, on every rule example, the
benchmark mix, generated tickets and generated rule sets; and a problem's rules never
run for a ticket of another problem."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import KB, rule_sets, tickets, tickets_for

import diagnose
from diagnose._engine import Engine
from diagnose._examples import example_ticket

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from tickets import MIX


def outcome(answer: Any) -> object:
    """What a caller sees: the diagnosis as JSON data, or the refusal's issues."""
    try:
        return answer().model_dump(mode="json")
    except diagnose.TicketError as error:
        return [(issue.field, issue.message) for issue in error.issues]


class Ways:
    """One knowledge, four ways: modules and cache (as shipped), modules without cache,
    neither, and the cache warm from an earlier pass."""

    def __init__(self, base: diagnose.KnowledgeBase) -> None:
        knowledge = base.knowledge
        self.cached = diagnose.KnowledgeBase(knowledge)
        self.uncached = diagnose.KnowledgeBase(knowledge, cache_size=0)
        self.unsplit = Engine(knowledge, remember=0, split=False)

    def answers(self, ticket: dict[str, Any] | diagnose.Ticket) -> list[object]:
        parsed = diagnose.Ticket.model_validate(ticket) if isinstance(ticket, dict) else ticket
        return [
            outcome(lambda: self.cached.diagnose(parsed)),
            outcome(lambda: self.cached.diagnose(parsed)),  # a repeated ticket: a cache hit
            outcome(lambda: self.uncached.diagnose(parsed)),
            outcome(lambda: self.unsplit.consult(parsed).diagnosis),
        ]


WAYS = Ways(KB)


def same(answers: list[object]) -> bool:
    return all(answer == answers[0] for answer in answers)


def test_every_rule_example_is_answered_alike() -> None:
    examples = [ex for rule in KB.knowledge.rules for ex in rule.spec.example]
    assert len(examples) > 300
    for example in examples:
        ticket = example_ticket(example.given)
        assert same(WAYS.answers(ticket)), ticket


@pytest.mark.parametrize("ticket", MIX, ids=str)
def test_the_benchmark_mix_is_answered_alike(ticket: dict[str, Any]) -> None:
    assert same(WAYS.answers(ticket))


@settings(max_examples=1500, deadline=None)
@given(tickets(), st.text(max_size=8))
def test_generated_tickets_are_answered_alike(ticket: dict[str, Any], ticket_id: str) -> None:
    answers = WAYS.answers(ticket)
    assert same(answers), ticket
    # another ticket saying the same, under another id: its own id, the same diagnosis
    again = (
        WAYS.cached.diagnose({**ticket, "id": ticket_id}) if isinstance(answers[0], dict) else None
    )
    if again is not None:
        assert again.ticket_id == ticket_id
        assert again.model_dump(mode="json", exclude={"ticket_id"}) == {
            k: v
            for k, v in answers[0].items()
            if k != "ticket_id"  # type: ignore[union-attr]
        }


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(rule_sets(), st.data())
def test_generated_rule_sets_are_answered_alike(rule_set, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ways = Ways(diagnose.load(*rule_set.write(Path(folder))))
    for ticket in data.draw(st.lists(tickets_for(rule_set), min_size=1, max_size=8)):
        assert same(ways.answers(ticket)), ticket


def test_only_the_intake_and_the_tickets_own_problem_run() -> None:
    engine = Engine(KB.knowledge, remember=0)
    rules = KB.knowledge.rules
    prepared = engine.prepare(diagnose.Ticket(error_code=691))
    fired = [rules[i] for i in engine.run(prepared.facts)]
    problems = {r.problem for r in fired} - {None}
    assert problems == {"broadband.auth_failed"}
    module = engine.modules.after("broadband.auth_failed")
    assert module is not None
    assert {rules[i].problem for i in module.rules} == {"broadband.auth_failed"} or all(
        "broadband.auth_failed" in str(rules[i].spec.when) for i in module.rules
    )
    # the other problems' rules are in no engine this ticket touched
    touched = {*engine.modules.intake.rules, *module.rules}
    assert len(touched) < len(rules) / 2


def _engines_run(engine: Engine, ticket: dict[str, Any]) -> list[list[str]]:
    """The rules of each engine a ticket runs."""
    rules = engine.knowledge.rules
    facts = engine.prepare(diagnose.Ticket.model_validate(ticket)).facts
    ran = [engine.modules.intake.module(facts).rules]
    problems = {rules[i].spec.then.problem for i in engine.run(facts) if rules[i].classifies}
    node = engine.modules.after(next(iter(problems)) if len(problems) == 1 else None)
    if node is not None:
        seen = {**facts, "problem": problems.pop()} if problems else facts
        ran.append(node.module(seen).rules)
    return [[rules[i].id for i in found] for found in ran]


def test_rules_that_cannot_fire_on_a_ticket_are_in_no_engine_it_runs(tmp_path: Path) -> None:
    """With four times the rules (copies that require a code no ticket has), no ticket
    runs a copy: its cost does not grow with rules written for other tickets."""
    from grow import grow

    grown = Engine(diagnose.load(*grow(4, tmp_path)).knowledge, remember=0)
    shipped = Engine(KB.knowledge, remember=0)
    assert len(grown.knowledge.rules) >= 4 * len(shipped.knowledge.rules) - 1
    examples = [example_ticket(e.given) for r in KB.knowledge.rules for e in r.spec.example]
    for ticket in [*MIX, *(e.model_dump(exclude_none=True) for e in examples)]:
        ran = _engines_run(grown, ticket)
        assert not [rule for found in ran for rule in found if ".x" in rule], ticket
        assert len(ran) == len(_engines_run(shipped, ticket)), ticket
