"""Turn the rules that fired into a ``Diagnosis``.

The conclusion comes from the fired rule with a status that ranks first: highest salience,
then the earliest loaded. ``questions`` are the facts whose answer could still change it,
the one to ask first first (``questions``). A ``need_info`` conclusion with nothing left
to ask becomes ``unknown``. Placeholders in the wording are filled per carrier and target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .._knowledge.model import BOOL_LABELS, Knowledge, LoadedRule
from .._models import Diagnosis, Escalation, FactValue, NextStep, Question, TraceEntry
from .facts import Prepared
from .questions import Ranking

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
    ranking: Ranking,
) -> Diagnosis:
    """The diagnosis of facts (the problem among them, if decided) and the rules fired."""
    problem_id = str(facts.get("problem", "unknown"))
    shown = dict(facts, problem=problem_id)
    # one order, however the ticket listed them
    shown = dict(sorted(shown.items(), key=lambda item: knowledge.fact_order[item[0]]))
    asked = ranking.questions
    verdict = _verdict(knowledge, deciding(fired), asked)
    problem = knowledge.problems[problem_id]
    cause = knowledge.causes.get(verdict.cause) if verdict.cause else None
    reason = (cause.zh, cause.en) if cause else (problem.zh, problem.en)
    carrier = str(facts["carrier"])
    escalation = _escalation(knowledge, verdict.target, carrier, reason)
    fill_zh, fill_en = _fills(knowledge, carrier, escalation)
    step, wording = knowledge.steps[verdict.step], knowledge.wordings[verdict.wording]
    concluded = verdict.status not in ("need_info", "unknown")
    return Diagnosis(
        ticket_id=prepared.ticket.id, carrier=carrier, carrier_assumed=prepared.carrier_assumed,
        problem=problem_id, problem_text=problem.zh, problem_text_en=problem.en,
        cause=verdict.cause, cause_text=cause.zh if cause else None,
        cause_text_en=cause.en if cause else None,
        status=verdict.status,  # type: ignore[arg-type]
        next_step=NextStep(id=verdict.step, text=step.zh, text_en=step.en),
        wording=wording.zh.format_map(fill_zh), wording_en=wording.en.format_map(fill_en),
        escalation=escalation, questions=[question(knowledge, name) for name in asked],
        # a wording for one carrier's customers, said to a carrier assumed: not final either
        provisional=concluded and (ranking.could_change or (
            prepared.carrier_assumed and wording.carriers is not None)),
        facts=shown, extracted=prepared.extracted,
        trace=[TraceEntry(rule=rule.id, salience=rule.spec.salience, source=rule.source)
               for rule in fired],
    )  # fmt: skip


def _escalation(
    knowledge: Knowledge, target_id: str | None, carrier: str, reason: tuple[str, str]
) -> Escalation | None:
    """The target as this carrier names it, with the hours its own source gives (a reply
    time, a closing time, or both); what the source leaves out comes from the operator's
    local policy for the carrier, else the settings' default, never promised."""
    if target_id is None:
        return None
    target = knowledge.targets[target_id]
    own = target.carriers.get(carrier)
    name = (own.name, own.name_en) if own and own.name and own.name_en else (
        target.name, target.name_en)  # fmt: skip
    local = knowledge.settings.local_limits.get(carrier)
    reply = own.reply_hours if own is not None else None
    limit: Literal["source", "local_policy", "default"]
    if own is not None and own.deadline_hours is not None:
        deadline, limit = own.deadline_hours, "source"
    elif local is not None:
        deadline, limit, reply = local.deadline_hours, "local_policy", reply or local.reply_hours
    else:
        deadline, limit = knowledge.settings.default_deadline_hours, "default"
    cited = [knowledge.cite(own.source)] if own is not None else []
    if limit == "local_policy" and local is not None:
        cited.append(f"{knowledge.local_policy_title}: {local.decided_by}")
    if limit == "default":
        cited.append("settings.default_deadline_hours")
    return Escalation(target=target_id, name=name[0], name_en=name[1], tier=target.tier,
                      deadline_hours=deadline, reply_hours=reply, limit=limit,
                      limit_source="; ".join(cited), reason=reason[0],
                      reason_en=reason[1])  # fmt: skip


def _within(hours: int | None, promised: bool) -> tuple[str, str]:
    """'在24小时内' or, where no hour may be promised, '按规定时限'."""
    if hours is None or not promised:
        return "按规定时限", "within the required time limit"
    return f"在{hours}小时内", f"within {hours} hours"


def _fills(
    knowledge: Knowledge, carrier: str, escalation: Escalation | None
) -> tuple[dict[str, str], dict[str, str]]:
    """What each wording placeholder stands for, in Chinese and in English."""
    spec = knowledge.carriers[carrier]
    zh = {"hotline": spec.hotline, "carrier_name": spec.name}
    en = {"hotline": spec.hotline, "carrier_name": spec.name_en}
    if escalation is not None:
        promised = escalation.limit != "default"  # the closing time; a reply time always is
        deadline = _within(escalation.deadline_hours, promised)
        reply = (_within(escalation.reply_hours, True) if escalation.reply_hours is not None
                 else deadline)  # fmt: skip
        said = knowledge.targets[escalation.target]  # how a customer hears it: plain words
        zh |= {"target_name": said.name, "deadline": deadline[0], "reply": reply[0]}
        en |= {"target_name": said.name_en, "deadline": deadline[1], "reply": reply[1]}
    return zh, en
