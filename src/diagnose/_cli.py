"""The ``diagnose`` command: check a case, list the codes, facts and rules.

Exit codes: 0 diagnosed (or listed), 2 bad input (a bad ticket, fact, option or rule
file: the message says what and where), 1 other errors. A user mistake never shows a
traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ._api import KnowledgeBase, load
from ._errors import DiagnoseError, TicketError, TicketIssue
from ._examples import check_examples
from ._models import Diagnosis, Ticket

__all__ = ["cli", "main"]

_LABELS = {
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


class _UserError(click.ClickException):
    """A DiagnoseError shown the click way: 'Error: ...' and its exit code, no traceback."""

    def __init__(self, error: DiagnoseError) -> None:
        super().__init__(error.format_message())
        self.exit_code = error.exit_code  # type: ignore[misc]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagnoseError as error:
            raise _UserError(error) from None


class _State:
    def __init__(self, rules: Path | None, knowledge: Path | None) -> None:
        self.rules = rules
        self.knowledge = knowledge
        self._base: KnowledgeBase | None = None

    @property
    def base(self) -> KnowledgeBase:
        if self._base is None:
            self._base = load(self.rules, self.knowledge)
        return self._base


_dir = click.Path(exists=True, file_okay=False, path_type=Path)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--rules", type=_dir, help="Folder of rule files (default: the shipped rules).")
@click.option("--knowledge", type=_dir, help="Folder of knowledge files (default: shipped).")
@click.version_option(package_name="diagnose")
@click.pass_context
def cli(ctx: click.Context, rules: Path | None, knowledge: Path | None) -> None:
    """Troubleshooting for telecom service agents: next step, escalation, customer wording."""
    ctx.obj = _State(rules, knowledge)


def _parse_facts(base: KnowledgeBase, pairs: tuple[str, ...]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    issues = []
    domains = base._knowledge.domains
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep:
            issues.append(TicketIssue(f"--fact {pair}", "write it as NAME=VALUE"))
        elif name not in base._knowledge.facts:
            known = ", ".join(base._knowledge.facts)
            issues.append(TicketIssue(f"--fact {name}", f"unknown fact (known: {known})"))
        else:
            try:
                facts[name] = domains[name].parse(value)
            except ValueError as error:
                issues.append(TicketIssue(f"--fact {name}", str(error)))
    if issues:
        raise TicketError(issues, where="--fact")
    return facts


@cli.command()
@click.argument("case", required=False)
@click.option("--carrier", type=click.Choice(["telecom", "unicom", "mobile"]))
@click.option("--fact", "facts", multiple=True, metavar="NAME=VALUE", help="A known fact.")
@click.option("--id", "ticket_id", help="The ticket id, echoed in the diagnosis.")
@click.option("--json", "as_json", is_flag=True, help="Print the Diagnosis as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.pass_obj
def check(
    state: _State,
    case: str | None,
    carrier: str | None,
    facts: tuple[str, ...],
    ticket_id: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Diagnose one case: CASE is an error code (691) or the customer's words."""
    base = state.base
    fields: dict[str, Any] = {"id": ticket_id, "carrier": carrier}
    if case is not None and case.strip().isdigit():
        fields["error_code"] = int(case.strip())
    elif case is not None:
        fields["text"] = case
    ticket = Ticket.model_validate({**fields, "facts": _parse_facts(base, facts)})
    diagnosis = base.diagnose(ticket)
    if as_json:
        _echo_json(diagnosis.model_dump(mode="json"))
    else:
        click.echo(render(diagnosis, lang))


def render(diagnosis: Diagnosis, lang: str = "zh") -> str:
    """The diagnosis as an agent reads it: conclusion, step, escalation, wording, questions."""
    t = _LABELS[lang]
    en = lang == "en"
    lines = [f"{t['problem']}: {diagnosis.problem_text_en if en else diagnosis.problem_text}"]
    if diagnosis.cause:
        lines.append(f"{t['cause']}: {diagnosis.cause_text_en if en else diagnosis.cause_text}")
    lines.append(f"{t['status']}: {t['status_' + diagnosis.status]} ({diagnosis.status})")
    step = diagnosis.next_step
    lines.append(f"{t['next']}: {step.text_en if en else step.text}")
    escalation = diagnosis.escalation
    if escalation is None:
        lines.append(f"{t['escalation']}: {t['none']}")
    else:
        parts = [
            escalation.name_en if en else escalation.name,
            t["tier"].format(tier=escalation.tier),
        ]
        if escalation.reply_hours:
            parts.append(t["reply"].format(hours=escalation.reply_hours))
        parts.append(t["within"].format(hours=escalation.deadline_hours))
        lines.append(f"{t['escalation']}: {', '.join(parts)} [{escalation.target}]")
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


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def codes(state: _State, as_json: bool) -> None:
    """List the dial-up error code catalog."""
    catalog = state.base.codes()
    if as_json:
        _echo_json([c.model_dump() for c in catalog])
        return
    for code in catalog:
        name = code.name or ""
        click.echo(f"{code.code}  {code.stage:<6} {code.problem:<30} {name:<36} {code.meaning}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def facts(state: _State, as_json: bool) -> None:
    """List the facts a ticket may give, with their allowed values."""
    found = state.base.facts()
    if as_json:
        _echo_json([f.model_dump() for f in found])
        return
    for fact in found:
        values = " | ".join(fact.choices) if fact.choices else "number"
        asked = "" if fact.askable else "  (not asked)"
        click.echo(f"{fact.name:<20} {values}{asked}\n{'':<20} {fact.question}")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rules(state: _State, as_json: bool) -> None:
    """List the loaded rules, check that they validate and that every example passes."""
    base = state.base
    loaded = base.rules()
    results = check_examples(base)
    failed = [r for r in results if not r.passed]
    if as_json:
        report = {
            "rules": [r.model_dump() for r in loaded],
            "examples": len(results),
            "failed": [str(r) for r in failed],
        }
        _echo_json(report)
    else:
        for rule in loaded:
            status = rule.status or f"-> {rule.problem}"
            click.echo(f"{rule.id:<34} {rule.salience:>5}  {status:<14} {rule.file}")
        click.echo(f"{len(loaded)} rules valid; {len(results) - len(failed)} of {len(results)} "
                   "examples pass")  # fmt: skip
        for result in failed:
            click.echo(f"FAILED {result}")
    if failed:
        sys.exit(1)


def main() -> None:
    cli(prog_name="diagnose")
