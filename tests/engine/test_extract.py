"""Reading the error code and facts out of customers' and agents' own words, as a colleague
reads a note: negation, questions, what was already done, conflicts and changes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagnose
from diagnose._engine import TextReader
from diagnose._knowledge.model import checklist_phrases


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
        ("拨号报错６９１", 691), ("错误代码：６７８", 678),
        # numbers that are not codes: a phone number, a date, an amount, a count
        ("客户电话13800138000,上不了网", None), ("2024-06-19 来电", None),
        ("欠费120元", None), ("拨了3次", None), ("6月19日 16:30 回访", None),
    ],
)  # fmt: skip
def test_error_code(reader, text, code) -> None:
    assert reader.error_code(text) == code


def _read(kb, text: str) -> dict[str, object]:
    """The facts a text gives a diagnosis (read, hinted, or implied by what was read)."""
    return kb.diagnose({"text": text}).facts


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("猫重启过了", "modem_restarted", True), ("还没重启", "modem_restarted", False),
        ("有路由器", "router_present", True), ("没有路由器", "router_present", False),
        ("欠费停机", "account_status", "arrears"), ("账号在别处登录", "online_elsewhere", True),
        ("忘记密码", "password_forgotten", True), ("手机营业厅登不上", "topic", "handset_login"),
        ("初始密码登录不了", "topic", "handset_login"), ("宽带密码忘了", "topic", "password"),
        ("宽带密码忘了", "service", "broadband"), ("老人机", "device", "feature_phone"),
        ("KD上不了", "topic", "dialup"), ("客户忘记mm", "password_forgotten", True),
        ("光猫从启过", "modem_restarted", True), ("拨号保错691", "code_shown", True),
        ("联通宽带", "carrier", "unicom"), ("打10086的用户", "carrier", "mobile"),
        ("中国电信", "carrier", "telecom"),
    ],
)  # fmt: skip
def test_fact_phrases(kb, text, fact, value) -> None:
    assert _read(kb, text)[fact] == value


def test_known_facts_are_not_overwritten(reader) -> None:
    assert "router_present" not in reader.facts("有路由器", {"router_present"})


# The notes that were read backwards or missed: each must read as a colleague reads it.
NOTES = [
    ("678 没有重启过猫", {"error_code": 678, "modem_restarted": False}),
    ("还没有重启过猫", {"modem_restarted": False}),
    ("客户说没重启过猫", {"modem_restarted": False}),
    ("已缴清欠费", {"account_status": "normal"}),
    ("欠费已交", {"account_status": "normal"}),
    ("续费了", {"account_status": "normal"}),
    ("线也检查过没问题", {"line_in_line_port": True}),
    ("断电重启后,线插在LINE口", {"modem_restarted": True, "line_in_line_port": True}),
    ("已重启光猫,室内线路检查正常", {"modem_restarted": True, "line_in_line_port": True}),
    ("网卡已启用 本地连接正常", {"card_enabled": True, "nic_listed": True}),
    ("已经重新建过连接", {"connection_recreated": True}),
    ("忘交费", {"account_status": "arrears"}),
    ("报不出身份证号", {"caller_verified": False}),
    ("多收了费", {"billing_dispute": True}),
    ("家里用的路由器", {"router_present": True}),
    ("拨号也没有错误提示", {"code_shown": False, "topic": "dialup"}),
    ("没有建立宽带连接", {"connection_recreated": False}),
    ("手厅APP…初始密码", {"topic": "handset_login", "login_channel": "app",
                          "initial_password": True}),
    ("移动用户,打过10086", {"carrier": "mobile"}),
    ("之前密码忘了,现在想起来了", {"password_forgotten": False}),
    ("重启过电脑,猫还没重启", {"modem_restarted": False}),
    ("手厅登录忘记密码", {"topic": "handset_login", "password_forgotten": True}),
    ("宽带忘记密码", {"topic": "password", "service": "broadband"}),
    # a question and its answer; a checklist
    ("重启光猫了吗?没有", {"modem_restarted": False}),
    ("有路由吗 答:有", {"router_present": True}),
    ("有没有路由器?没有", {"router_present": False}),
    ("有没有路由器?有", {"router_present": True}),
    ("猫重启 ✓ 路由:无", {"modem_restarted": True, "router_present": False}),
    ("路由=否", {"router_present": False}),
    # a change: what is said now stands
    ("账号挂死 已清除", {"online_elsewhere": False}),
    ("路由器已经拆了", {"router_present": False}),
    # numbers that are not codes; codes that are not dial-up's; either-or codes
    ("宽带报错678,客户住651栋", {"error_code": 678}),
    ("手厅APP登录提示错误码651", {"topic": "handset_login", "error_code": None}),
    ("拨号报错691还是619记不清", {"error_code": None, "topic": "dialup"}),
    ("代码不是678就是676", {"error_code": None}),
    ("报错796,后来说不是796,确认是769", {"error_code": 769}),
    ("宽带报错,客户说是六七八", {"error_code": 678}),
    ("KD拨号报错796 之前报678", {"error_code": 796}),
    # phrases with a gap: the two words in one clause, a negation between them
    ("光猫已经断电重启", {"modem_restarted": True}),
    ("光猫一直没重启", {"modem_restarted": False}),
    ("客户把宽带连接删了重新建了一个", {"connection_recreated": True}),
    ("宽带连接没删也没重建", {"connection_recreated": False}),
    ("已经拆掉路由器", {"router_present": False}),
    ("光猫没重启,路由器重启了", {"modem_restarted": False}),
    # opposites, what outweighs, a subject named in a question
    ("客户不是智能机", {"device": "feature_phone"}),
    ("没有欠费", {"account_status": "normal"}),
    ("还没到期", {"account_status": None}),
    ("线在LINE口,但室内线断了", {"line_in_line_port": False}),
    ("客户忘没忘服务密码?没说清", {"service": "mobile", "password_forgotten": None}),
    # checklist items end at the next one; advice is not yet done; a doubt goes back
    ("调账:N 修复:Y", {"billing_dispute": False}),
    ("欠费? 查了 没有", {"account_status": "normal"}),
    ("建议客户重启光猫", {"modem_restarted": None}),
    ("拨号报734 重建宽带连接待做", {"connection_recreated": None}),
    ("客户说手机在身边,又说在车里,不确定", {"has_handset": None}),
    ("不需要调账", {"billing_dispute": False}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NOTES)
def test_notes_read_as_a_colleague_reads_them(kb, text, expected) -> None:
    facts = _read(kb, text)
    assert {fact: facts.get(fact) for fact in expected} == expected


@pytest.mark.parametrize(
    ("text", "fact", "how"),
    [
        ("有没有路由器", "router_present", "questioned"),
        ("客户重启过猫吗?", "modem_restarted", "questioned"),
        ("不是没重启过猫", "modem_restarted", "double_negation"),
        ("有路由器,没有路由器", "router_present", "conflict"),
        ("客户说欠费停机,又说没欠费", "account_status", "conflict"),
        ("手厅不是用的客户端", "login_channel", "negated"),
    ],
)  # fmt: skip
def test_a_note_that_does_not_say_leaves_the_fact_open(kb, text, fact, how) -> None:
    diagnosis = kb.diagnose({"text": text})
    assert fact not in diagnosis.facts
    assert diagnosis.extracted[fact].how == how
    assert diagnosis.extracted[fact].value is None


def test_a_conflict_names_both_phrases_and_the_session_asks(kb) -> None:
    session = diagnose.Session({"text": "678,重启过猫,又说没重启"}, knowledge=kb)
    reading = session.diagnosis.extracted["modem_restarted"]
    assert (reading.how, reading.phrase, reading.others) == ("conflict", "没重启", ("重启过猫",))
    assert "modem_restarted" not in session.diagnosis.facts
    assert "modem_restarted" in {question.fact for question in session.diagnosis.questions}


def test_a_change_keeps_what_is_said_now(kb) -> None:
    reading = kb.diagnose({"text": "之前欠费停机,现在已缴费"}).extracted["account_status"]
    assert (reading.value, reading.how, reading.others) == ("normal", "changed", ("欠费停机",))


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("在线:是", "online_elsewhere", True), ("在线：否，身份证=是", "online_elsewhere", False),
        ("在线：否，身份证=是", "caller_verified", True), ("sfz: yes", "caller_verified", True),
        ("KD:651|路由:N|猫:Y", "modem_restarted", True), ("KD:651|路由:N|猫:Y", "router_present", False),
        ("要求退费:否 在线=是", "online_elsewhere", True),  # a space between items
        ("要求退费:否 在线=是", "billing_dispute", False),
        ("线路?坏 | 网卡?在 启用 | 在线?否", "online_elsewhere", False),  # asked and answered
        ("线路?坏 | 网卡?在 启用 | 在线?否", "nic_listed", True),
    ],
)  # fmt: skip
def test_a_checklist_item_is_read_by_its_label_and_answer(kb, reader, text, fact, value) -> None:
    """Checklist notes (label, ':' or '=', a yes or a no of reading.toml's answers): the
    knowledge lists each fact's labels, every answer word reads."""
    said = reader.facts(text, set())
    assert said[fact].value == value, said.get(fact)


@pytest.mark.parametrize(
    ("text", "fact", "not_value"),
    [
        ("客户手机：不是智能机", "has_handset", False),  # 手机:不是…: not an item, 不是智能机
        ("猫重启: 今早7:40重启过 | 路由: 无线的 有", "router_present", False),  # 无线, not 无
        ("KD断网 重启猫?还没 客户在单位", "modem_restarted", None),  # 猫 of 重启猫: no label (a
        # conflict of 猫?还没 with 重启猫); 重启猫 asked, answered no
        ("手厅APP 老人机?是 装不了", "has_handset", True),  # nor 机 inside 老人机
    ],
)  # fmt: skip
def test_a_checklist_answer_must_end_its_item(kb, reader, text, fact, not_value) -> None:
    """An item is a label that starts it and an answer that ends it."""
    said = reader.facts(text, set())
    assert fact not in said or said[fact].value != not_value, said[fact]


def test_a_fact_of_another_topic_is_not_taken_from_a_note(kb) -> None:
    """initial_password belongs to handset business hall logins: a broadband note's
    password that was never changed is not it (shown as other_topic, with the words that
    named the topic: the note's, its code's, or the ticket's own topic, which comes first)."""
    said = kb.diagnose({"text": "宽带拨号报691 客户说密码一直没改"}).extracted
    assert said["initial_password"].value is None
    assert said["initial_password"].how == "other_topic" and said["initial_password"].others
    handset = kb.diagnose({"text": "手厅登不上 客户说密码一直没改"})
    assert handset.facts["initial_password"] is True
    assert "initial_password" not in kb.diagnose({"text": "报691 用的初始密码"}).facts
    given = kb.diagnose({"facts": {"topic": "handset_login"}, "text": "用的初始密码 宽带拨号正常"})
    assert given.facts["initial_password"] is True
    # the signal belongs to SMS codes, and to the logins they are sent for
    login = kb.diagnose({"text": "客户用app,验证码一直不来,信号:无"})
    assert login.facts.get("signal_ok") is False


def test_the_negation_that_applied_is_reported(kb) -> None:
    reading = kb.diagnose({"text": "拨号,客户并未装路由器"}).extracted["router_present"]
    assert (reading.value, reading.how, reading.negation) == (False, "negated", "并未")


def test_a_negation_stops_at_its_clause(kb) -> None:
    facts = _read(kb, "没有路由器,重启过猫")
    assert (facts["router_present"], facts["modem_restarted"]) == (False, True)
    assert _read(kb, "没问题,重启过猫")["modem_restarted"] is True  # an idiom negates nothing


def test_full_width_and_case_are_folded(kb) -> None:
    assert _read(kb, "ＡＰＰ登录手厅") == _read(kb, "app登录手厅")
    assert _read(kb, "插在ＬＩＮＥ口")["line_in_line_port"] is True


def test_a_hint_yields_to_what_the_note_says(kb) -> None:
    """密码 suggests a password call, unless the note says which call it is."""
    assert _read(kb, "客户问密码")["topic"] == "password"
    assert _read(kb, "手机营业厅密码登录不上")["topic"] == "handset_login"
    facts = _read(kb, "宽带连接不上网,客户手机号13800138000")
    assert facts["topic"] == "dialup" and "service" not in facts


def _phrases(kb) -> list[tuple[str, str, object]]:
    """Every phrase and hint in the knowledge, as a note writes it (猫…重启: 猫重启):
    (fact, phrase, the value it says). Checklist items have a property of their own."""
    found = []
    for name, spec in kb.knowledge.facts.items():
        boolean = kb.knowledge.domains[name].type == "bool"
        for keyed in (spec.phrases, spec.hints):
            for key, phrases in keyed.items():
                value = (key == "true") if boolean else key
                found += [(name, phrase.replace("…", ""), value) for phrase in phrases]
    return found


def _negated(kb, negation: str, phrase: str) -> str | None:
    """The note 'negation phrase', unless a phrase the knowledge lists runs across the
    negation (没 + 有路由器 is 没有路由器, no internet is a phrase): the editor said it."""
    gap = " " if negation.isascii() or phrase[:1].isascii() else ""
    text = f"{negation}{gap}{phrase}".lower()
    listed = _LISTED.get(id(kb))
    if listed is None:
        listed = _LISTED[id(kb)] = frozenset(p.lower() for _, p, _ in _phrases(kb))
    crossing = any(text[start:end] in listed for start in range(len(negation))
                   for end in range(start + 1, len(text) + 1))  # fmt: skip
    return None if crossing else text


_LISTED: dict[int, frozenset[str]] = {}  # per knowledge base: its phrases, as notes write them


def test_no_negated_phrase_ever_says_its_value(kb, reader) -> None:
    """For every phrase in the knowledge, each negation word just before it: the fact is
    not read as the phrase's value."""
    negations = kb.knowledge.reading.negations
    wrong = []
    for fact, phrase, value in _phrases(kb):
        for negation in negations:
            text = _negated(kb, negation, phrase)
            if text is None:
                continue
            said = {**reader.hints(text, set()), **reader.facts(text, set())}
            if fact in said and said[fact].value == value:
                wrong.append(f"{text!r} → {fact}={value!r} ({said[fact]})")
    assert not wrong, "\n".join(wrong)


FILLER = st.text(alphabet="客户说今天打来电话反映情况请帮忙处理一下谢谢 ", max_size=8)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), before=FILLER, after=FILLER)
def test_a_negated_phrase_inside_a_note_never_says_its_value(kb, reader, data, before, after):
    fact, phrase, value = data.draw(st.sampled_from(_phrases(kb)))
    negation = data.draw(st.sampled_from(kb.knowledge.reading.negations))
    negated = _negated(kb, negation, phrase)
    if negated is None:
        return
    text = f"{before},{negated}{after}"
    said = {**reader.hints(text, set()), **reader.facts(text, set())}
    assert not (fact in said and said[fact].value == value), (text, said.get(fact))


