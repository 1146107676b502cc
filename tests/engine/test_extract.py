"""Reading the error code and facts out of customers' and agents' own words."""

from __future__ import annotations

import pytest

from diagnose._engine import TextReader


@pytest.fixture(scope="module")
def reader(kb) -> TextReader:
    return kb.engine.reader


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("拨号提示691", 691), ("错误代码:678", 678), ("显示 651 错误", 651), ("691错误", 691),
        ("宽带拨号显示错误678,已经重启过猫", 678), ("error 734 when dialling", 734),
        ("上不了网,报769", 769), ("宽带678连不上", 678), ("发送401到10010", None),
        ("拨打10010", None), ("没有显示错误代码", None), ("错误码:1234", 1234),
    ],
)  # fmt: skip
def test_error_code(reader, text, code) -> None:
    assert reader.error_code(text) == code


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("猫重启过了", "modem_restarted", True), ("还没重启", "modem_restarted", False),
        ("有路由器", "router_present", True), ("没有路由器", "router_present", False),
        ("欠费停机", "account_status", "arrears"), ("账号在别处登录", "online_elsewhere", True),
        ("忘记密码", "password_forgotten", True), ("手机营业厅登不上", "topic", "handset_login"),
        ("初始密码登录不了", "topic", "handset_login"), ("宽带密码忘了", "topic", "password"),
        ("宽带密码忘了", "service", "broadband"), ("老人机", "device", "feature_phone"),
    ],
)  # fmt: skip
def test_fact_phrases(reader, text, fact, value) -> None:
    assert reader.facts(text, set())[fact][0] == value


def test_known_facts_are_not_overwritten(reader) -> None:
    assert "router_present" not in reader.facts("有路由器", {"router_present"})


# How agents and customers write it in old tickets: the code, and the facts, each with the
# phrase that must be reported as matched.
PHRASINGS = [
    ("拨号提示691", {"error_code": "691"}),
    ("错误代码:678", {"error_code": "678"}),
    ("错误代码：678", {"error_code": "678"}),
    ("显示 651 错误", {"error_code": "651"}),
    ("客户反映宽带拨号报691错误,欠费停机", {"error_code": "691", "account_status": "欠费"}),
    ("678 猫重启过了 线都插好了", {"error_code": "678", "modem_restarted": "猫重启过",
                                  "line_in_line_port": "线都插好了"}),
    ("上不了网 有路由器", {"topic": "上不了网", "router_present": "有路由器"}),
    ("无法上网,没有路由器,没有显示错误代码",
     {"topic": "无法上网", "router_present": "没有路由器", "code_shown": "没有显示错误"}),
    ("691 账号在别处登录", {"error_code": "691", "online_elsewhere": "在别处登录"}),
    ("客户忘记密码,要求重置", {"password_forgotten": "忘记密码", "topic": "密码"}),
    ("手机营业厅登不上", {"topic": "手机营业厅"}),
    ("手机营业厅初始密码登录不了", {"topic": "初始密码登录", "initial_password": "初始密码"}),
    ("手厅客户端登不上 老人机", {"topic": "手厅", "login_channel": "客户端", "device": "老人机"}),
    ("error 691, customer in arrears", {"error_code": "691", "account_status": "arrears"}),
    ("error code 678, modem restarted, no router",
     {"error_code": "678", "modem_restarted": "modem restarted", "router_present": "no router"}),
    ("691: logged in elsewhere", {"error_code": "691", "online_elsewhere": "logged in elsewhere"}),
    ("customer forgot the password", {"password_forgotten": "forgot the password"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_real_style_phrasings_and_the_phrases_reported(kb, text, expected) -> None:
    diagnosis = kb.diagnose({"text": text})
    for fact, phrase in expected.items():
        assert diagnosis.extracted.get(fact) == phrase, (fact, diagnosis.extracted)
    if "error_code" in expected:
        assert diagnosis.facts["error_code"] == int(expected["error_code"])
