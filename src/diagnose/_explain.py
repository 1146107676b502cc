"""Step 4 of the pipeline: turn the rules that fired into a ``Diagnosis``.

The conclusion comes from the fired rule with a status that ranks first: highest salience,
then the earliest loaded. ``questions`` are the unknown facts that rules ranking above it
still wait on (no known fact rules them out) and that would conclude something else.
A ``need_info`` conclusion with nothing left to ask becomes ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._compile import resolve_bound
from ._knowledge import DERIVED_FACTS, Knowledge, LoadedRule
from ._models import Diagnosis, Escalation, FactValue, NextStep, Question, TraceEntry
from ._run import Prepared
from ._schema import Condition, Then

__all__ = ["evaluate", "explain", "rank", "waiting_on"]


def rank(rule: LoadedRule) -> tuple[int, int]:
    """Sort key: the rule that ranks first has the largest key."""
    return (rule.spec.salience, -rule.order)


def evaluate(
    condition: Condition, facts: dict[str, FactValue], thresholds: dict[str, int]
) -> bool | None:
    """True, False, or None when the fact is unknown and the answer could go either way."""
    known = condition.fact in facts
    if condition.op == "absent":
        return not known
    if not known:
        return None
    value = facts[condition.fact]
    if condition.op == "present":
        return True
    if condition.op == "equals":
        return value == condition.value
    if condition.op == "not":
        return value != condition.value
    if condition.op == "one_of":
        return value in (condition.values or ())
    low = resolve_bound(condition.min, thresholds)
    high = resolve_bound(condition.max, thresholds)
    assert isinstance(value, int)
    return (low is None or value >= low) and (high is None or value <= high)


def waiting_on(
    rule: LoadedRule, facts: dict[str, FactValue], thresholds: dict[str, int]
) -> list[str] | None:
    """The unknown facts this rule waits on, or None if a known fact rules it out."""
    unknown: list[str] = []
    for condition in rule.spec.when:
        result = evaluate(condition, facts, thresholds)
        if result is False:
            return None
        if result is None and condition.fact not in unknown:
            unknown.append(condition.fact)
    return unknown


def _same_conclusion(a: Then, b: Then) -> bool:
    keys = ("problem", "cause", "status", "step", "escalate")
    return all(getattr(a, key) == getattr(b, key) for key in keys)


@dataclass(frozen=True)
class _Outcome:
    rule: LoadedRule | None
    problem: str


def _conclude(knowledge: Knowledge, fired: list[LoadedRule]) -> _Outcome:
    derived = [rule.spec.then.problem for rule in fired if rule.spec.then.problem]
    verdicts = [rule for rule in fired if rule.spec.then.status is not None]
    winner = max(verdicts, key=rank) if verdicts else None
    problem = (winner.problem if winner else None) or (derived[0] if derived else "unknown")
    return _Outcome(winner, problem)


def questions_for(
    knowledge: Knowledge, facts: dict[str, FactValue], winner: LoadedRule | None
) -> list[str]:
    """Unknown, askable facts whose answer could change the conclusion, most useful first:
    the fact most waiting rules need, then the highest salience among them, then the order
    of facts.toml."""
    thresholds = knowledge.settings.thresholds
    problem_known = "problem" in facts
    waiting: dict[str, list[int]] = {}
    for rule in knowledge.rules:
        then = rule.spec.then
        if then.status is None:
            if problem_known:
                continue  # another classification only matters while no problem is known
        elif winner is not None and (
            rank(rule) <= rank(winner) or _same_conclusion(then, winner.spec.then)
        ):
            continue
        unknown = waiting_on(rule, facts, thresholds)
        if not unknown or any(name in DERIVED_FACTS for name in unknown):
            continue
        for name in unknown:
            if knowledge.askable(name):
                waiting.setdefault(name, []).append(rule.spec.salience)
    order = knowledge.fact_order
    return sorted(waiting, key=lambda n: (-len(waiting[n]), -max(waiting[n]), order[n]))


def question(knowledge: Knowledge, name: str) -> Question:
    spec = knowledge.facts[name]
    domain = knowledge.domains[name]
    choices: list[str] | None
    if domain.type == "bool":
        choices = ["true", "false"]
    elif domain.type == "enum":
        choices = list(domain.values or ())
    else:
        choices = None
    return Question(
        fact=name, text=spec.question, text_en=spec.question_en, type=spec.type, choices=choices
    )


def explain(knowledge: Knowledge, prepared: Prepared, fired_indexes: list[int]) -> Diagnosis:
    fired = [knowledge.rules[index] for index in fired_indexes]
    facts = dict(prepared.facts)
    for rule in fired:
        if rule.spec.then.problem:
            facts.setdefault("problem", rule.spec.then.problem)
    # one order, however the ticket listed them
    facts = dict(sorted(facts.items(), key=lambda item: knowledge.fact_order[item[0]]))
    outcome = _conclude(knowledge, fired)
    winner = outcome.rule
    asked = questions_for(knowledge, facts, winner)

    carrier = str(facts["carrier"])
    if winner is None or (winner.spec.then.status == "need_info" and not asked):
        status, cause, step_id, wording_id, target_id = (
            "unknown", None, knowledge.settings.unknown_step,
            knowledge.settings.unknown_wording, None,
        )  # fmt: skip
    else:
        then = winner.spec.then
        assert then.status and then.step and then.wording
        status, cause, step_id, wording_id, target_id = (
            then.status, then.cause, then.step, then.wording, then.escalate,
        )  # fmt: skip

    problem = knowledge.problems[outcome.problem]
    cause_spec = knowledge.causes.get(cause) if cause else None
    escalation = None
    fill_zh, fill_en = _fills(knowledge, carrier)
    if target_id is not None:
        target = knowledge.targets[target_id]
        escalation = Escalation(
            target=target_id,
            name=target.name,
            name_en=target.name_en,
            tier=target.tier,
            deadline_hours=target.deadline_hours,
            reply_hours=target.reply_hours,
            reason=cause_spec.zh if cause_spec else problem.zh,
            reason_en=cause_spec.en if cause_spec else problem.en,
        )
        hours = {"deadline_hours": str(target.deadline_hours),
                 "reply_hours": str(target.reply_hours or target.deadline_hours)}  # fmt: skip
        fill_zh |= hours | {"target_name": target.name}
        fill_en |= hours | {"target_name": target.name_en}
    step = knowledge.steps[step_id]
    wording = knowledge.wordings[wording_id]
    return Diagnosis(
        ticket_id=prepared.ticket.id,
        carrier=carrier,  # type: ignore[arg-type]
        problem=outcome.problem,
        problem_text=problem.zh,
        problem_text_en=problem.en,
        cause=cause,
        cause_text=cause_spec.zh if cause_spec else None,
        cause_text_en=cause_spec.en if cause_spec else None,
        status=status,  # type: ignore[arg-type]
        next_step=NextStep(id=step_id, text=step.zh, text_en=step.en),
        wording=wording.zh.format_map(fill_zh),
        wording_en=wording.en.format_map(fill_en),
        escalation=escalation,
        questions=[question(knowledge, name) for name in asked],
        facts=facts,
        extracted=prepared.extracted,
        trace=[
            TraceEntry(rule=rule.id, salience=rule.spec.salience, source=rule.source)
            for rule in fired
        ],
    )


def _fills(knowledge: Knowledge, carrier: str) -> tuple[dict[str, str], dict[str, str]]:
    spec = knowledge.carriers[carrier]
    common = {"hotline": spec.hotline, "self_service_line": spec.self_service_line}
    return common | {"carrier_name": spec.name}, common | {"carrier_name": spec.name_en}
