"""The baseline every engine benchmark measures against, in the same process: the same
rules as a plain experta rule set written the usual way.

One ``KnowledgeEngine`` holds every rule; each known fact is its own ``Fact``; a rule is
one pattern per condition (``NOT`` for a fact that must be unknown); a rule that decides
the problem declares it, and the rules about that problem match it (forward chaining).
Per ticket: ``reset``, ``declare`` each fact, ``run``; the deciding rule is the
first-ranking one that fired. experta's own conflict resolution, logging as experta sets
it up (its loggers quiet, as diagnose leaves them).
"""

from __future__ import annotations

from typing import Any

import diagnose
from diagnose._engine.experta import NOT, Fact, InitialFact, KnowledgeEngine, P, Rule

__all__ = ["PlainExperta"]


class Known(Fact):
    """One known fact: ``Known(error_code=691)``."""


class PlainExperta:
    def __init__(self, base: diagnose.KnowledgeBase) -> None:
        knowledge, conditions = base.knowledge, base.engine.conditions
        self._rules = knowledge.rules
        self._tested = set(conditions.by_fact) - {"problem"}
        attributes: dict[str, Any] = {}
        for index, rule in enumerate(knowledge.rules):
            patterns: list[Any] = []
            for check in conditions.of(rule.id):
                if type(check).__name__ == "Absent":
                    patterns.append(NOT(Known(**{check.fact: P(lambda _: True)})))
                else:
                    patterns.append(Known(**{check.fact: P(check.holds)}))
            if not patterns or all(isinstance(p, NOT) for p in patterns):
                patterns.insert(0, InitialFact())
            bonus = 10_000 if rule.classifies else 0  # the problem is decided first
            action = _action(index, rule.spec.then.problem)
            attributes[f"rule_{index:05d}"] = Rule(*patterns, salience=rule.spec.salience + bonus)(
                action
            )
        self._engine = type("Plain", (KnowledgeEngine,), attributes)()

    def decide(self, facts: dict[str, Any]) -> str | None:
        """The id of the deciding rule for these (prepared) facts."""
        engine = self._engine
        engine.fired = []
        engine.reset()
        for name, value in sorted(facts.items()):
            if name in self._tested:
                engine.declare(Known(**{name: value}))
        engine.run()
        verdicts = [self._rules[i] for i in engine.fired if self._rules[i].spec.then.status]
        return max(verdicts, key=lambda r: r.rank).id if verdicts else None


def _action(index: int, problem: str | None) -> Any:
    def fire(engine: Any) -> None:
        engine.fired.append(index)
        if problem is not None:
            engine.declare(Known(problem=problem))

    return fire
