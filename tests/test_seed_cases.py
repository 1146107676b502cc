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
    # the operator side only once the customer re-read the code and it is 796
    ({"error_code": 796, "facts": {"nic_listed": True, "card_enabled": True, "code_confirmed": True}},
     "broadband.nic_disabled", "escalate", "back_office"),
    ({"error_code": 796, "facts": {"nic_listed": True, "card_enabled": True, "code_confirmed": False}},
     "broadband.nic_disabled", "self_service", NONE),
    ({"error_code": 796, "facts": {"nic_listed": True, "card_enabled": True}},
     "broadband.nic_disabled", "self_service", NONE),
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
    ({"carrier": "telecom", "facts": {"topic": "password", "service": "broadband", "caller_verified": False}},
     "password.broadband", "escalate", "business_hall"),
    # Unicom 2.2.1: a valid ID or the password, the initial password excepted
    ({"carrier": "unicom", "facts": {"service": "broadband", "caller_verified": False}},
     "password.broadband", "need_info", NONE),
    ({"carrier": "unicom", "facts": {"service": "broadband", "caller_verified": False, "caller_password": "correct"}},
     "password.broadband", "agent_action", NONE),
    ({"carrier": "unicom", "facts": {"service": "broadband", "caller_verified": False, "caller_password": "initial"}},
     "password.broadband", "escalate", "business_hall"),
    # Q18 and the 10086 code table: service password, per carrier, handset and state first
    ({"carrier": "unicom", "facts": {"topic": "password", "service": "mobile"}},
     "password.service", "need_info", NONE),
    ({"carrier": "unicom", "facts": {"service": "mobile", "has_handset": True}},
     "password.service", "self_service", NONE),
    ({"carrier": "unicom", "facts": {"service": "mobile", "has_handset": False}},
     "password.service", "escalate", "business_hall"),
    ({"carrier": "mobile", "facts": {"service": "mobile", "has_handset": True}},
     "password.service", "need_info", NONE),
    ({"carrier": "mobile", "facts": {"service": "mobile", "has_handset": True, "account_status": "normal"}},
     "password.service", "self_service", NONE),
    ({"carrier": "mobile", "facts": {"service": "mobile", "has_handset": True, "account_status": "arrears"}},
     "password.service", "self_service", NONE),
    ({"carrier": "telecom", "facts": {"topic": "password", "service": "mobile"}},
     "password.service", "need_info", NONE),
    ({"carrier": "telecom", "facts": {"service": "mobile", "caller_verified": True}},
     "password.service", "agent_action", NONE),
    # Q16-Q19: handset business hall
    ({"facts": {"topic": "handset_login", "initial_password": True}}, "handset.login", "need_info", NONE),
    ({"facts": {"topic": "handset_login", "initial_password": True, "has_handset": True}}, "handset.login",
     "self_service", NONE),
    # the facts that belong to one topic imply it, with no code and no topic given
    ({"facts": {"initial_password": True, "has_handset": True}}, "handset.login", "self_service", NONE),
    ({"facts": {"login_channel": "app", "device": "feature_phone"}}, "handset.login", "self_service", NONE),
    # a check's answer alone does not say what the call is about: the topic is asked
    ({"facts": {"device": "smartphone"}}, "unknown", "need_info", NONE),
    ({"facts": {"code_shown": False, "router_present": True}}, "broadband.no_code", "self_service", NONE),
    ({"facts": {"service": "broadband", "caller_verified": True}}, "password.broadband", "agent_action", NONE),
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
    ("carrier", "facts", "must_say", "must_not"),
    [
        ("unicom", {"has_handset": True}, ["1001031", "401", "405", "10010"], ["10086", "10001"]),
        ("mobile", {"has_handset": True, "account_status": "normal"}, ["CZMM#", "BGMM#", "10086"],
         ["10010", "10001"]),
        ("telecom", {"caller_verified": True}, [], ["10001", "10010", "10086"]),
    ],
)  # fmt: skip
def test_service_password_wording_names_only_the_carriers_own_channels(
    kb, carrier, facts, must_say, must_not
) -> None:
    ticket = {"carrier": carrier, "facts": {"service": "mobile", **facts}}
    wording = kb.diagnose(ticket).wording
    assert all(word in wording for word in must_say), wording
    assert not [word for word in must_not if word in wording], wording