def _items(kb) -> list[tuple[str, str, bool]]:
    """Every checklist item the knowledge's labels make: (fact, item, the value it says)."""
    return [(name, item, key == "true") for name, spec in kb.knowledge.facts.items()
            for key, items in checklist_phrases(spec, kb.knowledge.reading).items()
            for item in items]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(data=st.data(), before=FILLER, after=FILLER, end=st.sampled_from([" ", ",", " | ", ""]))
def test_a_checklist_item_says_its_answer_whatever_is_around_it(
    kb, reader, data, before, after, end
) -> None:
    """A label and a no (在线:否, 在线?没有) never reads yes, a yes never no, inside any
    note, where the item stands as a checklist writes it."""
    fact, item, value = data.draw(st.sampled_from(_items(kb)))
    text = f"{before} {item}{end}{after if end else ''}"
    said = reader.facts(text, set())
    assert fact in said and said[fact].value in (value, None), (text, said.get(fact))
    assert said[fact].value == value or said[fact].how == "conflict", (text, said[fact])


@settings(max_examples=200, deadline=None)
@given(data=st.data(), before=FILLER, doubt=st.sampled_from(["?", " 不确定", "?不确定", ",不确定"]))
def test_a_checklist_answer_in_doubt_says_nothing(kb, reader, data, before, doubt) -> None:
    """An item whose answer is asked or hedged (核身:是?不确定) leaves its fact open: an
    identity check in doubt is no identity check."""
    fact, item, _ = data.draw(st.sampled_from(_items(kb)))
    text = f"{before} {item}{doubt}"
    said = reader.facts(text, set())
    assert fact not in said or said[fact].value is None, (text, said[fact])


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("phone: no signal", "has_handset"), ("phone: n/a", "has_handset"),  # an answer goes on
        ("id: n/a", "caller_verified"), ("id: no problem", "caller_verified"),
        ("在线:是/否 路由:是/否", "online_elsewhere"),  # a template not filled in
        ("alt phone: none", "has_handset"), ("ticket id: none", "caller_verified"),
        ("account holder: no", "caller_is_holder"),  # a label inside a longer one
        ("核身:是 否", "caller_verified"), ("核身:是 / 否", "caller_verified"),  # unfilled
        ("核身:是|否", "caller_verified"), ("核身:是、否", "caller_verified"),
        ("id: yes / no", "caller_verified"), ("id: Y / N", "caller_verified"),
        ("光猫:y/n", "modem_restarted"),
        ("核身?要", "caller_verified"), ("核身:要", "caller_verified"),  # wanted, not done
        ("身份证:有", "caller_verified"), ("光猫:有", "modem_restarted"),  # at hand, not done
        ("核身:是, not sure", "caller_verified"),  # doubted after it
        ("核身:是,客户自己也不太确定", "caller_verified"), ("核身:是 | 客户自己也不太确定", "caller_verified"),
        ("核身:是 , 客户自己也不太确定", "caller_verified"), ("id: yes, customer unsure", "caller_verified"),
        ("核身:是,否", "caller_verified"), ("核身:是;否", "caller_verified"),
        ("核身:通过/不通过", "caller_verified"), ("id: ok / not ok", "caller_verified"),
    ],
)  # fmt: skip
def test_no_item_is_read_where_none_was_written(reader, text, fact) -> None:
    """An unfilled form, a label inside a longer one, an answer that goes on: no item."""
    said = reader.facts(text, set())
    assert fact not in said or said[fact].value is None, said[fact]


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("online: no id: yes", "caller_verified", True), ("online: yes id: no", "caller_verified", False),
        ("signal: no phone: yes", "has_handset", True), ("核身:否. 要求重置密码", "caller_verified", False),
        ("Id: Yes.", "caller_verified", True), ("在线:否. 路由:有.", "router_present", True),
        ("拨号报691 id: yes", "caller_verified", True), ("err 691 id: no", "caller_verified", False),
        ("调账诉求:不需要", "billing_dispute", False), ("退费诉求:不要", "billing_dispute", False),
        ("请客户 dispute=有", "billing_dispute", True), ("dispute:有 请客户", "billing_dispute", True),
    ],
)  # fmt: skip
def test_an_item_after_an_answer_or_a_number_is_read(reader, text, fact, value) -> None:
    said = reader.facts(text, set())
    assert said[fact].value is value, said[fact]


