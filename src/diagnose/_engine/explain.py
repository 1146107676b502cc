"""Step 4 of the pipeline: turn the rules that fired into a ``Diagnosis``.

The conclusion comes from the fired rule with a status that ranks first: highest salience,
then the earliest loaded. ``questions`` are the facts whose answer could still change it,
the one to ask first first (``_questions``). A ``need_info`` conclusion with nothing left
to ask becomes ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._knowledge.model import Knowledge, LoadedRule
from .._knowledge.schema import Condition
from .._models import Diagnosis, Escalation, NextStep, Question, TraceEntry
from .compile import resolve_bound
from .questions import questions, rank
from .run import Prepared

__all__ = ["concludes", "describe", "explain", "question", "winner"]


@dataclass(frozen=True)
class _Outcome:
    rule: LoadedRule | None
    problem: str


def _conclude(fired: list[LoadedRule]) -> _Outcome:
    derived = [rule.spec.then.problem for rule in fired if rule.spec.then.problem]
    verdicts = [rule for rule in fired if rule.spec.then.status is not None]
    best = max(verdicts, key=rank) if verdicts else None
    problem = (best.problem if best else None) or (derived[0] if derived else "unknown")
    return _Outcome(best, problem)


def winner(fired: list[LoadedRule]) -> LoadedRule | None:
    """The fired rule that decides the case, if any."""
    return _conclude(fired).rule


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
    labels = dict(_YES_NO) if domain.type == "bool" else dict(spec.labels)
    return Question(fact=name, text=spec.question, text_en=spec.question_en, type=spec.type,
                    choices=choices, labels=labels)  # fmt: skip


_YES_NO = {"true": "是", "false": "否"}


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def describe(condition: Condition, thresholds: dict[str, int]) -> str:
    """A condition as a person reads it: 'error_code ∈ {619, 629, 691}', 'area_reports ≥ 5'."""
    fact, op = condition.fact, condition.op
    if op == "equals":
        return f"{fact} = {_shown(condition.value)}"
    if op == "not":
        return f"{fact} ≠ {_shown(condition.value)}"
    if op == "one_of":
        return f"{fact} ∈ {{{', '.join(_shown(v) for v in condition.values or ())}}}"
    if op == "present":
        return f"{fact} known"
    if op == "absent":
        return f"{fact} not known"
    low = resolve_bound(condition.min, thresholds)
    high = resolve_bound(condition.max, thresholds)
    named = [b for b in (condition.min, condition.max) if isinstance(b, str)]
    shown = (
        f"{low} ≤ {fact} ≤ {high}"
        if low is not None and high is not None
        else (f"{fact} ≥ {low}" if low is not None else f"{fact} ≤ {high}")
    )
    return f"{shown} ({', '.join(named)})" if named else shown


def concludes(knowledge: Knowledge, rule: LoadedRule) -> tuple[str, str]:
    """What a rule concludes, in Chinese and English: its step, or the problem it finds."""
    then = rule.spec.then
    if then.step is not None:
        step = knowledge.steps[then.step]
        return step.zh, step.en
    assert then.problem is not None
    problem = knowledge.problems[then.problem]
    return f"问题:{problem.zh}", f"problem: {problem.en}"


def explain(
    knowledge: Knowledge,
    prepared: Prepared,
    fired_indexes: list[int],
    skipped: frozenset[str] = frozenset(),
) -> Diagnosis:
    """The diagnosis; ``skipped`` facts are ones the caller cannot learn, never asked."""
    fired = [knowledge.rules[index] for index in fired_indexes]
    facts = dict(prepared.facts)
    for rule in fired:
        if rule.spec.then.problem:
            facts.setdefault("problem", rule.spec.then.problem)
    # one order, however the ticket listed them
    facts = dict(sorted(facts.items(), key=lambda item: knowledge.fact_order[item[0]]))
    outcome = _conclude(fired)
    deciding = outcome.rule
    asked = questions(knowledge, facts, deciding, skipped)

    carrier = str(facts["carrier"])
    if deciding is None or (deciding.spec.then.status == "need_info" and not asked):
        status, cause, step_id, wording_id, target_id = (
            "unknown", None, knowledge.settings.unknown_step,
            knowledge.settings.unknown_wording, None,
        )  # fmt: skip
    else:
        then = deciding.spec.then
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
