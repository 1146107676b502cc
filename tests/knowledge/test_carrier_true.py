"""What a customer hears is true to their carrier: every number, code, address and hour in
a wording comes from that carrier's sources (or local policy), plain words only, and one
carrier's channels are never said to another's customers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from strategies import KB, diagnosis_of, tickets

import diagnose
from diagnose._knowledge import default_dirs
from diagnose._knowledge.checks import allowed_figures, figures

RULES, KNOWLEDGE = default_dirs()
K = KB.knowledge


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    return tmp_path / "knowledge"


def _append(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("carrier", list(K.carriers))
def test_every_wording_said_to_a_carrier_holds_only_its_sourced_figures(carrier) -> None:
    allowed = allowed_figures(K, carrier)
    for wording_id, wording in K.wordings.items():
        if wording.carriers is not None and carrier not in wording.carriers:
            continue
        bare = re.sub(r"\{[a-z_]+\}", " ", wording.zh)
        assert figures(bare, allowed) == [], (wording_id, carrier)


@settings(max_examples=300, deadline=None)
@given(tickets())
def test_what_a_diagnosis_says_has_a_source_for_its_carrier(ticket) -> None:
    diagnosis = diagnosis_of(KB, ticket)
    if diagnosis is None:
        return
    allowed = allowed_figures(K, diagnosis.carrier)
    escalation = diagnosis.escalation
    promised = set()  # the hours a source or local policy gives: the only ones said
    if escalation is not None:
        promised = {escalation.reply_hours} - {None}
        if escalation.limit != "default":
            promised.add(escalation.deadline_hours)
    allowed |= {f"{h}小时" for h in promised}
    assert figures(diagnosis.wording, allowed) == [], diagnosis.wording
    if not promised:
        assert "小时" not in diagnosis.wording  # no hour is promised
    assert not [word for word in K.language.jargon if word in diagnosis.wording]


def test_hours_the_operator_sets_are_promised_and_cited_as_local_policy(tmp_path) -> None:
    knowledge = _copy(tmp_path)
    _append(knowledge, "settings.toml", "\n[settings.local_limits.mobile]\ndeadline_hours = 48\n"
            'reply_hours = 12\ndecided_by = "客服部 第12号通知"\n')  # fmt: skip
    kb = diagnose.load(RULES, knowledge)
    ticket = {"carrier": "mobile", "error_code": 734, "facts": {"area_reports": 9}}
    escalation = kb.diagnose(ticket).escalation
    assert escalation is not None
    assert (escalation.limit, escalation.deadline_hours, escalation.reply_hours) == (
        "local_policy", 48, 12)  # fmt: skip
    assert (
        escalation.limit_source.startswith("本地规定") and "第12号通知" in escalation.limit_source
    )
    assert "在12小时内" in kb.diagnose(ticket).wording
    # the carrier with a source keeps its own hours
    billing = {"carrier": "telecom", "error_code": 691, "facts": {"billing_dispute": True}}
    telecom = kb.diagnose(billing).escalation
    assert telecom is not None and (telecom.limit, telecom.reply_hours) == ("source", 3)


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("wording.toml", '\n[wording."x.sys"]\nzh = "您好,我在AAA里查了。"\nen = "x"\n'
         'source = { doc = "seed000", section = "Q11" }\n',
         "wording.x.sys: zh: uses 'AAA', which customers may not understand; say '系统'"),
        ("wording.toml", '\n[wording."x.number"]\nzh = "您好,请拨打10001。"\nen = "x"\n'
         'source = { doc = "seed000", section = "Q11" }\n',
         "wording.x.number: zh: '10001' has no source for unicom"),
        ("wording.toml", '\n[wording."x.hours"]\nzh = "您好,我们24小时内回复。"\nen = "x"\n'
         'source = { doc = "seed000", section = "Q4" }\n',
         "wording.x.hours: zh: '24' has no source for unicom"),
        ("targets.toml", '\n[targets.x]\nname = "X"\nname_en = "X"\ntier = 1\n'
         'source = { doc = "seed000", section = "Q4" }\n[targets.x.carriers.vodafone]\n'
         'deadline_hours = 3\nsource = { doc = "seed000", section = "Q4" }\n',
         "targets.x: carriers.vodafone: unknown carrier 'vodafone'"),
    ],
)  # fmt: skip
def test_unsourced_figures_jargon_and_unknown_carriers_do_not_load(tmp_path, file, text,
                                                                    message) -> None:  # fmt: skip
    knowledge = _copy(tmp_path)
    _append(knowledge, file, text)
    with pytest.raises(diagnose.KnowledgeError) as caught:
        diagnose.load(RULES, knowledge)
    assert any(message in str(issue) for issue in caught.value.issues), caught.value.issues


def test_a_rule_saying_one_carriers_wording_to_every_carrier_does_not_load(tmp_path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "x.toml").write_text('''
[[rule]]
id = "x.everyone"
salience = 50
when = [{ fact = "problem", op = "equals", value = "password.service" }]
then = { status = "self_service", step = "password.service_unicom", wording = "password.service_unicom" }
source = { doc = "seed000", section = "Q18" }
example = { given = { topic = "password", service = "mobile" }, expect = { status = "self_service" } }
''', encoding="utf-8")  # fmt: skip
    with pytest.raises(diagnose.KnowledgeError) as caught:
        diagnose.load(rules, KNOWLEDGE)
    messages = [issue.message for issue in caught.value.issues]
    assert ("wording 'password.service_unicom' is for unicom only, but the rule also speaks to "
            "mobile, telecom: test the carrier") in messages  # fmt: skip
    assert (
        "the rule speaks to mobile, telecom but cites no source for them: cite their own "
        "source, local policy, or mark a device passage any_carrier = true"
    ) in messages


@pytest.mark.parametrize(
    ("text", "carrier"),
    [("联通用户宽带691", "unicom"), ("客户发短信到10086", "mobile"), ("电信宽带拨号678", "telecom"),
     ("客户要重置服务密码", None)],
)  # fmt: skip
def test_a_carrier_named_in_the_text_is_the_carrier(text, carrier) -> None:
    diagnosis = KB.diagnose({"text": text})
    assert diagnosis.carrier == (carrier or KB.default_carrier)
    assert diagnosis.carrier_assumed is (carrier is None)
    assert KB.diagnose({"text": text, "carrier": "mobile"}).carrier == "mobile"  # given wins


def test_every_escalation_says_who_acts_and_by_when() -> None:
    for rule in K.rules:
        then = rule.spec.then
        if then.escalate is None:
            continue
        wording = K.wordings[then.wording or ""].zh
        target = K.targets[then.escalate]
        assert "{target_name}" in wording or target.name in wording, rule.id
        if then.escalate == "business_hall":  # the customer goes: what to bring is said
            assert "证件" in wording, rule.id
        else:
            assert any(when in wording for when in ("{reply}", "{deadline}")), rule.id
