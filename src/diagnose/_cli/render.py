"""How a diagnosis reads for an agent, in Chinese or English: one summary for ``check``,
and the separated conclusion a session shows."""

from __future__ import annotations

from .._models import Diagnosis, Escalation

__all__ = ["LABELS", "escalation_line", "render"]

LABELS = {
    "zh": {
        "problem": "问题", "cause": "原因", "status": "处理方式", "next": "下一步",
        "escalation": "转派", "wording": "客户话术", "questions": "待确认",
        "trace": "依据", "tier": "第{tier}级", "within": "{hours}小时内办结",
        "reply": "{hours}小时内回复", "none": "无需转派", "extracted": "从描述中识别",
        "status_self_service": "指导客户自助处理", "status_agent_action": "客服当场处理",
        "status_escalate": "转派处理", "status_need_info": "需要进一步确认",
        "status_unknown": "知识库未覆盖",
    },
    "en": {
        "problem": "Problem", "cause": "Cause", "status": "Status", "next": "Next step",
        "escalation": "Escalate", "wording": "Customer wording", "questions": "To confirm",
        "trace": "Sources", "tier": "tier {tier}", "within": "close within {hours} h",
        "reply": "reply within {hours} h", "none": "no escalation", "extracted": "Read from text",
        "status_self_service": "customer self-service", "status_agent_action": "agent acts now",
        "status_escalate": "escalate", "status_need_info": "need more information",
        "status_unknown": "not covered",
    },
}  # fmt: skip


def escalation_line(escalation: Escalation | None, lang: str) -> str:
    """'合作营业厅, 第1级, 24小时内办结 [partner_hall]', or 'no escalation'."""
    t = LABELS[lang]
    if escalation is None:
        return t["none"]
    parts = [escalation.name_en if lang == "en" else escalation.name,
             t["tier"].format(tier=escalation.tier)]  # fmt: skip
    if escalation.reply_hours:
        parts.append(t["reply"].format(hours=escalation.reply_hours))
    parts.append(t["within"].format(hours=escalation.deadline_hours))
    return f"{', '.join(parts)} [{escalation.target}]"


def render(diagnosis: Diagnosis, lang: str = "zh") -> str:
    """The diagnosis as an agent reads it: conclusion, step, escalation, wording, questions."""
    t = LABELS[lang]
    en = lang == "en"
    lines = [f"{t['problem']}: {diagnosis.problem_text_en if en else diagnosis.problem_text}"]
    if diagnosis.cause:
        lines.append(f"{t['cause']}: {diagnosis.cause_text_en if en else diagnosis.cause_text}")
    lines.append(f"{t['status']}: {t['status_' + diagnosis.status]} ({diagnosis.status})")
    step = diagnosis.next_step
    lines.append(f"{t['next']}: {step.text_en if en else step.text}")
    lines.append(f"{t['escalation']}: {escalation_line(diagnosis.escalation, lang)}")
    lines += ["", f"{t['wording']}:", f"  {diagnosis.wording_en if en else diagnosis.wording}"]
    if diagnosis.questions:
        lines += ["", f"{t['questions']}:"]
        for number, question in enumerate(diagnosis.questions, 1):
            choices = f" [{' / '.join(question.choices)}]" if question.choices else " [0-9]"
            text = question.text_en if en else question.text
            lines.append(f"  {number}. {question.fact}: {text}{choices}")
    if diagnosis.extracted:
        found = ", ".join(f"{k}={v!r}" for k, v in diagnosis.extracted.items())
        lines += ["", f"{t['extracted']}: {found}"]
    lines += ["", f"{t['trace']}:"]
    lines += [f"  {entry.rule}: {entry.source}" for entry in diagnosis.trace]
    return "\n".join(lines)
