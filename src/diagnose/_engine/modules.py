"""Rule modules: each ticket runs through two small engines, never the whole rule set.

As CLIPS modules or Drools agenda groups do, the rules are split by what they are about:

- the *intake* module: the rules that decide the problem, and the rules that hold
  whatever the problem (the escalation ladder, the first questions);
- one module per problem: the rules that test for that problem (a rule for several
  problems, ``problem one_of [...]``, is in each of their modules);
- the *undecided* module: the rules that wait for the problem to stay unknown.

The intake module runs first; the problem its rules decide picks the one module that
runs next (no problem: the undecided module). A problem's module never tests the problem
again: every ticket it sees has it. So a ticket's cost depends on the rules of its own
problem, not on how many other problems the knowledge holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._knowledge.model import Knowledge
from .compile import compile_engine
from .conditions import Conditions

__all__ = ["INTAKE", "UNDECIDED", "Module", "Modules"]

INTAKE = "intake"
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Module:
    name: str  # INTAKE, UNDECIDED or a problem
    rules: tuple[int, ...]  # indexes into ``knowledge.rules``
    slots: tuple[tuple[str, str], ...]  # (fact, slot of the Case fact) per fact it tests
    engine: type[Any]  # its compiled experta engine
    facts: tuple[str, ...] = field(init=False)  # the facts its rules test, in name order

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", tuple(fact for fact, _ in self.slots))


class Modules:
    """A knowledge's rules, split into modules and compiled.

    ``split=False`` keeps every rule that tests the problem in one module (testing it):
    the same answers as the split, for comparing the two."""

    def __init__(self, knowledge: Knowledge, conditions: Conditions, split: bool = True) -> None:
        self._knowledge, self._conditions = knowledge, conditions
        slots = {fact: f"s{index}" for index, fact in enumerate(sorted(conditions.by_fact))}
        intake: list[int] = []
        grouped: dict[str, list[int]] = {}
        for index, rule in enumerate(knowledge.rules):
            tests = [c for c in conditions.of(rule.id) if c.fact == "problem"]
            if not tests:
                intake.append(index)
                continue
            if not split:
                grouped.setdefault("all", []).append(index)
                continue
            for problem in knowledge.problems:
                if all(c.evaluate({"problem": problem}) is True for c in tests):
                    grouped.setdefault(problem, []).append(index)
            if all(c.evaluate({}) is True for c in tests):
                grouped.setdefault(UNDECIDED, []).append(index)
        self.intake = self._module(INTAKE, intake, slots, skip=False)
        self._by_name = {name: self._module(name, rules, slots, skip=split)
                         for name, rules in grouped.items()}  # fmt: skip
        self._split = split

    def _module(self, name: str, rules: list[int], slots: dict[str, str], skip: bool) -> Module:
        tested = {c.fact for i in rules for c in self._conditions.of(self._knowledge.rules[i].id)}
        if skip:
            tested.discard("problem")
        used = {fact: slots[fact] for fact in sorted(tested)}
        engine = compile_engine(self._knowledge, self._conditions, rules, used,
                                frozenset({"problem"}) if skip else frozenset())  # fmt: skip
        return Module(name, tuple(rules), tuple(used.items()), engine)

    def after(self, problem: str | None) -> Module | None:
        """The module to run once the intake module has decided ``problem`` (or none)."""
        if not self._split:
            return self._by_name.get("all")
        return self._by_name.get(UNDECIDED if problem is None else problem)
