"""Broadband that does not connect, beyond the seed's six codes: scripted sessions through the
public API, each asserting the questions asked in order, the conclusion, the target and a key
phrase of what the agent does and what the customer hears."""

from __future__ import annotations

import pytest

import diagnose

CARRIERS = ["unicom", "mobile", "telecom"]
# The 691 questions the seed asks before any of these conclusions (answered "no problem").
SEED_691 = {"password_forgotten": False, "area_reports": 0, "billing_dispute": False}


def _session(kb, ticket: dict, answers: dict) -> tuple[diagnose.Session, list[str]]:
    """A session answered from ``answers`` until it asks something they do not hold."""
    session = diagnose.Session(ticket, knowledge=kb)
    asked: list[str] = []
    while (question := session.next_question()) is not None and question.fact in answers:
        assert question.fact not in asked
        asked.append(question.fact)
        session.answer(question.fact, answers[question.fact])
    return session, asked


def _target(diagnosis: diagnose.Diagnosis) -> str | None:
    return diagnosis.escalation.target if diagnosis.escalation else None


# -- 1. fibre: the optical modem's lights ----------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize("light", ["los_red", "pon_abnormal"])
def test_a_fault_light_with_678_is_a_repair_order_asked_first(kb, carrier, light) -> None:
    session, asked = _session(kb, {"error_code": 678, "carrier": carrier,
                                   "facts": {"fibre_access": True}}, {"ont_light": light})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["ont_light"]  # before the restart and the LINE port
    assert session.next_question() is None
    assert (diagnosis.problem, diagnosis.status) == ("broadband.no_response", "escalate")
    assert _target(diagnosis) == "repair_dispatch"
    assert diagnosis.cause == "no_response.optical_line"
    assert "LOS" in diagnosis.next_step.text and "记录" in diagnosis.next_step.text
    assert "光纤线路" in diagnosis.wording and "小时" not in diagnosis.wording


def test_a_red_los_outweighs_the_home_checks_already_answered(kb) -> None:
    ticket = {"error_code": 651, "facts": {"ont_light": "los_red", "modem_restarted": False,
                                           "line_in_line_port": False}}  # fmt: skip
    diagnosis = kb.diagnose(ticket)  # a code and a red light: no conflict, the light wins
    assert diagnosis.next_step.id == "light.repair"
    assert _target(diagnosis) == "repair_dispatch"


def test_lights_normal_go_on_with_the_seeds_checks(kb) -> None:
    session, asked = _session(kb, {"error_code": 678, "facts": {"fibre_access": True}},
                              {"ont_light": "normal", "line_in_line_port": True,
                               "modem_restarted": True})  # fmt: skip
    assert asked == ["ont_light", "line_in_line_port", "modem_restarted"]
    diagnosis = session.diagnosis
    assert (diagnosis.status, diagnosis.cause) == ("escalate", "no_response.line_fault")
    assert diagnosis.next_step.id == "repair.dispatch"


def test_no_power_light_is_the_customers_supply(kb) -> None:
    session, asked = _session(kb, {"error_code": 651, "facts": {"fibre_access": True}},
                              {"ont_light": "power_off"})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["ont_light"]
    assert (diagnosis.status, _target(diagnosis)) == ("self_service", None)
    assert "电源" in diagnosis.wording


def test_without_fibre_the_seeds_678_session_asks_as_before(kb) -> None:
    session, asked = _session(kb, {"error_code": 678},
                              {"line_in_line_port": True, "modem_restarted": False})  # fmt: skip
    assert asked == ["line_in_line_port", "modem_restarted"]
    assert "ont_light" not in [q.fact for q in session.diagnosis.questions]


@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_red_light_read_from_the_note_with_no_code_is_a_repair_order(kb, carrier) -> None:
    session, asked = _session(kb, {"text": "客户说光猫LOS灯红", "carrier": carrier}, {})
    diagnosis = session.diagnosis
    assert asked == [] and session.next_question() is None
    assert (diagnosis.problem, diagnosis.status) == ("broadband.offline", "escalate")
    assert _target(diagnosis) == "repair_dispatch"
    assert diagnosis.facts["ont_light"] == "los_red"


