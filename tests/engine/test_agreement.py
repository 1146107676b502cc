"""experta and the Python evaluation of conditions agree: on every ticket, the rules that
fire, the rule that decides and the problem are what ``Conditions.evaluate`` says they
should be; and a ticket whose facts decide two problems is refused by both. Checked on
the shipped knowledge and on generated rule sets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import KB, rule_sets, tickets, tickets_for

import diagnose

Outcome = tuple[frozenset[str], str | None, str | None] | str


def expected(kb: diagnose.KnowledgeBase, facts: dict) -> Outcome:
    """What should fire, by the evaluator alone: the rules that decide a problem test the
    ticket's facts; then every other rule tests them with the problem decided."""
    conditions, rules = kb.engine.conditions, kb.knowledge.rules
    deciding = [r for r in rules if r.classifies and conditions.evaluate(r.id, facts) is True]
    problems = {r.spec.then.problem for r in deciding}
    if len(problems) > 1:
        return "contradicts itself"
    seen = dict(facts, problem=problems.pop()) if problems else facts
    fired = deciding + [
        r for r in rules if not r.classifies and conditions.evaluate(r.id, seen) is True
    ]
    verdicts = [r for r in fired if r.spec.then.status is not None]
    winner = max(verdicts, key=lambda r: r.rank).id if verdicts else None
    return frozenset(r.id for r in fired), winner, seen.get("problem")


def engine(kb: diagnose.KnowledgeBase, ticket: dict) -> tuple[Outcome, dict]:
    """What experta fires, and what the diagnosis concludes from it."""
    prepared = kb.engine.prepare(diagnose.Ticket.model_validate(ticket))
    fired = kb.engine.run(prepared.facts)
    try:
        consultation = kb.engine.conclude(prepared, fired)
    except diagnose.TicketError as error:
        assert "decide different problems" in error.issues[0].message
        return "contradicts itself", prepared.facts
    diagnosis = consultation.diagnosis
    assert diagnosis.facts["problem"] == diagnosis.problem
    ids = frozenset(kb.knowledge.rules[index].id for index in fired)
    assert len(ids) == len(fired), "a rule fired twice"
    winner = consultation.deciding.id if consultation.deciding else None
    problem = consultation.facts.get("problem")
    assert diagnosis.problem == (problem or "unknown")
    return (ids, winner, problem), prepared.facts


@settings(max_examples=2000, deadline=None)
@given(tickets())
def test_experta_and_the_evaluator_agree_on_the_shipped_rules(ticket) -> None:
    outcome, facts = engine(KB, ticket)
    assert outcome == expected(KB, facts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])  # fmt: skip
@given(rule_sets(), st.data())
def test_experta_and_the_evaluator_agree_on_generated_rule_sets(rule_set, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kb = diagnose.load(*rule_set.write(Path(folder)))
    for ticket in data.draw(st.lists(tickets_for(rule_set), min_size=1, max_size=10)):
        outcome, facts = engine(kb, ticket)
        assert outcome == expected(kb, facts), ticket
