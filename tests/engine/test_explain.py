"""From the rules that fired to a Diagnosis: which conclusion stands, the problem, and the
wording filled for the carrier and the escalation target."""

from __future__ import annotations

import pytest

import diagnose


def test_the_highest_salience_decides(kb) -> None:
    # auth.billing (70) outranks auth.renewal (60); both fire
    diagnosis = kb.diagnose({"error_code": 691, "facts": {"account_status": "arrears",
                                                            "billing_dispute": True}})  # fmt: skip
    assert {"auth.billing", "auth.renewal"} <= {t.rule for t in diagnosis.trace}
    assert diagnosis.escalation is not None and diagnosis.escalation.target == "marketing_dept"


def test_need_info_with_nothing_left_to_ask_is_not_covered(kb) -> None:
    session = diagnose.Session({}, knowledge=kb)
    while (question := session.next_question()) is not None:
        session.skip(question.fact)
    assert session.diagnosis.status == "unknown"
    assert session.diagnosis.next_step.id == kb.knowledge.settings.unknown_step


@pytest.mark.parametrize("carrier", ["telecom", "unicom", "mobile"])
def test_wording_is_filled_for_the_carrier_and_the_target(kb, carrier) -> None:
    diagnosis = kb.diagnose({"carrier": carrier, "error_code": 734,
                             "facts": {"area_reports": 9}})  # fmt: skip
    escalation = diagnosis.escalation
    assert escalation is not None
    assert escalation.name in diagnosis.wording and escalation.name_en in diagnosis.wording_en
    promised = f"在{escalation.reply_hours or escalation.deadline_hours}小时内"
    assert (promised in diagnosis.wording) == (escalation.limit != "default")
    assert "{" not in diagnosis.wording + diagnosis.wording_en


def test_the_problem_is_in_the_facts_even_when_unknown(kb) -> None:
    diagnosis = kb.diagnose({"error_code": 123})
    assert diagnosis.problem == diagnosis.facts["problem"] == "unknown"
    assert diagnosis.cause is None and diagnosis.escalation is None


def test_a_ticket_that_decides_two_problems_names_the_facts_on_each_side(kb) -> None:
    with pytest.raises(diagnose.TicketError) as caught:
        kb.diagnose({"error_code": 676, "facts": {"topic": "dialup", "code_shown": False}})
    (issue,) = caught.value.issues
    assert issue.field == "error_code & facts.topic & facts.code_shown"
    assert "topic=dialup, code_shown=false → broadband.no_code (intake.no_code)" in issue.message
    assert "error_code=676 → broadband.too_many_attempts" in issue.message


def test_a_fact_that_follows_from_the_code_is_named_with_the_code(kb) -> None:
    with pytest.raises(diagnose.TicketError) as caught:
        kb.diagnose({"error_code": 676, "facts": {"code_shown": False}})
    (issue,) = caught.value.issues
    assert issue.field == "error_code & facts.code_shown"
    assert "topic=dialup (from error_code), code_shown=false" in issue.message
