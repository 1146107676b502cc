"""Every rule carries examples: a ticket in, the expected problem, status, cause, step and
escalation out. ``check_examples`` runs them all; the test suite and ``diagnose rules``
report each mismatch with its rule and file."""

from __future__ import annotations

from dataclasses import dataclass

from ._api import KnowledgeBase, to_ticket
from ._errors import TicketError
from ._knowledge import TICKET_FIELDS, ExampleSpec
from ._models import Diagnosis, FactValue, Ticket

__all__ = ["ExampleResult", "check_examples", "example_ticket", "mismatches"]


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    file: str
    index: int
    problems: tuple[str, ...]  # empty when the example passes

    @property
    def passed(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"{self.file}: {self.rule}: example[{self.index}]"
        return head + (": ok" if self.passed else ": " + "; ".join(self.problems))


def example_ticket(given: dict[str, FactValue]) -> Ticket:
    """The flat ``given`` table as a ticket: error_code, carrier and text are ticket fields."""
    outside = (*TICKET_FIELDS, "text")
    facts = {k: v for k, v in given.items() if k not in outside}
    fields = {k: v for k, v in given.items() if k in outside}
    return to_ticket({**fields, "facts": facts})


def mismatches(rule_id: str, example: ExampleSpec, diagnosis: Diagnosis) -> list[str]:
    found = []
    fired = rule_id in [entry.rule for entry in diagnosis.trace]
    if fired != example.fires:
        found.append("the rule did not fire" if example.fires else "the rule fired")
    expect = example.expect
    target = diagnosis.escalation.target if diagnosis.escalation else "none"
    pairs = (("problem", expect.problem, diagnosis.problem),
             ("status", expect.status, diagnosis.status),
             ("cause", expect.cause, diagnosis.cause),
             ("step", expect.step, diagnosis.next_step.id),
             ("escalate", expect.escalate, target))  # fmt: skip
    for name, wanted, got in pairs:
        if wanted is not None and wanted != got:
            found.append(f"{name}: expected {wanted!r}, got {got!r}")
    return found


def check_examples(base: KnowledgeBase) -> list[ExampleResult]:
    results = []
    for rule in base.knowledge.rules:
        for index, example in enumerate(rule.spec.example):
            try:
                diagnosis = base.diagnose(example_ticket(example.given))
                problems = mismatches(rule.id, example, diagnosis)
            except TicketError as error:
                problems = [error.message]
            results.append(ExampleResult(rule.id, rule.path, index, tuple(problems)))
    return results
