"""Every rule's own examples: the ticket in, the expected problem, status and escalation out."""

from __future__ import annotations

import pytest

import diagnose
from diagnose._examples import example_ticket, mismatches

KB = diagnose.load()
CASES = [
    pytest.param(rule, index, example, id=f"{rule.id}[{index}]")
    for rule in KB.knowledge.rules
    for index, example in enumerate(rule.spec.example)
]


@pytest.mark.parametrize(("rule", "index", "example"), CASES)
def test_rule_example(rule, index, example) -> None:
    diagnosis = KB.diagnose(example_ticket(example.given))
    assert mismatches(rule.id, example, diagnosis) == []


def test_check_examples_reports_a_wrong_expectation() -> None:
    rule = KB.knowledge.rules[-1]
    example = rule.spec.example[0].model_copy(
        update={"expect": rule.spec.example[0].expect.model_copy(update={"status": "unknown"})}
    )
    found = mismatches(rule.id, example, KB.diagnose(example_ticket(example.given)))
    assert any(message.startswith("status: expected 'unknown'") for message in found)
