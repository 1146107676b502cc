"""Turn the rules that fired into a ``Diagnosis``.

The conclusion comes from the fired rule with a status that ranks first: highest salience,
then the earliest loaded. ``questions`` are the facts whose answer could still change it,
the one to ask first first (``questions``). A ``need_info`` conclusion with nothing left
to ask becomes ``unknown``. Placeholders in the wording are filled per carrier and target.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._knowledge.model import BOOL_LABELS, Knowledge, LoadedRule
from .._models import Diagnosis, Escalation, FactValue, NextStep, Question, TraceEntry
from .facts import Prepared

__all__ = ["concludes", "deciding", "explain", "question"]


def deciding(fired: list[LoadedRule]) -> LoadedRule | None:
    """The fired rule whose conclusion stands: of those with a status, the first-ranking."""
    verdicts = [rule for rule in fired if rule.spec.then.status is not None]
    return max(verdicts, key=lambda rule: rule.rank) if verdicts else None


def question(knowledge: Knowledge, name: str) -> Question:
    spec = knowledge.facts[name]
    domain = knowledge.domains[name]
    labels = dict(BOOL_LABELS["zh"]) if domain.type == "bool" else dict(spec.labels)
    return Question(fact=name, text=spec.question, text_en=spec.question_en, type=spec.type,
                    choices=domain.choices(), labels=labels)  # fmt: skip


def concludes(knowledge: Knowledge, rule: LoadedRule) -> tuple[str, str]:
    """What a rule concludes, in Chinese and English: its step, or the problem it finds."""
    then = rule.spec.then
    if then.step is not None:
        step = knowledge.steps[then.step]
        return step.zh, step.en
    assert then.problem is not None
    problem = knowledge.problems[then.problem]
    return f"问题:{problem.zh}", f"problem: {problem.en}"


@dataclass(frozen=True)
class _Verdict:
    status: str
    cause: str | None
    step: str
    wording: str
    target: str | None


def _verdict(knowledge: Knowledge, rule: LoadedRule | None, asked: list[str]) -> _Verdict:
    settings = knowledge.settings
    if rule is None or (rule.spec.then.status == "need_info" and not asked):
        return _Verdict("unknown", None, settings.unknown_step, settings.unknown_wording, None)
    then = rule.spec.then
    assert then.status and then.step and then.wording
    return _Verdict(then.status, then.cause, then.step, then.wording, then.escalate)


def explain(
    knowledge: Knowledge,
    prepared: Prepared,
    facts: dict[str, FactValue],
    fired: list[LoadedRule],
    asked: list[str],
) -> Diagnosis:
    """The diagnosis of facts (the problem among them, if decided) and the rules fired."""
    problem_id = str(facts.get("problem", "unknown"))
    shown = dict(facts, problem=problem_id)
    # one order, however the ticket listed them
    shown = dict(sorted(shown.items(), key=lambda item: knowledge.fact_order[item[0]]))
    verdict = _verdict(knowledge, deciding(fired), asked)
    problem = knowledge.problems[problem_id]
    cause = knowledge.causes.get(verdict.cause) if verdict.cause else None
    reason = (cause.zh, cause.en) if cause else (problem.zh, problem.en)
    carrier = str(facts["carrier"])
    escalation = _escalation(knowledge, verdict.target, reason)
    fill_zh, fill_en = _fills(knowledge, carrier, escalation)
    step, wording = knowledge.steps[verdict.step], knowledge.wordings[verdict.wording]
    return Diagnosis(
        ticket_id=prepared.ticket.id, carrier=carrier, problem=problem_id,
        problem_text=problem.zh, problem_text_en=problem.en, cause=verdict.cause,
        cause_text=cause.zh if cause else None, cause_text_en=cause.en if cause else None,
        status=verdict.status,  # type: ignore[arg-type]
        next_step=NextStep(id=verdict.step, text=step.zh, text_en=step.en),
        wording=wording.zh.format_map(fill_zh), wording_en=wording.en.format_map(fill_en),
        escalation=escalation, questions=[question(knowledge, name) for name in asked],
        facts=shown, extracted=prepared.extracted,
        trace=[TraceEntry(rule=rule.id, salience=rule.spec.salience, source=rule.source)
               for rule in fired],
    )  # fmt: skip


def _escalation(
    knowledge: Knowledge, target_id: str | None, reason: tuple[str, str]
) -> Escalation | None:
    if target_id is None:
        return None
    target = knowledge.targets[target_id]
    return Escalation(target=target_id, name=target.name, name_en=target.name_en,
                      tier=target.tier, deadline_hours=target.deadline_hours,
                      reply_hours=target.reply_hours, reason=reason[0],
                      reason_en=reason[1])  # fmt: skip


def _fills(
    knowledge: Knowledge, carrier: str, escalation: Escalation | None
) -> tuple[dict[str, str], dict[str, str]]:
    """What each wording placeholder stands for, in Chinese and in English."""
    spec = knowledge.carriers[carrier]
    common = {"hotline": spec.hotline, "self_service_line": spec.self_service_line}
    zh, en = common | {"carrier_name": spec.name}, common | {"carrier_name": spec.name_en}
    if escalation is not None:
        reply = escalation.reply_hours or escalation.deadline_hours
        hours = {"deadline_hours": str(escalation.deadline_hours), "reply_hours": str(reply)}
        zh |= hours | {"target_name": escalation.name}
        en |= hours | {"target_name": escalation.name_en}
    return zh, en
