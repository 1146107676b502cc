"""The home network around a working broadband line, as scripted sessions: a forgotten
WiFi key, a weak WiFi signal, WiFi connected but no internet (handed to the dial-up flow
when a wired computer fails too), slow speed with a wired speed test, and some sites not
opening (DNS). Each session answers the questions the engine asks, in the order it asks
them, and checks where it ends, per carrier where that differs."""

from __future__ import annotations

import pytest

import diagnose

KB = diagnose.load()
CARRIERS = ["unicom", "mobile", "telecom"]
# Facts of an account reset: a WiFi key call never asks them.
ACCOUNT_RESET = {"service", "caller_verified", "caller_password", "has_handset", "account_status"}


def _run(carrier: str, script: list[tuple[str, object]]) -> diagnose.Session:
    """A session that answers the questions in the order the engine asks them; every
    scripted fact must be the one asked next."""
    session = diagnose.Session({"carrier": carrier}, knowledge=KB)
    for fact, value in script:
        question = session.next_question()
        assert question is not None, (fact, session.diagnosis.status)
        assert question.fact == fact, (question.fact, fact)
        assert session.diagnosis.status == "need_info" or session.diagnosis.provisional
        session.answer(fact, value)
    return session


def _asked(session: diagnose.Session) -> list[str]:
    return [answer.fact for answer in session.answers]


# -- WiFi: a forgotten WiFi key ------------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_forgotten_wifi_key_is_read_off_the_label_and_no_account_is_reset(carrier) -> None:
    session = _run(carrier, [("topic", "wifi"), ("wifi_issue", "password")])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.problem, d.status, d.escalation) == ("home.wifi_password", "self_service", None)
    assert d.next_step.id == "home.wifi_password" and "标签" in d.next_step.text
    assert "标签" in d.wording and "不需要重置账号" in d.wording
    assert "恢复出厂" in d.wording  # the customer is told not to reset the device
    assert not ACCOUNT_RESET & set(_asked(session))


@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_note_about_the_wifi_password_never_starts_an_account_reset(carrier) -> None:
    session = diagnose.Session({"carrier": carrier, "text": "客户wifi密码忘了"}, knowledge=KB)
    d = session.diagnosis
    assert (d.facts["topic"], d.problem, d.status) == ("wifi", "home.wifi_password", "self_service")
    assert session.next_question() is None
    assert d.next_step.id not in {"auth.reset_password", "auth.verify_caller", "password.hall"}
    assert "重置" not in d.next_step.id


# -- WiFi: a weak signal -------------------------------------------------------------------


def test_a_weak_signal_is_distance_walls_and_the_band() -> None:
    session = _run("mobile", [("topic", "wifi"), ("wifi_issue", "signal")])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.problem, d.status, d.cause, d.escalation) == (
        "home.wifi_signal", "self_service", "home.wifi_range", None)  # fmt: skip
    assert "2.4 GHz" in d.next_step.text and "5 GHz" in d.next_step.text
    assert "墙" in d.wording and "两个WiFi名称" in d.wording


# -- WiFi connected but no internet --------------------------------------------------------


def test_wifi_without_internet_asks_for_a_wired_test_first() -> None:
    session = _run("unicom", [("topic", "wifi"), ("wifi_issue", "no_internet")])
    d = session.diagnosis
    assert (d.problem, d.status, d.next_step.id) == (
        "home.wifi_no_internet", "need_info", "home.wifi_test_wired")  # fmt: skip
    assert session.next_question().fact == "wired_ok"
    assert "网线" in d.wording


@pytest.mark.parametrize("carrier", CARRIERS)
def test_wired_works_so_the_wifi_side_is_handled(carrier) -> None:
    session = _run(carrier, [("topic", "wifi"), ("wifi_issue", "no_internet"), ("wired_ok", True)])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.problem, d.status, d.cause, d.escalation) == (
        "home.wifi_no_internet", "self_service", "home.wifi_side", None)  # fmt: skip
    assert "忘记" in d.wording and "宽带是正常的" in d.wording


@pytest.mark.parametrize("carrier", CARRIERS)
def test_wired_fails_too_so_the_dial_up_flow_takes_over(carrier) -> None:
    session = _run(carrier, [("topic", "wifi"), ("wifi_issue", "no_internet"),
                             ("wired_ok", False), ("router_present", True)])  # fmt: skip
    d = session.diagnosis
    assert _asked(session) == ["topic", "wifi_issue", "wired_ok", "router_present"]
    assert session.next_question() is None
    assert (d.problem, d.status, d.next_step.id) == ("broadband.no_code", "self_service",
                                                     "no_code.router")  # fmt: skip
    assert "错误代码" in d.wording  # the customer reads out the dial-up code
    assert d.cause != "home.wifi_side"


