"""The cases of 《客服应知应会材料》 Q10-Q18 and the password channels of every carrier, as an
agent would enter them: the problem, status and escalation target they must get."""

from __future__ import annotations

import pytest

NONE = None
CASES = [
    # Q10: 678/651
    ({"error_code": 678}, "broadband.no_response", "self_service", NONE),
    ({"error_code": 651}, "broadband.no_response", "self_service", NONE),
    ({"error_code": 678, "facts": {"modem_restarted": True, "line_in_line_port": False}},
     "broadband.no_response", "self_service", NONE),
    ({"error_code": 651, "facts": {"modem_restarted": True, "line_in_line_port": True}},
     "broadband.no_response", "escalate", "repair_dispatch"),
    # Q11: 691/619/629 and each sub-cause
    ({"error_code": 691}, "broadband.auth_failed", "need_info", NONE),
    ({"error_code": 619, "facts": {"account_status": "normal", "online_elsewhere": False,
                                   "password_forgotten": False}},
     "broadband.auth_failed", "self_service", NONE),
    ({"error_code": 691, "facts": {"password_forgotten": True, "caller_verified": True}},
     "broadband.auth_failed", "agent_action", NONE),
    ({"error_code": 691, "facts": {"password_forgotten": True, "caller_verified": False}},
     "broadband.auth_failed", "escalate", "business_hall"),
    ({"error_code": 629, "facts": {"account_status": "arrears"}},
     "broadband.auth_failed", "escalate", "partner_hall"),
    ({"error_code": 691, "facts": {"account_status": "expired"}},
     "broadband.auth_failed", "escalate", "partner_hall"),
    ({"error_code": 691, "facts": {"billing_dispute": True}},
     "broadband.auth_failed", "escalate", "marketing_dept"),
    ({"error_code": 691, "facts": {"online_elsewhere": True}},
     "broadband.auth_failed", "agent_action", NONE),
    # Q12: 676
    ({"error_code": 676}, "broadband.too_many_attempts", "self_service", NONE),
    # Q13: 796 as the seed writes it, 769 as Windows does
    ({"error_code": 796}, "broadband.nic_disabled", "self_service", NONE),
    ({"error_code": 769}, "broadband.nic_disabled", "self_service", NONE),
    ({"error_code": 769, "facts": {"nic_listed": False}}, "broadband.nic_disabled", "self_service", NONE),
    ({"error_code": 796, "facts": {"nic_listed": True, "card_enabled": True}},
     "broadband.nic_disabled", "escalate", "back_office"),
    # Q14: 734, with and without an area-wide fault
    ({"error_code": 734}, "broadband.connection_broken", "self_service", NONE),
    ({"error_code": 734, "facts": {"area_reports": 30}},
     "broadband.connection_broken", "escalate", "network_ops"),
    # Q15: no code, with and without a router
    ({"facts": {"topic": "dialup", "code_shown": False, "router_present": False}},
     "broadband.no_code", "self_service", NONE),
    ({"facts": {"topic": "dialup", "code_shown": False, "router_present": True}},
     "broadband.no_code", "self_service", NONE),
    # Q11 / 2.2.1: broadband password
    ({"facts": {"topic": "password", "service": "broadband", "caller_verified": True}},
     "password.broadband", "agent_action", NONE),
    ({"facts": {"topic": "password", "service": "broadband", "caller_verified": False}},
     "password.broadband", "escalate", "business_hall"),
    # Q18 and the 10086 code table: service password, per carrier
    ({"carrier": "unicom", "facts": {"topic": "password", "service": "mobile"}},
     "password.service", "self_service", NONE),
    ({"carrier": "mobile", "facts": {"topic": "password", "service": "mobile"}},
     "password.service", "self_service", NONE),
    ({"carrier": "telecom", "facts": {"topic": "password", "service": "mobile"}},
     "password.service", "self_service", NONE),
    # Q16-Q19: handset business hall
    ({"facts": {"topic": "handset_login", "initial_password": True}}, "handset.login", "self_service", NONE),
    ({"facts": {"topic": "handset_login", "login_channel": "app", "device": "feature_phone"}},
     "handset.login", "self_service", NONE),
    ({"facts": {"topic": "handset_login", "login_channel": "wap"}}, "handset.login", "self_service", NONE),
    # outside the catalog
    ({"error_code": 999}, "unknown", "unknown", NONE),
]  # fmt: skip


@pytest.mark.parametrize(("ticket", "problem", "status", "target"), CASES)
def test_seed_case(kb, ticket, problem, status, target) -> None:
    diagnosis = kb.diagnose(ticket)
    assert (diagnosis.problem, diagnosis.status) == (problem, status)
    assert (diagnosis.escalation.target if diagnosis.escalation else None) == target


@pytest.mark.parametrize(
    ("carrier", "must_say"),
    [("unicom", "1001031"), ("mobile", "CZMM#"), ("telecom", "10001")],
)
def test_service_password_wording_names_the_carriers_own_channel(kb, carrier, must_say) -> None:
    ticket = {"carrier": carrier, "facts": {"topic": "password", "service": "mobile"}}
    assert must_say in kb.diagnose(ticket).wording


def test_escalation_wording_says_by_when(kb) -> None:
    diagnosis = kb.diagnose({"error_code": 734, "facts": {"area_reports": 9}})
    assert diagnosis.escalation is not None
    assert f"{diagnosis.escalation.deadline_hours}小时" in diagnosis.wording
    assert diagnosis.escalation.name in diagnosis.wording


def test_every_catalogued_code_gets_a_step_not_unknown(kb) -> None:
    for code in kb.codes():
        diagnosis = kb.diagnose({"error_code": code.code})
        assert diagnosis.problem == code.problem
        assert diagnosis.status != "unknown", code.code


def test_a_code_outside_the_catalog_gets_a_generic_step(kb) -> None:
    diagnosis = kb.diagnose({"error_code": 123})
    assert diagnosis.status == "unknown"
    assert diagnosis.next_step.id == "unknown.generic"