@pytest.mark.parametrize(
    ("carrier", "hours", "reply", "limit"),
    [("telecom", "在3小时内", 3, "source"),  # a billing dispute is a complaint: 3 h / 72 h
     ("unicom", "在24小时内", 24, "default"),  # Q4: answered within 24 h; no closing time
     ("mobile", "按规定时限", None, "default")],  # no source: no hour at all
)  # fmt: skip
def test_escalation_wording_says_by_when_as_the_carrier_gives_it(kb, carrier, hours, reply,
                                                                 limit) -> None:  # fmt: skip
    diagnosis = kb.diagnose({"carrier": carrier, "error_code": 691,
                             "facts": {"billing_dispute": True}})  # fmt: skip
    escalation = diagnosis.escalation
    assert escalation is not None
    assert (escalation.limit, escalation.reply_hours) == (limit, reply)
    assert hours in diagnosis.wording
    if reply is None:
        assert "小时" not in diagnosis.wording


@pytest.mark.parametrize("carrier", ["unicom", "mobile", "telecom"])
def test_repairs_and_area_faults_promise_no_hour_no_source_gives(kb, carrier) -> None:
    for ticket in ({"error_code": 734, "facts": {"area_reports": 9}},
                   {"error_code": 678, "facts": {"modem_restarted": True, "line_in_line_port": True}}):  # fmt: skip
        diagnosis = kb.diagnose({**ticket, "carrier": carrier})
        assert diagnosis.escalation is not None and diagnosis.escalation.limit == "default"
        assert "小时" not in diagnosis.wording and "按规定时限" in diagnosis.wording


def test_every_catalogued_code_gets_a_step_not_unknown(kb) -> None:
    for code in kb.codes():
        diagnosis = kb.diagnose({"error_code": code.code})
        assert diagnosis.problem == code.problem
        assert diagnosis.status != "unknown", code.code


def test_a_code_outside_the_catalog_gets_a_generic_step(kb) -> None:
    diagnosis = kb.diagnose({"error_code": 123})
    assert diagnosis.status == "unknown"
    assert diagnosis.next_step.id == "unknown.generic"


@pytest.mark.parametrize(
    ("carrier", "prior", "step", "target", "reply"),
    [
        ("unicom", "back_office", "ladder.provincial", "provincial_center", 48),  # Q4
        ("telecom", "back_office", "ladder.provincial", "provincial_center", None),
        ("telecom", "provincial_center", "ladder.national", "national_center", None),
        ("unicom", "provincial_center", "ladder.follow_up", None, None),  # no source past it
        ("mobile", "back_office", "ladder.follow_up", None, None),  # no source for Mobile
    ],
)  # fmt: skip
def test_the_ladder_goes_only_where_the_carriers_source_leads(kb, carrier, prior, step, target,
                                                              reply) -> None:  # fmt: skip
    diagnosis = kb.diagnose({"carrier": carrier, "error_code": 691,
                             "facts": {"prior_escalation": prior}})  # fmt: skip
    assert diagnosis.next_step.id == step
    escalation = diagnosis.escalation
    assert (escalation.target if escalation else None) == target
    assert (escalation.reply_hours if escalation else None) == reply
    assert escalation is None or escalation.limit == "default"  # no closing time promised
    if target is None:
        assert "按规定时限" in diagnosis.wording and "小时" not in diagnosis.wording


@pytest.mark.parametrize("carrier", ["unicom", "telecom"])
def test_no_password_change_while_suspended_is_china_mobiles_rule_only(kb, carrier) -> None:
    ticket = {"carrier": carrier, "facts": {"service": "mobile", "account_status": "arrears"}}
    assert kb.diagnose(ticket).cause != "service_password.suspended"


def test_area_wide_escalation_only_where_a_source_speaks_of_it(kb) -> None:
    assert kb.diagnose({"error_code": 678, "facts": {"area_reports": 30}}).escalation is None
    assert "broadband.no_response" not in kb.knowledge.settings.area_problems
    assert "thresholds.area_incident" in kb.knowledge.settings.local_policy


def test_with_a_router_the_connection_is_created_on_the_computer(kb) -> None:
    diagnosis = kb.diagnose({"facts": {"code_shown": False, "router_present": True}})
    assert "新建" in diagnosis.wording and "直接插到电脑" in diagnosis.wording


def test_unicom_customers_hear_the_wap_address_and_how_to_get_the_app(kb) -> None:
    app = kb.diagnose({"carrier": "unicom", "facts": {"login_channel": "app",
                                                      "device": "smartphone"}})  # fmt: skip
    assert "406" in app.wording and "10010" in app.wording and "发送给您" not in app.wording
    wap = kb.diagnose({"carrier": "unicom", "facts": {"login_channel": "wap"}})
    assert "wap.10010.com" in wap.wording
    other = kb.diagnose({"carrier": "mobile", "facts": {"login_channel": "wap"}})
    assert "10010" not in other.wording