def test_no_code_shown_on_fibre_asks_the_lights_then_repairs(kb) -> None:
    session, asked = _session(kb, {"facts": {"topic": "dialup", "fibre_access": True}},
                              {"code_shown": False, "ont_light": "pon_abnormal"})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["code_shown", "ont_light"]
    assert (diagnosis.problem, diagnosis.cause) == ("broadband.no_code", "no_code.optical_line")
    assert _target(diagnosis) == "repair_dispatch"


def test_lights_normal_and_no_code_ask_about_the_router_as_the_seed_does(kb) -> None:
    session, asked = _session(kb, {"facts": {"topic": "dialup", "fibre_access": True}},
                              {"code_shown": False, "ont_light": "normal",
                               "router_present": True})  # fmt: skip
    assert asked == ["code_shown", "ont_light", "router_present"]
    assert session.diagnosis.next_step.id == "no_code.router"


# -- 2. paid the arrears, still offline -------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
def test_paid_but_billing_still_shows_arrears_is_traced_not_paid_again(kb, carrier) -> None:
    session, asked = _session(kb, {"error_code": 691, "carrier": carrier,
                                   "facts": {"paid_recently": True}},
                              {**SEED_691, "account_status": "arrears"})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked[0] == "account_status" or asked[:2] == ["password_forgotten", "account_status"]
    assert (diagnosis.status, diagnosis.cause) == ("escalate", "auth.payment_not_posted")
    assert _target(diagnosis) == "payment_check"  # not the partner hall, not a renewal
    assert "不用重复缴费" in diagnosis.wording and "小时" not in diagnosis.wording


@pytest.mark.parametrize("carrier", CARRIERS)
def test_paid_and_restored_restart_then_the_back_office(kb, carrier) -> None:
    ticket = {"error_code": 691, "carrier": carrier, "facts": {"paid_recently": True}}
    answers = {**SEED_691, "account_status": "normal", "online_elsewhere": False}
    session, asked = _session(kb, ticket, answers)
    diagnosis = session.diagnosis
    assert asked == ["account_status", "online_elsewhere", "password_forgotten", "area_reports",
                     "billing_dispute"]  # fmt: skip
    assert (diagnosis.status, diagnosis.next_step.id) == ("self_service", "payment.restart")
    assert "重新连接" in diagnosis.wording and "分钟" not in diagnosis.wording
    assert session.next_question() is not None
    assert session.next_question().fact == "modem_restarted"  # after the restart: did it help?
    session.answer("modem_restarted", True)
    diagnosis = session.diagnosis
    assert (diagnosis.status, _target(diagnosis)) == ("escalate", "back_office")
    assert diagnosis.cause == "auth.restore_not_effective"


def test_paid_and_still_online_the_agent_resets_the_session(kb) -> None:
    session, asked = _session(kb, {"error_code": 691, "carrier": "telecom",
                                   "facts": {"paid_recently": True}},
                              {**SEED_691, "account_status": "normal",
                               "online_elsewhere": True})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["account_status", "online_elsewhere", "area_reports", "billing_dispute"]
    assert (diagnosis.status, diagnosis.next_step.id) == ("agent_action", "auth.reset_session")


def test_the_seeds_691_session_does_not_ask_about_a_payment(kb) -> None:
    session, asked = _session(kb, {"error_code": 691, "carrier": "unicom"},
                              {**SEED_691, "account_status": "normal",
                               "online_elsewhere": False})  # fmt: skip
    assert asked == ["password_forgotten", "account_status", "online_elsewhere", "area_reports",
                     "billing_dispute"]  # fmt: skip
    assert session.diagnosis.next_step.id == "auth.retype"


# -- 4. a new router: the modem's mode decides how it dials ------------------------------------


