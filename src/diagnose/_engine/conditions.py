"""What a rule condition means: the one place its semantics are written.

Each operator of the rule files is a ``Check`` on one fact, built once per knowledge
(thresholds resolved). A check says

- ``holds(value)``: whether a known value passes it;
- ``evaluate(facts)``: True, False, or None while the fact is unknown and the answer could
  still go either way (the question ranking and ``why`` use this);
- ``accepts(slot)``: the same test where ``UNKNOWN`` stands for a fact not known (``compile``
  builds each rule's experta pattern from these, so experta and the ranking cannot
  disagree);
- ``describe(lang)``: how a person reads it, 'error_code ∈ {619, 629, 691}';
- ``points()``: the numbers at which its answer can change, so a number fact is asked,
  cached and replayed through the few intervals the rules tell apart.

``absent`` is the one operator that holds while a fact is unknown.

A number fact matters only through its checks: ``Conditions.key`` reduces each value to
the interval of the numbers the rules tell apart, so that facts on which every check
gives the same answers share one key (what the engine remembers is keyed on it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .._knowledge.model import Knowledge, show_value
from .._knowledge.schema import Condition
from .._models import FactValue

__all__ = ["UNKNOWN", "Check", "Conditions", "check_of"]


class _Unknown:
    """The value of a slot whose fact is not known (CLIPS's ``nil``)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final[Any] = _Unknown()


@dataclass(frozen=True)
class Check:
    """A test on one fact. Subclasses define ``holds`` and ``describe``."""

    fact: str

    def holds(self, value: FactValue) -> bool:
        raise NotImplementedError

    def evaluate(self, facts: Mapping[str, FactValue]) -> bool | None:
        if self.fact not in facts:
            return None
        return self.holds(facts[self.fact])

    def accepts(self, slot: Any) -> bool:
        """Whether a slot passes: a known value that ``holds``."""
        return slot is not UNKNOWN and self.holds(slot)

    def literal(self) -> Any:
        """The one slot value that passes, if only one does (None otherwise)."""
        return None

    def describe(self, lang: str = "zh") -> str:
        raise NotImplementedError

    def points(self) -> frozenset[int]:
        return frozenset()

    def cuts(self) -> frozenset[int]:
        """The numbers at which its answer may change, going up: each value it tests, and
        the one after it (a range: its low bound, and the one after its high bound)."""
        return frozenset(n for p in self.points() for n in (p, p + 1))


def _numbers(values: Iterable[FactValue]) -> frozenset[int]:
    return frozenset(v for v in values if isinstance(v, int) and not isinstance(v, bool))


@dataclass(frozen=True)
class Equals(Check):
    value: FactValue

    def holds(self, value: FactValue) -> bool:
        return value == self.value

    def literal(self) -> Any:
        return self.value

    def describe(self, lang: str = "zh") -> str:
        return f"{self.fact} = {show_value(self.value)}"

    def points(self) -> frozenset[int]:
        return _numbers([self.value])


@dataclass(frozen=True)
class Differs(Check):
    value: FactValue

    def holds(self, value: FactValue) -> bool:
        return value != self.value

    def describe(self, lang: str = "zh") -> str:
        return f"{self.fact} ≠ {show_value(self.value)}"

    def points(self) -> frozenset[int]:
        return _numbers([self.value])


@dataclass(frozen=True)
class OneOf(Check):
    values: tuple[FactValue, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_members", frozenset(self.values))
        object.__setattr__(self, "_points", _numbers(self.values))

    def holds(self, value: FactValue) -> bool:
        return value in self._members  # type: ignore[attr-defined]

    def describe(self, lang: str = "zh") -> str:
        return f"{self.fact} ∈ {{{', '.join(show_value(v) for v in self.values)}}}"

    def points(self) -> frozenset[int]:
        points: frozenset[int] = self._points  # type: ignore[attr-defined]
        return points


@dataclass(frozen=True)
class InRange(Check):
    low: int | None
    high: int | None
    named: tuple[str, ...] = ()  # the thresholds the bounds come from, if any

    def holds(self, value: FactValue) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def describe(self, lang: str = "zh") -> str:
        if self.low is not None and self.high is not None:
            shown = f"{self.low} ≤ {self.fact} ≤ {self.high}"
        elif self.low is not None:
            shown = f"{self.fact} ≥ {self.low}"
        else:
            shown = f"{self.fact} ≤ {self.high}"
        return f"{shown} ({', '.join(self.named)})" if self.named else shown

    def points(self) -> frozenset[int]:
        found = set()
        if self.low is not None:
            found |= {self.low - 1, self.low}
        if self.high is not None:
            found |= {self.high, self.high + 1}
        return frozenset(found)

    def cuts(self) -> frozenset[int]:
        return frozenset(n for n in (self.low, None if self.high is None else self.high + 1)
                         if n is not None)  # fmt: skip


@dataclass(frozen=True)
class Present(Check):
    def holds(self, value: FactValue) -> bool:
        return True

    def accepts(self, slot: Any) -> bool:
        return slot is not UNKNOWN

    def describe(self, lang: str = "zh") -> str:
        return f"{self.fact} {'已知' if lang == 'zh' else 'known'}"


@dataclass(frozen=True)
class Absent(Check):
    def holds(self, value: FactValue) -> bool:
        return False

    def evaluate(self, facts: Mapping[str, FactValue]) -> bool | None:
        return self.fact not in facts

    def accepts(self, slot: Any) -> bool:
        return slot is UNKNOWN

    def literal(self) -> Any:
        return UNKNOWN

    def describe(self, lang: str = "zh") -> str:
        return f"{self.fact} {'未知' if lang == 'zh' else 'not known'}"


def check_of(condition: Condition, thresholds: Mapping[str, int]) -> Check:
    """The check a (validated) condition of a rule file stands for."""
    fact, op = condition.fact, condition.op
    if op == "equals":
        assert condition.value is not None
        return Equals(fact, condition.value)
    if op == "not":
        assert condition.value is not None
        return Differs(fact, condition.value)
    if op == "one_of":
        return OneOf(fact, tuple(condition.values or ()))
    if op == "range":
        bounds = [thresholds[b] if isinstance(b, str) else b
                  for b in (condition.min, condition.max)]  # fmt: skip
        named = tuple(b for b in (condition.min, condition.max) if isinstance(b, str))
        return InRange(fact, bounds[0], bounds[1], named)
    return Present(fact) if op == "present" else Absent(fact)


class Conditions:
    """Every rule's conditions as checks, built once per knowledge, by rule id."""

    def __init__(self, knowledge: Knowledge) -> None:
        thresholds = knowledge.settings.thresholds
        self._of = {
            rule.id: tuple(check_of(c, thresholds) for c in rule.spec.when)
            for rule in knowledge.rules
        }
        by_fact: dict[str, list[Check]] = {}
        for checks in self._of.values():
            for check in checks:
                by_fact.setdefault(check.fact, []).append(check)
        self.by_fact = {fact: tuple(checks) for fact, checks in by_fact.items()}
        self._cuts = {fact: tuple(sorted(frozenset().union(*(c.cuts() for c in checks))))
                      for fact, checks in self.by_fact.items()}  # fmt: skip

    def of(self, rule_id: str) -> tuple[Check, ...]:
        return self._of[rule_id]

    def evaluate(self, rule_id: str, facts: Mapping[str, FactValue]) -> bool | None:
        """True when every condition holds, False when one fails, else None (waiting)."""
        waiting = False
        for check in self._of[rule_id]:
            result = check.evaluate(facts)
            if result is False:
                return False
            waiting = waiting or result is None
        return None if waiting else True

    def waiting_on(self, rule_id: str, facts: Mapping[str, FactValue]) -> list[str] | None:
        """The unknown facts the rule waits on, or None when a known fact rules it out."""
        unknown: list[str] = []
        for check in self._of[rule_id]:
            result = check.evaluate(facts)
            if result is False:
                return None
            if result is None and check.fact not in unknown:
                unknown.append(check.fact)
        return unknown

    def key(self, facts: Mapping[str, FactValue], names: Iterable[str]) -> tuple[object, ...]:
        """The facts named, as the rules see them: a number reduced to the interval between
        the numbers where some check's answer changes (7 and 9 reports are one key when
        every check gives both the same answer), an unknown fact ``UNKNOWN``. Facts with
        the same key pass the same checks."""
        return tuple(self._canonical(name, facts.get(name, UNKNOWN)) for name in names)

    def _canonical(self, name: str, value: Any) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        return (UNKNOWN, bisect.bisect(self._cuts.get(name, ()), value))  # no value is a tuple
