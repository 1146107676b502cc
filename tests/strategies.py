"""Shared hypothesis strategies: valid tickets built from the shipped knowledge."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import diagnose

KB = diagnose.load()
FACTS = {fact.name: fact for fact in KB.facts()}
CODES = [code.code for code in KB.codes()]

# Free-text fragments an agent types, with and without codes and known phrases.
FRAGMENTS = [
    "宽带拨号显示错误678", "错误691", "691错误", "显示 651 错误", "猫重启过了", "有路由器",
    "没有路由器", "欠费停机", "账号在别处登录", "忘记密码", "手机营业厅登不上",
    "初始密码登录不了", "error 734", "上不了网", "没有显示错误代码", "发送401到10010",
]  # fmt: skip


def fact_value(name: str) -> st.SearchStrategy[Any]:
    fact = FACTS[name]
    if fact.type == "bool":
        return st.booleans()
    if fact.type == "int":
        return st.integers(min_value=0, max_value=50)
    assert fact.choices
    return st.sampled_from(fact.choices)


settable = [name for name in FACTS if name not in ("error_code", "carrier")]


@st.composite
def tickets(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(settable), unique=True, max_size=8))
    ticket: dict[str, Any] = {"facts": {name: draw(fact_value(name)) for name in names}}
    code = draw(st.one_of(st.none(), st.sampled_from(CODES), st.integers(0, 99999)))
    if code is not None:
        ticket["error_code"] = code
    carrier = draw(st.one_of(st.none(), st.sampled_from(KB.carriers)))
    if carrier is not None:
        ticket["carrier"] = carrier
    if draw(st.booleans()):
        parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)),
                              max_size=4))  # fmt: skip
        ticket["text"] = ",".join(parts)
    return ticket


def contradicts_itself(error: diagnose.TicketError) -> bool:
    """Whether a ticket was refused because its facts decide two problems; such a refusal
    names the facts on both sides."""
    if len(error.issues) != 1 or "decide different problems" not in error.issues[0].message:
        return False
    assert " & " in error.issues[0].field, error.issues[0]
    return True


def diagnosis_of(kb: diagnose.KnowledgeBase, ticket: Any) -> diagnose.Diagnosis | None:
    """The ticket's diagnosis, or None when it contradicts itself (any other error fails)."""
    try:
        return kb.diagnose(ticket)
    except diagnose.TicketError as error:
        if not contradicts_itself(error):
            raise
        return None


def answer(question: diagnose.Question) -> st.SearchStrategy[Any]:
    """Any valid answer to a question; None stands for 'skip'."""
    if question.choices:
        values: st.SearchStrategy[Any] = st.sampled_from(question.choices)
        if question.type == "bool":
            values = st.booleans()
    else:
        fact = FACTS[question.fact]
        high = 99999 if fact.name == "error_code" else 50
        values = st.one_of(st.sampled_from(CODES), st.integers(0, high))
        if fact.name != "error_code":
            values = st.integers(0, high)
    return st.one_of(values, values, values, st.none())
