"""Compile the loaded rules into an experta ``KnowledgeEngine``: one experta rule each.

Every known fact is one ``Obs(name=..., value=...)``; each condition is the pattern its
``Check`` gives (``conditions``). A rule that decides the problem declares
``Obs(name="problem", ...)``, which the rules about that problem match: that is the
forward chaining. Rules that decide the problem fire before any other (they test only the
ticket's facts), so a rule that waits for the problem to stay unknown never fires once
one is decided. Which rule's conclusion stands is decided afterwards from the rules that
fired, by salience and load order (``explain``), not by firing order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._knowledge.model import Knowledge, LoadedRule
from .conditions import Conditions, Obs
from .experta import InitialFact, KnowledgeEngine, Rule

__all__ = ["compile_engine"]

# Above every salience a rule file may give (-1000 to 1000): classification fires first.
_CLASSIFY_FIRST = 10_000


def _action(index: int, problem: str | None) -> Callable[[Any], None]:
    if problem is None:

        def fire(engine: Any) -> None:
            engine.fired.append(index)

    else:

        def fire(engine: Any) -> None:
            engine.fired.append(index)
            engine.declare(Obs(name="problem", value=problem))

    return fire


def compile_engine(knowledge: Knowledge, conditions: Conditions) -> type[Any]:
    """An engine class with one experta rule per loaded rule. Instances record, in
    ``fired``, the index (into ``knowledge.rules``) of every rule that fired, in order."""
    attributes: dict[str, Any] = {}
    for index, rule in enumerate(knowledge.rules):
        attributes[f"rule_{index:05d}"] = _compile_rule(index, rule, conditions)
    return type("CompiledEngine", (KnowledgeEngine,), attributes)


def _compile_rule(index: int, rule: LoadedRule, conditions: Conditions) -> Any:
    checks = conditions.of(rule.id)
    patterns = [check.pattern() for check in checks]
    if all(check.negated for check in checks):
        patterns.insert(0, InitialFact())  # a rule needs one fact to match to fire
    salience = rule.spec.salience + (_CLASSIFY_FIRST if rule.classifies else 0)
    return Rule(*patterns, salience=salience)(_action(index, rule.spec.then.problem))
