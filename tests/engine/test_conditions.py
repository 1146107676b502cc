"""What each operator of the rule files means: on a known value, on facts that may not hold
it yet, as a person reads it, and the numbers at which its answer can change."""

from __future__ import annotations

import pytest

from diagnose._engine.conditions import check_of
from diagnose._knowledge.schema import Condition

THRESHOLDS = {"area_incident": 5}


def check(**condition):
    return check_of(Condition.model_validate(condition), THRESHOLDS)


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ({"fact": "n", "op": "equals", "value": 3}, {"n": 3}, True),
        ({"fact": "n", "op": "equals", "value": 3}, {"n": 4}, False),
        ({"fact": "n", "op": "equals", "value": 3}, {}, None),
        ({"fact": "b", "op": "not", "value": True}, {"b": False}, True),
        ({"fact": "b", "op": "not", "value": True}, {"b": True}, False),
        ({"fact": "b", "op": "not", "value": True}, {}, None),  # waits: it needs the fact
        ({"fact": "e", "op": "one_of", "values": ["x", "y"]}, {"e": "y"}, True),
        ({"fact": "e", "op": "one_of", "values": ["x", "y"]}, {"e": "z"}, False),
        ({"fact": "n", "op": "range", "min": "area_incident"}, {"n": 5}, True),
        ({"fact": "n", "op": "range", "min": "area_incident"}, {"n": 4}, False),
        ({"fact": "n", "op": "range", "min": 2, "max": 4}, {"n": 4}, True),
        ({"fact": "n", "op": "range", "min": 2, "max": 4}, {"n": 5}, False),
        ({"fact": "n", "op": "range", "max": 0}, {}, None),
        ({"fact": "e", "op": "present"}, {"e": "x"}, True),
        ({"fact": "e", "op": "present"}, {}, None),
        ({"fact": "e", "op": "absent"}, {}, True),
        ({"fact": "e", "op": "absent"}, {"e": "x"}, False),
    ],
)  # fmt: skip
def test_evaluate(condition, facts, expected) -> None:
    assert check(**condition).evaluate(facts) is expected


@pytest.mark.parametrize(
    ("condition", "zh", "en"),
    [
        ({"fact": "error_code", "op": "one_of", "values": [619, 691]}, "error_code ∈ {619, 691}",
         None),
        ({"fact": "b", "op": "equals", "value": False}, "b = false", None),
        ({"fact": "e", "op": "not", "value": "x"}, "e ≠ x", None),
        ({"fact": "n", "op": "range", "min": "area_incident"}, "n ≥ 5 (area_incident)", None),
        ({"fact": "n", "op": "range", "min": 1, "max": 3}, "1 ≤ n ≤ 3", None),
        ({"fact": "n", "op": "range", "max": 3}, "n ≤ 3", None),
        ({"fact": "e", "op": "present"}, "e 已知", "e known"),
        ({"fact": "e", "op": "absent"}, "e 未知", "e not known"),
    ],
)  # fmt: skip
def test_describe(condition, zh, en) -> None:
    assert check(**condition).describe("zh") == zh
    assert check(**condition).describe("en") == (en or zh)


def test_points_are_where_an_answer_can_change() -> None:
    assert check(fact="n", op="range", min="area_incident").points() == {4, 5}
    assert check(fact="n", op="range", min=1, max=3).points() == {0, 1, 3, 4}
    assert check(fact="n", op="one_of", values=[2, 7]).points() == {2, 7}
    assert check(fact="b", op="equals", value=True).points() == set()  # not a number
    assert check(fact="n", op="absent").points() == set()