@pytest.mark.parametrize(
    ("mode", "step", "phrase"),
    [("bridge", "router.pppoe", "宽带拨号"), ("router", "router.dhcp", "自动获取IP地址")],
)
def test_a_new_router_with_no_code_is_set_up_for_the_modems_mode(kb, mode, step, phrase) -> None:
    session, asked = _session(kb, {"facts": {"topic": "dialup", "router_new": True}},
                              {"code_shown": False, "modem_mode": mode})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["code_shown", "modem_mode"]
    assert (diagnosis.problem, diagnosis.status) == ("broadband.no_code", "self_service")
    assert diagnosis.next_step.id == step and phrase in diagnosis.wording
    assert session.next_question() is None


def test_a_new_router_read_from_the_note(kb) -> None:
    diagnosis = kb.diagnose({"text": "新买的路由器装上后上不了网,没有报错,光猫是桥接模式"})
    assert diagnosis.next_step.id == "router.pppoe"


def test_without_a_new_router_the_seeds_router_step_stands(kb) -> None:
    session, asked = _session(kb, {"facts": {"topic": "dialup"}},
                              {"code_shown": False, "router_present": True})  # fmt: skip
    assert asked == ["code_shown", "router_present"]
    assert session.diagnosis.next_step.id == "no_code.router"
    assert "直接插到电脑" in session.diagnosis.wording


# -- 6. 691 after a move or new equipment -------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize(
    "change",
    [{"recent_change": "moved"}, {"recent_change": "new_modem"}, {"router_new": True}],
)
def test_691_after_a_change_goes_to_the_back_office_to_rebind(kb, carrier, change) -> None:
    session, asked = _session(kb, {"error_code": 691, "carrier": carrier, "facts": change},
                              {**SEED_691, "account_status": "normal",
                               "online_elsewhere": False})  # fmt: skip
    diagnosis = session.diagnosis
    assert asked == ["password_forgotten", "account_status", "online_elsewhere", "area_reports",
                     "billing_dispute"]  # fmt: skip
    assert (diagnosis.status, diagnosis.cause) == ("escalate", "auth.binding")
    assert _target(diagnosis) == "back_office"
    assert "MAC" in diagnosis.next_step.text and "新地址" in diagnosis.next_step.text
    assert "重新登记" in diagnosis.wording and "绑定" not in diagnosis.wording


def test_691_after_a_move_with_a_forgotten_password_verifies_identity_first(kb) -> None:
    session, asked = _session(kb, {"error_code": 691, "facts": {"recent_change": "moved"}},
                              {"password_forgotten": True})  # fmt: skip
    assert asked == ["password_forgotten"]
    assert session.diagnosis.next_step.id == "auth.verify_caller"


# -- 7. a known outage in the area ------------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize("code", [None, 678, 691, 734])
def test_a_recorded_outage_comes_before_any_home_check(kb, carrier, code) -> None:
    ticket = {"carrier": carrier, "facts": {"topic": "dialup", "area_outage": True}}
    if code is not None:
        ticket["error_code"] = code
    session, asked = _session(kb, ticket, {})
    diagnosis = session.diagnosis
    assert asked == [] and session.next_question() is None
    assert (diagnosis.status, diagnosis.next_step.id) == ("escalate", "area.outage")
    assert _target(diagnosis) == "network_ops"
    assert "区域" in diagnosis.wording and "按规定时限" in diagnosis.wording
    assert "小时" not in diagnosis.wording and "割接" not in diagnosis.wording


def test_an_outage_read_from_the_note(kb) -> None:
    diagnosis = kb.diagnose({"text": "宽带上不了网 该片区有割接"})
    assert (diagnosis.problem, diagnosis.next_step.id) == ("broadband.offline", "area.outage")


def test_no_outage_on_record_leaves_the_seeds_flow(kb) -> None:
    session, asked = _session(kb, {"error_code": 734, "facts": {"area_outage": False}},
                              {"connection_recreated": False, "area_reports": 0})  # fmt: skip
    assert asked == ["connection_recreated", "area_reports"]
    assert session.diagnosis.next_step.id == "link.recreate"
