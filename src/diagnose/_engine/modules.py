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

Inside a module, as a Rete network's hashed alpha memories do, the rules are dispatched
on the value of the fact most of them test for given values (``error_code = 691``,
``one_of``, ``absent``): a ticket runs the engine of the rules that accept its value and
of the rules that do not ask for one, and those rules no longer test it. The value of a
fact no rule asks for, or an unknown one that none requires, runs the latter only. The
split goes a few facts deep while it spares rules; each engine is compiled the first time
a ticket needs it. So a ticket's cost depends on the rules that could fire on it, not on
how many rules wait for other codes.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from .._knowledge.model import Knowledge
from .._models import FactValue
from .compile import compile_engine
from .conditions import UNKNOWN, Absent, Check, Conditions, Equals, OneOf

__all__ = ["INTAKE", "UNDECIDED", "Module", "Modules", "Node"]

INTAKE = "intake"
UNDECIDED = "undecided"
_DEPTH = 3  # facts dispatched on, at most, one inside the other
_SMALLEST = 4  # rules: fewer are not split further
_SPARES = 0.75  # split when a value runs this share of the rules or fewer, on average

Checks = Mapping[int, tuple[Check, ...]]  # per rule (index): the checks its engine tests


class Module:
    """Rules compiled into one engine (when a ticket first needs it)."""

    def __init__(self, knowledge: Knowledge, name: str, rules: tuple[int, ...], checks: Checks,
                 slots: Mapping[str, str], shared: dict[Any, Any]) -> None:  # fmt: skip
        self.name = name
        self.rules = rules  # indexes into ``knowledge.rules``
        tested = sorted({check.fact for index in rules for check in checks[index]})
        self.slots = tuple((fact, slots[fact]) for fact in tested)  # (fact, Case slot)
        self.facts = tuple(tested)  # the facts its engine tests, in name order
        self._build = (knowledge, {index: checks[index] for index in rules}, shared)
        self._engine: type[Any] | None = None
        self._lock = threading.Lock()
        self._idle: list[Any] = []  # warm instances, lent to one run at a time

    def engine(self) -> type[Any]:
        """Its compiled experta engine class."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    knowledge, checks, shared = self._build
                    self._engine = compile_engine(knowledge, checks, dict(self.slots), shared)
        return self._engine

    def take(self) -> Any:
        """A warm instance of its engine, for one run (``give_back`` when done)."""
        try:
            return self._idle.pop()
        except IndexError:
            return self.engine()()

    def give_back(self, instance: Any) -> None:
        self._idle.append(instance)

    def warm(self) -> None:
        """Have one instance ready, so that the next run builds none."""
        if not self._idle:
            self._idle.append(self.engine()())


def _keyed(checks: Sequence[Check]) -> frozenset[Any] | None:
    """The values a rule's checks on one fact accept, when a finite set says it
    (``UNKNOWN`` for ``absent``); None when no check names its values."""
    found: frozenset[Any] | None = None
    for check in checks:
        if isinstance(check, Equals):
            values: frozenset[Any] = frozenset([check.value])
        elif isinstance(check, OneOf):
            values = frozenset(check.values)
        elif isinstance(check, Absent):
            values = frozenset([UNKNOWN])
        else:
            continue
        found = values if found is None else found & values
    return found


class Node:
    """The rules of a module, or of one dispatch of it: one engine, or children by the
    value of one fact."""

    def __init__(self, knowledge: Knowledge, name: str, rules: tuple[int, ...], checks: Checks,
                 slots: Mapping[str, str], shared: dict[Any, Any],
                 depth: int = 0) -> None:  # fmt: skip
        self.name = name
        self.rules = rules  # every rule under it, in load order
        self.on: str | None = None  # the fact dispatched on, if any
        self._child: dict[Any, Node] = {}  # by value (``UNKNOWN`` too)
        self._other: Node | None = None  # for values no rule asks for
        self._module: Module | None = None
        found = self._dispatch(rules, checks) if depth < _DEPTH else None
        if found is None:
            self._module = Module(knowledge, name, rules, checks, slots, shared)
            return
        self.on, keyed = found
        rest = {i: checks[i] for i in rules if i not in keyed}
        for i in keyed:  # the keyed rules no longer test the fact's values
            rest[i] = tuple(c for c in checks[i] if c.fact != self.on or _keyed([c]) is None)
        accepting: dict[Any, list[int]] = {}  # per value: the keyed rules accepting it
        for i, values in keyed.items():
            for value in sorted(values, key=repr):  # numbered alike in every process
                accepting.setdefault(value, []).append(i)
        groups: dict[frozenset[int], list[Any]] = {}  # the same rules accepting: one child
        for value, taking in accepting.items():
            groups.setdefault(frozenset(taking), []).append(value)
        unkeyed = tuple(i for i in rules if i not in keyed)
        for number, (accepted, taken) in enumerate(groups.items()):
            kept = tuple(i for i in rules if i in accepted or i not in keyed)
            # a value every rule accepts spares none: its rules may still be split as deep
            deeper = depth + 1 if len(kept) < len(rules) else depth
            child = Node(knowledge, f"{name}/{self.on}#{number}", kept, rest, slots, shared,
                         deeper)  # fmt: skip
            for value in taken:
                self._child[value] = child
        self._other = Node(knowledge, f"{name}/{self.on}#-", unkeyed, rest, slots, shared,
                           depth + 1)  # fmt: skip

    @staticmethod
    def _dispatch(
        rules: tuple[int, ...], checks: Checks
    ) -> tuple[str, dict[int, frozenset[Any]]] | None:
        """The fact whose values spare the most rules (the fewest rules a value runs, on
        average), with the values each rule accepts; None when none spares enough."""
        if len(rules) < _SMALLEST:
            return None
        by_fact: dict[str, dict[int, frozenset[Any]]] = {}
        for i in rules:
            facts = dict.fromkeys(check.fact for check in checks[i])
            for fact in facts:
                values = _keyed([c for c in checks[i] if c.fact == fact])
                if values is not None:
                    by_fact.setdefault(fact, {})[i] = values
        best: tuple[float, str] | None = None
        for fact in sorted(by_fact):
            keyed = by_fact[fact]
            count: dict[Any, int] = {}
            for values in keyed.values():
                for value in values:
                    count[value] = count.get(value, 0) + 1
            # the rules a value runs, on average over the values asked for and one other
            unkeyed = len(rules) - len(keyed)
            mean = unkeyed + sum(count.values()) / (len(count) + 1)
            if mean <= _SPARES * len(rules) and (best is None or mean < best[0]):
                best = (mean, fact)
        return None if best is None else (best[1], by_fact[best[1]])

    def module(self, facts: Mapping[str, FactValue]) -> Module:
        """The engine to run on these facts."""
        if self._module is not None:
            return self._module
        return self._pick(facts.get(self.on or "", UNKNOWN)).module(facts)

    def _pick(self, value: Any) -> Node:
        child = self._child.get(value)
        if child is None:
            assert self._other is not None
            return self._other
        return child

    def leaves(self) -> list[Module]:
        """Every engine under it."""
        if self._module is not None:
            return [self._module]
        children = dict.fromkeys([*self._child.values(), self._other])
        return [leaf for child in children if child is not None for leaf in child.leaves()]

    def in_play(self, facts: Mapping[str, FactValue]) -> Node:
        """The node whose rules can still fire once the facts not yet known are: a known
        value picks its child; an unknown one could still be any."""
        node = self
        while node.on is not None and node.on in facts:
            node = node._pick(facts[node.on])
        return node


class Modules:
    """A knowledge's rules, split into modules and compiled.

    ``split=False`` keeps every rule that tests the problem in one module (testing it),
    with no dispatch: the same answers as the split, for comparing the two."""

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
        every = {i: conditions.of(rule.id) for i, rule in enumerate(knowledge.rules)}
        # a problem's module never tests the problem: every ticket it sees has it
        unsplit = every if not split else {
            i: tuple(c for c in checks if c.fact != "problem") for i, checks in every.items()
        }  # fmt: skip
        depth = 0 if split else _DEPTH
        shared: dict[Any, Any] = {}  # each rule as experta builds networks from it
        self.intake = Node(knowledge, INTAKE, tuple(intake), every, slots, shared, depth)
        self._by_name = {name: Node(knowledge, name, tuple(rules), unsplit, slots, shared, depth)
                         for name, rules in grouped.items()}  # fmt: skip
        self._split = split

    def warm(self) -> None:
        """Build every engine now, one instance each: no run pays for it later."""
        for node in (self.intake, *self._by_name.values()):
            for leaf in node.leaves():
                leaf.warm()

    def after(self, problem: str | None) -> Node | None:
        """The module to run once the intake module has decided ``problem`` (or none)."""
        if not self._split:
            return self._by_name.get("all")
        return self._by_name.get(UNDECIDED if problem is None else problem)
