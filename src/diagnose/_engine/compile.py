"""Step 2 of the pipeline: compile the loaded rules into an experta ``KnowledgeEngine``.

Each rule becomes one experta rule. Every known fact is one ``Obs(name=..., value=...)``;
each condition becomes one pattern on it, with a single predicate for ``one_of`` and
``range`` (no OR constraints, whose cost grows exponentially). A rule that concludes a
problem declares ``Obs(name="problem", ...)``, which the rules about that problem match:
that is the forward chaining.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._knowledge.model import Knowledge, LoadedRule
from .._knowledge.schema import Condition
from .._models import FactValue
from .experta import NOT, Fact, InitialFact, KnowledgeEngine, P, Rule

__all__ = ["Obs", "compile_engine", "resolve_bound"]


class Obs(Fact):  # type: ignore[misc]
    """One known fact: ``name`` and ``value``."""


def resolve_bound(bound: int | str | None, thresholds: dict[str, int]) -> int | None:
    if isinstance(bound, str):
        return thresholds[bound]
    return bound


def _in_range(low: int | None, high: int | None) -> Callable[[Any], bool]:
    def test(value: Any) -> bool:
        return (low is None or value >= low) and (high is None or value <= high)

    return test


def _differs(expected: FactValue) -> Callable[[Any], bool]:
    def test(value: Any) -> bool:
        return bool(value != expected)

    return test


def _pattern(condition: Condition, thresholds: dict[str, int]) -> Any:
    name = condition.fact
    if condition.op == "equals":
        return Obs(name=name, value=condition.value)
    if condition.op == "not":
        assert condition.value is not None
        return Obs(name=name, value=P(_differs(condition.value)))
    if condition.op == "one_of":
        return Obs(name=name, value=P(frozenset(condition.values or ()).__contains__))
    if condition.op == "range":
        low = resolve_bound(condition.min, thresholds)
        high = resolve_bound(condition.max, thresholds)
        return Obs(name=name, value=P(_in_range(low, high)))
    if condition.op == "present":
        return Obs(name=name)
    return NOT(Obs(name=name))


def _action(index: int, problem: str | None) -> Callable[[Any], None]:
    if problem is None:

        def fire(engine: Any) -> None:
            engine.fired.append(index)

    else:

        def fire(engine: Any) -> None:
            engine.fired.append(index)
            engine.declare(Obs(name="problem", value=problem))

    return fire


def compile_engine(knowledge: Knowledge) -> type[Any]:
    """An engine class with one experta rule per loaded rule. Instances record, in
    ``fired``, the index (into ``knowledge.rules``) of every rule that fired, in order."""
    thresholds = knowledge.settings.thresholds
    attributes: dict[str, Any] = {}
    for index, rule in enumerate(knowledge.rules):
        attributes[f"rule_{index:05d}"] = _compile_rule(index, rule, thresholds)
    return type("CompiledEngine", (KnowledgeEngine,), attributes)


def _compile_rule(index: int, rule: LoadedRule, thresholds: dict[str, int]) -> Any:
    patterns = [_pattern(condition, thresholds) for condition in rule.spec.when]
    if all(condition.op == "absent" for condition in rule.spec.when):
        patterns.insert(0, InitialFact())
    return Rule(*patterns, salience=rule.spec.salience)(_action(index, rule.spec.then.problem))