def test_wired_fails_without_a_router_creates_the_dial_up_connection() -> None:
    session = _run("telecom", [("topic", "wifi"), ("wifi_issue", "no_internet"),
                               ("wired_ok", False), ("router_present", False)])  # fmt: skip
    d = session.diagnosis
    assert (d.problem, d.next_step.id) == ("broadband.no_code", "no_code.create")
    assert "宽带连接" in d.wording


def test_a_code_on_the_wired_computer_goes_to_that_code() -> None:
    ticket = {"carrier": "unicom", "error_code": 678,
              "facts": {"topic": "wifi", "wifi_issue": "no_internet", "wired_ok": False}}  # fmt: skip
    d = KB.diagnose(ticket)
    assert (d.problem, d.status, d.next_step.id) == ("broadband.no_response", "self_service",
                                                     "no_response.restart")  # fmt: skip


# -- slow speed, lag and drops -------------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
def test_slow_on_a_wired_test_is_a_repair_order_with_the_figures(carrier) -> None:
    session = _run(carrier, [("topic", "speed"), ("speed_test", "wired_slow")])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.problem, d.status, d.cause) == ("home.slow", "escalate", "home.slow_line")
    assert d.escalation is not None and d.escalation.target == "repair_dispatch"
    for recorded in ("实测下载/上传速率", "有线还是WiFi", "时间"):
        assert recorded in d.next_step.text
    assert "维修人员" in d.wording and "按规定时限" in d.wording and "小时" not in d.wording


def test_the_speed_question_comes_with_the_test_method() -> None:
    session = _run("unicom", [("topic", "speed")])
    d = session.diagnosis
    assert (d.problem, d.status, d.next_step.id) == ("home.slow", "need_info", "home.slow_test")
    assert session.next_question().fact == "speed_test"
    assert "套餐" in d.next_step.text and "关掉其他上网设备" in d.next_step.text
    assert "网线" in d.wording


def test_normal_wired_speed_is_the_wifi_or_sharing() -> None:
    session = _run("mobile", [("topic", "speed"), ("speed_test", "wired_normal")])
    d = session.diagnosis
    assert (d.status, d.cause, d.escalation) == ("self_service", "home.slow_wifi", None)
    assert "暂停" in d.wording


@pytest.mark.parametrize(("carrier", "hotline"),
                         [("unicom", "10010"), ("mobile", "10086"), ("telecom", "10000")])  # fmt: skip
def test_no_wired_test_yet_means_test_first_and_call_back(carrier, hotline) -> None:
    session = _run(carrier, [("topic", "speed"), ("speed_test", "not_done")])
    d = session.diagnosis
    assert (d.status, d.cause, d.escalation) == ("self_service", "home.slow_untested", None)
    assert hotline in d.wording  # each carrier's own hotline


def test_a_slow_note_with_a_wired_result_reads_straight_to_the_repair() -> None:
    d = KB.diagnose({"carrier": "telecom", "text": "客户说网速很卡，有线测速也慢"})
    assert (d.facts["topic"], d.problem, d.status) == ("speed", "home.slow", "escalate")


# -- some sites do not open ----------------------------------------------------------------


def test_some_sites_first_get_the_dns_steps_and_an_open_question() -> None:
    session = _run("unicom", [("topic", "sites")])
    d = session.diagnosis
    assert (d.problem, d.status, d.cause) == ("home.sites_dns", "self_service", "home.sites_dns")
    assert d.provisional and session.next_question().fact == "dns_steps_done"
    assert "ipconfig /flushdns" in d.next_step.text and "自动获得 DNS" in d.next_step.text
    assert "ipconfig /flushdns" in d.wording


def test_dns_steps_not_done_yet_stay_self_service() -> None:
    session = _run("mobile", [("topic", "sites"), ("dns_steps_done", False)])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.status, d.next_step.id, d.escalation) == ("self_service", "home.sites_dns", None)


@pytest.mark.parametrize(("carrier", "name"),
                         [("unicom", "技术人员"), ("mobile", "技术人员"), ("telecom", "技术人员")])  # fmt: skip
def test_sites_still_failing_after_the_dns_steps_go_to_the_technicians(carrier, name) -> None:
    session = _run(carrier, [("topic", "sites"), ("dns_steps_done", True)])
    d = session.diagnosis
    assert session.next_question() is None
    assert (d.status, d.cause) == ("escalate", "home.sites_network")
    assert d.escalation is not None and d.escalation.target == "back_office"
    assert name in d.wording and "网址" in d.next_step.text
