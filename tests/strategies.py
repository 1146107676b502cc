"""Shared hypothesis strategies: valid tickets built from the shipped knowledge, and small
knowledge bases (rule sets with their facts, problems and code catalog) built from nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
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


# -- generated knowledge: small rule sets, written as the files a knowledge editor writes ----


def toml_value(value: Any) -> str:
    """A value as TOML writes it (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml_table(header: str, body: dict[str, Any], array: bool = False) -> str:
    head = f"[[{header}]]" if array else f"[{header}]"
    return head + "\n" + "".join(f"{key} = {toml_value(v)}\n" for key, v in body.items()) + "\n"


CITE = {"doc": "gen", "section": "1"}
LIMIT = {"limit": 7}  # the one threshold of a generated knowledge
STAGES = ["s1", "s2"]
CARRIERS = ["c1", "c2"]


@dataclass
class RuleSet:
    """A generated knowledge: its files, and what a ticket over it may hold."""

    files: dict[str, str]  # "rules/x.toml" / "knowledge/x.toml" → text
    facts: dict[str, tuple[str, list[Any]]]  # a fact a ticket may give → (type, values)
    codes: list[int]

    def write(self, folder: Path) -> tuple[Path, Path]:
        for name, text in self.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        return folder / "rules", folder / "knowledge"


def _condition(draw: st.DrawFn, fact: str, kind: str, values: list[Any]) -> dict[str, Any]:
    ops = ["equals", "not", "one_of", "present", "absent"] + (["range"] if kind == "int" else [])
    op = draw(st.sampled_from(ops))
    if op in ("equals", "not"):
        return {"fact": fact, "op": op, "value": draw(st.sampled_from(values))}
    if op == "one_of":
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        return {"fact": fact, "op": op, "values": chosen}
    if op == "range":
        names = draw(st.sampled_from([("min",), ("max",), ("min", "max")]))
        bounds = [draw(st.one_of(st.integers(0, 20), st.just("limit"))) for _ in names]
        if len(bounds) == 2 and LIMIT.get(bounds[0], bounds[0]) > LIMIT.get(bounds[1], bounds[1]):
            bounds.reverse()  # a range that can hold: the loader refuses min above max
        return {"fact": fact, "op": op, **dict(zip(names, bounds, strict=True))}
    return {"fact": fact, "op": op}


def _when(draw: st.DrawFn, facts: dict[str, tuple[str, list[Any]]], most: int) -> list[Any]:
    names = draw(st.lists(st.sampled_from(sorted(facts)), max_size=most, unique=True))
    return [_condition(draw, name, *facts[name]) for name in names]


def _then(draw: st.DrawFn, asked: list[str]) -> dict[str, Any]:
    status = draw(st.sampled_from(["self_service", "agent_action", "escalate", "need_info"]))
    then: dict[str, Any] = {"status": status, "step": "step", "wording": "plain"}
    if status == "escalate":
        then |= {"escalate": "t1", "wording": "promise"}
    if status == "need_info" and draw(st.booleans()):
        then["ask"] = draw(st.sampled_from(asked))
    return then


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """A small, valid knowledge: facts of each type, problems, a code catalog with stages,
    rules that decide a problem from the ticket's facts, and rules that conclude, with
    any operator on any fact (the problem and the catalog's derived facts too)."""
    facts: dict[str, tuple[str, list[Any]]] = {}
    for index in range(draw(st.integers(1, 3))):
        facts[f"b{index}"] = ("bool", [True, False])
    for index in range(draw(st.integers(0, 2))):
        facts[f"e{index}"] = ("enum", ["x", "y", "z"][: draw(st.integers(2, 3))])
    for index in range(draw(st.integers(0, 2))):
        facts[f"n{index}"] = ("int", list(range(21)))
    problems = [f"p{index}" for index in range(draw(st.integers(1, 4)))]
    codes = draw(st.lists(st.integers(100, 999), min_size=1, max_size=4, unique=True))
    ticket = {**facts, "error_code": ("int", [*codes, 5]), "carrier": ("enum", CARRIERS)}
    derived = {"code_stage": ("enum", STAGES), "code_catalogued": ("bool", [True, False])}
    rules = [
        {"id": f"c.r{index}", "salience": draw(st.integers(-3, 3)),
         "when": _when(draw, ticket | derived, 2), "then": {"problem": draw(st.sampled_from(problems))}}
        for index in range(draw(st.integers(0, 4)))
    ] + [
        {"id": f"v.r{index}", "salience": draw(st.integers(-3, 3)),
         "when": _when(draw, ticket | derived | {"problem": ("enum", problems)}, 3),
         "then": _then(draw, sorted(facts))}
        for index in range(draw(st.integers(1, 8)))
    ]  # fmt: skip
    implies = {"b0": True} if draw(st.booleans()) else {}  # a known code implies b0
    files = _knowledge_files(facts, problems, codes, implies, draw)
    files["rules/generated.toml"] = (
        "".join(
            toml_table(
                "rule", {**rule, "source": CITE, "example": {"given": {}, "expect": {}}}, True
            )
            for rule in rules
        )
        or "# no rules\n"
    )
    return RuleSet(files, facts, codes)


def _knowledge_files(
    facts: dict[str, tuple[str, list[Any]]], problems: list[str], codes: list[int],
    implies: dict[str, Any], draw: st.DrawFn,
) -> dict[str, str]:  # fmt: skip
    def fact(name: str, kind: str, values: list[Any]) -> str:
        body: dict[str, Any] = {"type": kind, "question": "问?", "question_en": "Q?"}
        body |= {"values": values} if kind == "enum" else {}
        body |= {"min": 0, "max": 20} if kind == "int" else {}
        return toml_table(f"facts.{name}", body | {"source": CITE})

    code_fact = {"type": "int", "min": 0, "max": 99999, "question": "码?", "question_en": "?",
                 "implies": implies, "source": CITE}  # fmt: skip
    carrier_fact = {"type": "enum", "ask": False, "question": "?", "question_en": "?",
                    "source": CITE}  # fmt: skip
    files = {
        "sources": toml_table("sources.gen", {"title": "G", "title_en": "G", "kind": "public"}),
        "settings": toml_table("settings", {"default_carrier": "c1", "unknown_step": "step",
                                            "unknown_wording": "plain",
                                            "default_deadline_hours": 72})
        + toml_table("settings.thresholds", LIMIT)
        + toml_table("language", {"forbidden": ["你"], "required": ["您"], "source": CITE}),
        "carriers": "".join(toml_table(f"carriers.{c}", {"name": c, "name_en": c, "hotline": "1",
                                                         "channels": {"1": CITE}, "source": CITE})
                            for c in CARRIERS),
        "facts": toml_table("facts.error_code", code_fact)
        + toml_table("facts.carrier", carrier_fact)
        + "".join(fact(name, *spec) for name, spec in facts.items()),
        "stages": "".join(toml_table(f"stages.{s}", {"zh": s, "en": s, "source": CITE})
                          for s in STAGES),
        "codes": "".join(toml_table("code", {"code": code, "stage": draw(st.sampled_from(STAGES)),
                                             "problem": draw(st.sampled_from(problems)),
                                             "meaning": "m", "meaning_en": "m", "source": CITE},
                                    True) for code in codes),
        "problems": "".join(toml_table(f"problems.{p}", {"zh": p, "en": p, "source": CITE})
                            for p in [*problems, "unknown"]),
        "texts": toml_table("steps.step", {"zh": "步骤", "en": "step", "source": CITE})
        + toml_table("wording.plain", {"zh": "您好", "en": "hello", "source": CITE})
        + toml_table("wording.promise", {"zh": "您好,{target_name}{deadline}",
                                         "en": "hello", "source": CITE}),
        "targets": toml_table("targets.t1", {"name": "T", "name_en": "T", "tier": 1,
                                             "source": CITE})
        + toml_table("targets.t1.carriers.c1", {"deadline_hours": 24, "source": CITE}),
    }  # fmt: skip
    return {f"knowledge/{name}.toml": text for name, text in files.items()}


@st.composite
def tickets_for(draw: st.DrawFn, rule_set: RuleSet) -> dict[str, Any]:
    """A ticket over a generated knowledge: some of its facts, perhaps a code and carrier."""
    names = draw(st.lists(st.sampled_from(sorted(rule_set.facts)), unique=True))
    facts = {name: draw(st.sampled_from(rule_set.facts[name][1])) for name in names}
    ticket: dict[str, Any] = {"facts": facts}
    code = draw(st.one_of(st.none(), st.sampled_from(rule_set.codes), st.integers(0, 999)))
    if code is not None:
        ticket["error_code"] = code
    carrier = draw(st.one_of(st.none(), st.sampled_from(CARRIERS)))
    if carrier is not None:
        ticket["carrier"] = carrier
    return ticket
