"""The dial-up error code catalog: every code a customer can read out gets a known problem,
a first step they can follow on Windows 10/11, and plain words to hear."""

from __future__ import annotations

import pytest

import diagnose

KB = diagnose.load()
CODES = [code.code for code in KB.codes()]
# the first steps that name no code: what a problem says before any code is known
GENERIC = {"intake.ask_topic", "intake.ask_code_shown", "intake.ask_code", "unknown.generic"}


def test_the_catalog_holds_every_code_a_customer_can_see() -> None:
    assert len(CODES) >= 60
    assert len(set(CODES)) == len(CODES)
    assert all(code.meaning and code.meaning_en and code.source for code in KB.codes())


@pytest.mark.parametrize("code", CODES)
def test_each_code_has_a_known_problem_and_a_first_step(code: int) -> None:
    diagnosis = KB.diagnose({"error_code": code})
    assert diagnosis.problem != "unknown"
    assert diagnosis.status in {"self_service", "agent_action", "escalate", "need_info"}
    assert diagnosis.next_step.id not in GENERIC
    assert diagnosis.wording


@pytest.mark.parametrize("code", CODES)
def test_the_customer_hears_no_system_names(code: int) -> None:
    wording = KB.diagnose({"error_code": code}).wording
    language = KB.knowledge.language
    said = [
        word for word in [*language.jargon, *language.forbidden] if word.lower() in wording.lower()
    ]
    assert not said


def test_a_code_outside_the_catalog_is_unknown_not_guessed() -> None:
    assert 645 not in CODES
    assert KB.diagnose({"error_code": 645}).problem == "unknown"


@pytest.mark.parametrize("carrier", ["telecom", "unicom", "mobile"])
def test_a_device_code_leads_through_the_home_checks_to_a_repair_order(carrier: str) -> None:
    session = diagnose.Session({"error_code": 630, "carrier": carrier}, knowledge=KB)
    assert session.diagnosis.status == "self_service"
    assert session.diagnosis.next_step.id == "codes.check_modem"
    asked = []
    while (question := session.next_question()) is not None:
        asked.append(question.fact)
        session.answer(question.fact, True)
    assert asked == ["modem_restarted", "line_in_line_port"]
    diagnosis = session.diagnosis
    assert diagnosis.status == "escalate"
    assert diagnosis.escalation.target == "repair_dispatch"
    assert "错误代码" in diagnosis.next_step.text  # what to record names the code


def test_a_link_code_is_redialled_first() -> None:
    diagnosis = KB.diagnose({"error_code": 718})
    assert (diagnosis.problem, diagnosis.status) == ("broadband.link_fault", "self_service")
    assert diagnosis.next_step.id == "codes.redial_link"
