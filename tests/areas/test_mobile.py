"""The mobile number, session by session: a locked service password, a suspended number and a
caller who is not the holder, verification texts that do not arrive, the app on a WAP access
point, and a locked SIM card. Each session is driven through the public API, as an agent
answers the questions: the questions come in the order asked, and the conclusion names the
carrier's own way, who takes the case over, and what the customer hears."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import KB, answer

import diagnose

NONE = None
# (ticket, the questions in order with their answers, status, target, step, a phrase the
#  customer wording holds). The answers are given in the order the engine must ask them.
SESSIONS: list[tuple[dict[str, Any], list[tuple[str, Any]], str, str | None, str, str]] = [
    # 8. a service password locked after wrong entries: China Mobile's public rule (three in a
    # day lock it for the day), the number's state first; Unicom and Telecom by local policy,
    # identity and the number's state before the agent unlocks
    ({"carrier": "mobile", "facts": {"topic": "password", "service": "mobile", "password_locked": True}},
     [("account_status", "normal")], "self_service", NONE, "password.locked_mobile", "明天"),
    ({"carrier": "mobile", "facts": {"topic": "password", "service": "mobile", "password_locked": True}},
     [("account_status", "arrears")], "self_service", NONE, "password.suspended", "停机"),
    ({"carrier": "unicom", "facts": {"topic": "password", "service": "mobile", "password_locked": True}},
     [("caller_verified", True), ("account_status", "normal")], "agent_action", NONE,
     "password.locked_unlock", "解锁"),
    ({"carrier": "telecom", "facts": {"topic": "password", "service": "mobile", "password_locked": True}},
     [("caller_verified", True), ("account_status", "arrears")], "self_service", NONE,
     "password.locked_suspended", "缴清"),
    ({"carrier": "telecom", "facts": {"topic": "password", "service": "mobile", "password_locked": True}},
     [("caller_verified", False)], "escalate", "business_hall", "password.hall", "身份证件"),
    ({"carrier": "mobile", "text": "移动手厅登录提示账号被锁定"},
     [("account_status", "normal")], "self_service", NONE, "password.locked_mobile", "明天"),
    ({"carrier": "unicom", "facts": {"topic": "handset_login", "password_locked": True}},
     [("caller_verified", True), ("account_status", "normal")], "agent_action", NONE,
     "password.locked_unlock", "解锁"),
    # 9. a number suspended for arrears changes no password (China Mobile); a caller who is
    # not the holder gets no reset: the holder goes to a hall with an ID, asked nothing more
    ({"carrier": "mobile", "facts": {"topic": "password", "service": "mobile"}},
     [("account_status", "arrears")], "self_service", NONE, "password.suspended", "停机"),
    ({"carrier": "mobile", "facts": {"topic": "password", "service": "mobile", "caller_is_holder": False}},
     [], "escalate", "business_hall", "password.not_holder", "机主本人"),
    ({"carrier": "unicom", "facts": {"topic": "password", "service": "mobile", "caller_is_holder": False}},
     [], "escalate", "business_hall", "password.not_holder", "机主本人"),
    ({"carrier": "telecom", "text": "来电人是机主的女儿,要重置服务密码"},
     [], "escalate", "business_hall", "password.not_holder", "身份证件"),
    ({"carrier": "unicom", "text": "非机主来电 手厅密码忘了 要重置"},
     [], "escalate", "business_hall", "password.not_holder", "机主本人"),
    # 10. no verification text: the number's state, then the phone one check at a time; at
    # the end Unicom's web version with the service password, the others promise no channel
    ({"carrier": "unicom", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", False), ("sms_inbox_full", False),
      ("dual_sim_mixup", False), ("signal_ok", True)], "escalate", "back_office",
     "sms.back_office_unicom", "wap.10010.com"),
    ({"carrier": "mobile", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", False), ("sms_inbox_full", False),
      ("dual_sim_mixup", False), ("signal_ok", True)], "escalate", "back_office",
     "sms.back_office", "按规定时限"),
    ({"carrier": "telecom", "facts": {"topic": "sms_code"}},
     [("account_status", "arrears")], "self_service", NONE, "sms.suspended", "缴清"),
    ({"carrier": "mobile", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", True)], "self_service", NONE, "sms.blocked",
     "白名单"),
    ({"carrier": "unicom", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", False), ("sms_inbox_full", True)],
     "self_service", NONE, "sms.inbox_full", "删除"),
    ({"carrier": "telecom", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", False), ("sms_inbox_full", False),
      ("dual_sim_mixup", True)], "self_service", NONE, "sms.dual_sim", "默认卡"),
    ({"carrier": "mobile", "facts": {"topic": "sms_code"}},
     [("account_status", "normal"), ("sms_blocked", False), ("sms_inbox_full", False),
      ("dual_sim_mixup", False), ("signal_ok", False)], "self_service", NONE, "sms.no_signal",
     "信号"),
    ({"carrier": "unicom", "facts": {}},
     [("topic", "sms_code"), ("account_status", "normal"), ("sms_blocked", True)],
     "self_service", NONE, "sms.blocked", "白名单"),
    # 11. the app on a WAP access point: each carrier's own net access point
    ({"carrier": "mobile", "facts": {"topic": "handset_login", "login_channel": "app", "device": "smartphone"}},
     [("account_status", "normal"), ("password_forgotten", False), ("initial_password", False),
      ("apn_setting", "wap")], "self_service", NONE, "handset.apn_mobile", "cmnet"),
    ({"carrier": "unicom", "facts": {"topic": "handset_login", "login_channel": "app", "device": "smartphone"}},
     [("password_forgotten", False), ("initial_password", False), ("apn_setting", "wap")],
     "self_service", NONE, "handset.apn_unicom", "带net"),
    ({"carrier": "telecom", "facts": {"topic": "handset_login", "login_channel": "app", "device": "smartphone"}},
     [("password_forgotten", False), ("initial_password", False), ("apn_setting", "wap")],
     "self_service", NONE, "handset.apn_telecom", "ctnet"),
    ({"carrier": "telecom", "facts": {"topic": "handset_login"}},
     [("login_channel", "app"), ("device", "smartphone"), ("password_forgotten", False),
      ("initial_password", False), ("apn_setting", "net")], "self_service", NONE, "handset.app",
     "最新版本"),
    # 12. a locked SIM card: still the PIN, the PUK on the card, the PUK on the call only to
    # the verified holder of a number in service, a card locked for good to the hall
    ({"carrier": "mobile", "facts": {}},
     [("topic", "sim_lock"), ("sim_lock_state", "pin")], "self_service", NONE, "sim.pin", "不要反复猜"),
    ({"carrier": "unicom", "facts": {"topic": "sim_lock"}},
     [("sim_lock_state", "puk"), ("has_card_holder", True)], "self_service", NONE,
     "sim.puk_on_card", "背面"),
    ({"carrier": "telecom", "facts": {"topic": "sim_lock"}},
     [("sim_lock_state", "puk"), ("has_card_holder", False), ("caller_verified", True),
      ("account_status", "normal")], "agent_action", NONE, "sim.puk_by_phone", "身份已核实"),
    ({"carrier": "mobile", "facts": {"topic": "sim_lock"}},
     [("sim_lock_state", "puk"), ("has_card_holder", False), ("caller_verified", False)],
     "escalate", "business_hall", "sim.hall", "身份证件"),
    ({"carrier": "unicom", "facts": {"topic": "sim_lock"}},
     [("sim_lock_state", "puk"), ("has_card_holder", False), ("caller_verified", True),
      ("account_status", "arrears")], "self_service", NONE, "sim.puk_suspended", "缴清"),
    ({"carrier": "telecom", "facts": {"topic": "sim_lock"}},
     [("sim_lock_state", "blocked")], "escalate", "business_hall", "sim.replace", "补办"),
    ({"carrier": "mobile", "facts": {"topic": "sim_lock", "caller_is_holder": False}},
     [("sim_lock_state", "puk"), ("has_card_holder", False)], "escalate", "business_hall",
     "sim.not_holder", "机主本人"),
    ({"carrier": "mobile", "text": "SIM卡提示输入PUK码,卡托早扔了"},
     [("caller_verified", True), ("account_status", "normal")], "agent_action", NONE,
     "sim.puk_by_phone", "解锁码"),
]  # fmt: skip


def _run(ticket: dict[str, Any], script: list[tuple[str, Any]]) -> diagnose.Session:
    """Answer the questions in the order asked; each must be the one the script expects."""
    session = diagnose.Session(ticket, knowledge=KB)
    for fact, value in script:
        question = session.next_question()
        assert question is not None, (fact, session.diagnosis.next_step.id)
        assert question.fact == fact, ([a.fact for a in session.answers], question.fact)
        session.answer(fact, value)
    leftover = session.next_question()
    assert leftover is None, leftover.fact
    return session


@pytest.mark.parametrize(("ticket", "script", "status", "target", "step", "phrase"), SESSIONS)
def test_session_asks_in_order_and_concludes_the_carriers_way(
    ticket, script, status, target, step, phrase
) -> None:
    diagnosis = _run(ticket, script).diagnosis
    assert (diagnosis.status, diagnosis.next_step.id) == (status, step)
    assert not diagnosis.provisional
    assert (diagnosis.escalation.target if diagnosis.escalation else None) == target
    assert phrase in diagnosis.wording or phrase in diagnosis.next_step.text, diagnosis.wording


def test_the_mobile_lock_rule_and_its_weak_passwords_are_china_mobiles_only() -> None:
    facts = {"topic": "password", "service": "mobile", "password_locked": True,
             "caller_verified": True, "account_status": "normal"}  # fmt: skip
    mobile = KB.diagnose({"carrier": "mobile", "facts": facts})
    assert mobile.cause == "service_password.locked_mobile"
    assert "六个相同的数字" in mobile.wording and "明天" in mobile.wording
    for carrier in ("unicom", "telecom"):
        other = KB.diagnose({"carrier": carrier, "facts": facts})
        assert other.cause == "service_password.locked"
        assert "明天" not in other.wording and "六个" not in other.wording


@pytest.mark.parametrize(
    ("carrier", "own", "others"),
    [("mobile", "cmnet", ["ctnet", "3gnet", "uninet"]), ("telecom", "ctnet", ["cmnet", "3gnet"]),
     ("unicom", "net", ["cmnet", "ctnet"])],
)  # fmt: skip
def test_each_carrier_hears_only_its_own_access_point(carrier, own, others) -> None:
    facts = {"topic": "handset_login", "login_channel": "app", "device": "smartphone",
             "apn_setting": "wap", "password_forgotten": False, "initial_password": False,
             "account_status": "normal"}  # fmt: skip
    diagnosis = KB.diagnose({"carrier": carrier, "facts": facts})
    assert diagnosis.cause == "handset.apn_wap"
    assert own in diagnosis.wording
    assert not [name for name in others if name in diagnosis.wording]


def test_only_unicom_customers_hear_of_another_login_with_the_service_password() -> None:
    facts = {"topic": "sms_code", "account_status": "normal", "sms_blocked": False,
             "sms_inbox_full": False, "dual_sim_mixup": False, "signal_ok": True}  # fmt: skip
    unicom = KB.diagnose({"carrier": "unicom", "facts": facts})
    assert "服务密码" in unicom.wording and "wap.10010.com" in unicom.wording
    for carrier in ("mobile", "telecom"):
        other = KB.diagnose({"carrier": carrier, "facts": facts})
        assert "服务密码" not in other.wording and "10010" not in other.wording
        assert "小时" not in other.wording  # no source gives the technicians an hour


def test_notes_about_the_number_are_read() -> None:
    cases = {
        "服务密码连续输错被锁，客户没忘密码": {"password_locked": True, "password_forgotten": False},
        "来电人非机主 要改服务密码": {"caller_is_holder": False, "service": "mobile"},
        "验证码被手机管家拦截了": {"sms_blocked": True, "topic": "sms_code"},
        "短信收件箱满了 收不到": {"sms_inbox_full": True},
        "手机没信号 收不到短信": {"signal_ok": False},
        "双卡手机 本号插在卡槽2 默认卡不是这个号": {"dual_sim_mixup": True},
        "手厅app打不开 接入点是cmwap": {"apn_setting": "wap", "topic": "handset_login"},
        "手机提示输入PUK码 卡板扔了": {"sim_lock_state": "puk", "has_card_holder": False,
                                   "topic": "sim_lock"},
        "PUK输错10次 sim卡报废了": {"sim_lock_state": "blocked"},
    }  # fmt: skip
    for text, expected in cases.items():
        facts = KB.diagnose({"text": text}).facts
        assert {name: facts.get(name) for name in expected} == expected, text


# What an unlock by the agent needs settled first: the caller verified as the holder, and
# the number in service.
UNLOCKS = {"sim.puk_by_phone", "service_password.locked", "handset.locked"}
UNLOCK_NEEDS = {"caller_verified": True, "account_status": "normal"}
RESETS = {"service_password.forgotten", "handset.forgotten", "handset.initial_password"}
STARTS = {
    "puk": {"topic": "sim_lock", "sim_lock_state": "puk"},
    "lock": {"topic": "password", "service": "mobile", "password_locked": True},
    "login": {"topic": "handset_login", "password_locked": True},
}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["unicom", "mobile", "telecom"]), st.sampled_from(sorted(STARTS)),
       st.data())  # fmt: skip
def test_no_unlock_before_identity_and_the_numbers_state(carrier, start, data) -> None:
    session = diagnose.Session({"carrier": carrier, "facts": STARTS[start]}, knowledge=KB)
    while True:
        diagnosis = session.diagnosis
        if diagnosis.cause in UNLOCKS and not diagnosis.provisional:
            assert {name: diagnosis.facts.get(name) for name in UNLOCK_NEEDS} == UNLOCK_NEEDS
        question = session.next_question()
        if question is None:
            break
        value = data.draw(answer(question), label=question.fact)
        if value is None:
            session.skip(question.fact)
        else:
            session.answer(question.fact, value)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["unicom", "mobile", "telecom"]),
       st.sampled_from([{"topic": "password", "service": "mobile"},
                        {"topic": "handset_login", "password_forgotten": True},
                        {"topic": "handset_login", "initial_password": True},
                        {"topic": "handset_login", "password_locked": True},
                        {"topic": "sim_lock", "sim_lock_state": "puk", "has_card_holder": False}]),
       st.data())  # fmt: skip
def test_a_caller_who_is_not_the_holder_gets_no_reset_or_unlock(carrier, facts, data) -> None:
    ticket = {"carrier": carrier, "facts": {**facts, "caller_is_holder": False}}
    session = diagnose.Session(ticket, knowledge=KB)
    while True:
        assert session.diagnosis.cause not in RESETS | UNLOCKS, session.diagnosis.cause
        question = session.next_question()
        if question is None:
            break
        value = data.draw(answer(question), label=question.fact)
        if value is None:
            session.skip(question.fact)
        else:
            session.answer(question.fact, value)
    assert session.diagnosis.escalation is not None
    assert session.diagnosis.escalation.target == "business_hall"