def test_items_side_by_side_are_each_read(reader) -> None:
    """One item after another (a space between them, taken out between Chinese words)."""
    said = reader.facts("路由:无 在线:是", set())
    assert (said["router_present"].value, said["online_elsewhere"].value) == (False, True)
    said = reader.facts("路由:不 在线:是", set())  # 路由:不在 is no item: 路由:不 is
    assert (said["router_present"].value, said["online_elsewhere"].value) == (False, True)
    said = reader.facts("KD:651|ly:N|gm:Y|LINE:Y|NIC:Y/启用", set())
    assert said["nic_listed"].value is True and said["card_enabled"].value is True


# How agents and customers write it in old tickets: the code, and the facts, each with the
# phrase that must be reported as read.
PHRASINGS = [
    ("拨号提示691", {"error_code": "691"}),
    ("错误代码:678", {"error_code": "678"}),
    ("错误代码：678", {"error_code": "678"}),
    ("显示 651 错误", {"error_code": "651"}),
    ("客户反映宽带拨号报691错误,欠费停机", {"error_code": "691", "account_status": "欠费停机"}),
    ("678 猫重启过了 线都插好了", {"error_code": "678", "modem_restarted": "猫重启过",
                                  "line_in_line_port": "线都插好了"}),
    ("上不了网 有路由器", {"topic": "上不了网", "router_present": "有路由器"}),
    ("无法上网,没有路由器,没有显示错误代码",
     {"topic": "无法上网", "router_present": "没有路由器", "code_shown": "没有显示错误"}),
    ("691 账号在别处登录", {"error_code": "691", "online_elsewhere": "在别处登录"}),
    ("客户忘记密码,要求重置", {"password_forgotten": "忘记", "topic": "密码"}),
    ("手机营业厅登不上", {"topic": "手机营业厅"}),
    ("手机营业厅初始密码登录不了", {"topic": "手机营业厅", "initial_password": "初始密码"}),
    ("手厅客户端登不上 老人机", {"topic": "手厅", "login_channel": "客户端", "device": "老人机"}),
    ("error 691, customer in arrears", {"error_code": "691", "account_status": "arrears"}),
    ("error code 678, modem restarted, no router",
     {"error_code": "678", "modem_restarted": "modem restarted", "router_present": "no router"}),
    ("691: logged in elsewhere", {"error_code": "691", "online_elsewhere": "logged in elsewhere"}),
    ("customer forgot the password", {"password_forgotten": "forgot", "topic": "password"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_real_style_phrasings_and_the_phrases_reported(kb, text, expected) -> None:
    diagnosis = kb.diagnose({"text": text})
    read = {fact: reading.phrase for fact, reading in diagnosis.extracted.items()}
    assert {fact: read.get(fact) for fact in expected} == expected
    if "error_code" in expected:
        assert diagnosis.facts["error_code"] == int(expected["error_code"])


_CODE_PARTS = st.sampled_from(["678", "６７８", "六七八", "691", "734", "七三四", "错误", "报错",
                               "代码", "提示", "客户说", "不是", "还是", " ", ",", "元", "栋",
                               "猫重启过", "13800138000", "七", "3", "4"])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_CODE_PARTS, max_size=10).map("".join))
def test_a_note_that_names_a_code_may_name_it(kb, reader, text: str) -> None:
    """The quick test replay makes before reading a note for an area's code never says
    no where the reading finds the code."""
    fresh = TextReader(kb.knowledge, remember=0)  # nothing read before: the quick test runs
    code = reader.error_code(text)
    if code is not None:
        assert fresh.may_name(text, frozenset({code}))
        assert not fresh.may_name(text, frozenset())
