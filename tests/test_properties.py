"""Invariants over any valid ticket."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import KB, diagnosis_of, tickets

FORBIDDEN = KB.knowledge.language.forbidden


@settings(max_examples=300, deadline=None)
@given(tickets())
def test_any_valid_ticket_gets_a_diagnosis(ticket) -> None:
    diagnosis = diagnosis_of(KB, ticket)
    if diagnosis is None:
        return  # refused: its facts decide two problems (diagnosis_of checks the message)
    assert diagnosis.facts["problem"] == diagnosis.problem
    assert diagnosis.next_step.text and diagnosis.wording and diagnosis.trace
    assert (diagnosis.status == "escalate") == (diagnosis.escalation is not None)
    if diagnosis.escalation is not None:
        assert diagnosis.escalation.deadline_hours > 0


@settings(max_examples=150, deadline=None)
@given(tickets())
def test_the_same_ticket_gives_the_same_diagnosis(ticket) -> None:
    def result(given: dict) -> str:
        diagnosis = diagnosis_of(KB, given)
        return diagnosis.model_dump_json() if diagnosis else "contradicts itself"

    first = result(ticket)
    reordered = dict(ticket, facts=dict(reversed(list(ticket["facts"].items()))))
    assert result(reordered) == first
    assert result(ticket) == first


@settings(max_examples=300, deadline=None)
@given(tickets())
def test_every_wording_passes_the_service_language_check(ticket) -> None:
    diagnosis = diagnosis_of(KB, ticket)
    if diagnosis is None:
        return
    assert not [phrase for phrase in FORBIDDEN if phrase in diagnosis.wording]
    assert "您" in diagnosis.wording
    assert "{" not in diagnosis.wording and "{" not in diagnosis.wording_en


@settings(max_examples=200, deadline=None)
@given(tickets())
def test_questions_are_unknown_askable_facts_asked_once(ticket) -> None:
    diagnosis = diagnosis_of(KB, ticket)
    if diagnosis is None:
        return
    asked = [question.fact for question in diagnosis.questions]
    assert len(asked) == len(set(asked))
    assert not set(asked) & set(diagnosis.facts)
    assert all(KB.knowledge.facts[name].ask for name in asked)
    if diagnosis.status == "need_info":
        assert asked
