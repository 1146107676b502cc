"""Reading the error code and facts out of customers' and agents' own words."""

from __future__ import annotations

import pytest

from diagnose._extract import TextReader


@pytest.fixture(scope="module")
def reader(kb) -> TextReader:
    return TextReader(kb._knowledge)


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
