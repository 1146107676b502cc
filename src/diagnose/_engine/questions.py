"""Which facts are worth asking for, and which one first.

A *candidate* is a rule that could still decide the case: the rule deciding it now, or a
rule that ranks above it and concludes something else, that no known fact rules out and
that waits only on facts that can still be learned (askable, unknown, not skipped). While
the problem is unknown, the candidates are the rules that classify it and the rules that
do not depend on it.

The questions are the facts the candidates (other than the rule deciding now) wait on; any
other question could change nothing. The one asked first:

1. the fact a need_info step names as the one it asks for (``then.ask``), if worth asking;
2. the fact that splits the candidates best: the fewest candidates expected to remain after
   the answer, each answer as likely as the candidates accepting it make it;
3. on a tie, the fact whose waiting candidates are the more frequent causes
   (``[frequencies]`` in knowledge), then the order of facts.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from .._knowledge.model import Knowledge, LoadedRule
from .._knowledge.schema import Condition, Then
from .._models import FactValue
from .compile import resolve_bound
from .run import code_facts

__all__ = [
    "Candidate",
    "answers",
    "candidates",
    "evaluate",
    "learned_through",
    "questions",
    "rank",
    "same_conclusion",
    "waiting_on",
]

_LOWEST = (-(10**9), 0)
# Derived facts learned by asking for another one.
_LEARNED_THROUGH = {"code_stage": "error_code", "code_catalogued": "error_code"}


def learned_through(fact: str) -> str:
    """The fact to ask for to learn this one: itself, or the one it is derived from."""
    return _LEARNED_THROUGH.get(fact, fact)


def rank(rule: LoadedRule) -> tuple[int, int]:
    """Sort key: the rule that ranks first has the largest key."""
    return (rule.spec.salience, -rule.order)


def evaluate(
    condition: Condition, facts: dict[str, FactValue], thresholds: dict[str, int]
) -> bool | None:
    """True, False, or None when the fact is unknown and the answer could go either way."""
    known = condition.fact in facts
    if condition.op == "absent":
        return not known
    if not known:
        return None
    value = facts[condition.fact]
    if condition.op == "present":
        return True
    if condition.op == "equals":
        return value == condition.value
    if condition.op == "not":
        return value != condition.value
    if condition.op == "one_of":
        return value in (condition.values or ())
    low = resolve_bound(condition.min, thresholds)
    high = resolve_bound(condition.max, thresholds)
    assert isinstance(value, int)
    return (low is None or value >= low) and (high is None or value <= high)


def waiting_on(
    rule: LoadedRule, facts: dict[str, FactValue], thresholds: dict[str, int]
) -> list[str] | None:
    """The unknown facts this rule waits on, or None if a known fact rules it out."""
    unknown: list[str] = []
    for condition in rule.spec.when:
        result = evaluate(condition, facts, thresholds)
        if result is False:
            return None
        if result is None and condition.fact not in unknown:
            unknown.append(condition.fact)
    return unknown


def same_conclusion(a: Then, b: Then) -> bool:
    keys = ("problem", "cause", "status", "step", "escalate")
    return all(getattr(a, key) == getattr(b, key) for key in keys)


@dataclass(frozen=True)
class Candidate:
    """A rule that could still decide the case, and the facts it waits on."""

    rule: LoadedRule
    waits: tuple[str, ...]
    weight: int  # how often its cause (or its problem's causes) occur


@dataclass(frozen=True)
class _Index:
    """What question order needs of the knowledge alone, worked out once per knowledge."""

    weight: dict[int, int]  # per rule (by order): how often its cause, or its problem's, occurs
    best: dict[str | None, tuple[int, int]]  # per problem: its first-ranking verdict rule
    tests: dict[int, dict[str, list[Condition]]]  # per rule: its conditions by fact to ask


_INDEXES: WeakKeyDictionary[Knowledge, _Index] = WeakKeyDictionary()


def _index(knowledge: Knowledge) -> _Index:
    index = _INDEXES.get(knowledge)
    if index is None:
        per_problem: dict[str, int] = {}
        for name, cause in knowledge.causes.items():
            per_problem[cause.problem] = per_problem.get(cause.problem, 0) + knowledge.frequency(
                name
            )
        weight: dict[int, int] = {}
        best: dict[str | None, tuple[int, int]] = {}
        tests: dict[int, dict[str, list[Condition]]] = {}
        for rule in knowledge.rules:
            then = rule.spec.then
            if then.cause:
                weight[rule.order] = knowledge.frequency(then.cause)
            elif then.status is None and then.problem:
                weight[rule.order] = per_problem.get(then.problem, 0)
            else:
                weight[rule.order] = 0
            if then.status is not None:
                best[rule.problem] = max(best.get(rule.problem, _LOWEST), rank(rule))
            by_fact: dict[str, list[Condition]] = {}
            for condition in rule.spec.when:
                by_fact.setdefault(learned_through(condition.fact), []).append(condition)
            tests[rule.order] = by_fact
        index = _INDEXES[knowledge] = _Index(weight, best, tests)
    return index


def candidates(
    knowledge: Knowledge,
    facts: dict[str, FactValue],
    winner: LoadedRule | None,
    skipped: frozenset[str] = frozenset(),
) -> list[Candidate]:
    thresholds = knowledge.settings.thresholds
    problem_known = "problem" in facts
    known = facts.get("problem")
    index = _index(knowledge)
    best = index.best
    found: list[Candidate] = []
    for rule in knowledge.rules:
        then = rule.spec.then
        if problem_known and (then.status is None or rule.problem not in (None, known)):
            continue  # another problem only matters while no problem is known
        if winner is not None and rule is not winner:
            if then.status is None:
                # a problem matters only if one of its rules could outrank the winner
                if best.get(then.problem, _LOWEST) <= rank(winner):
                    continue
            elif rank(rule) <= rank(winner) or same_conclusion(then, winner.spec.then):
                continue  # it cannot decide the case, or would decide it the same way
        unknown = waiting_on(rule, facts, thresholds)
        if unknown is None:
            continue
        waits = [learned_through(name) for name in unknown]
        if all(
            knowledge.askable(name) and name not in skipped and name not in facts for name in waits
        ):
            found.append(Candidate(rule, tuple(dict.fromkeys(waits)), index.weight[rule.order]))
    return found


def _as_facts(knowledge: Knowledge, fact: str, value: FactValue) -> dict[str, FactValue]:
    """The facts an answer makes known: the fact, and what an error code implies."""
    facts = {fact: value}
    if fact == "error_code" and isinstance(value, int):
        facts.update(code_facts(knowledge, value))
    return facts


def answers(knowledge: Knowledge, fact: str, rules: list[LoadedRule]) -> list[FactValue]:
    """One value for each answer that matters to these rules: every choice of a yes/no or
    enum fact; for a number, each value and bound the rules test and one value they do not."""
    domain = knowledge.domains[fact]
    if domain.type == "bool":
        return [True, False]
    if domain.type == "enum":
        return list(domain.values or ())
    thresholds = knowledge.settings.thresholds
    points: set[int] = set()
    for rule in rules:
        for condition in rule.spec.when:
            if learned_through(condition.fact) != fact:
                continue
            if condition.fact != fact:  # a derived fact: every catalogued code counts
                points.update(knowledge.codes)
            for value in [condition.value, *(condition.values or ())]:
                if isinstance(value, int) and not isinstance(value, bool):
                    points.add(value)
            low = resolve_bound(condition.min, thresholds)
            high = resolve_bound(condition.max, thresholds)
            for bound, beyond in ((low, -1), (high, 1)):
                if bound is not None:
                    points.update((bound, bound + beyond))
    lowest = domain.min if domain.min is not None else 0
    other = lowest
    while other in points:
        other += 1
    points.add(other)
    return sorted(
        p
        for p in points
        if (domain.min is None or p >= domain.min) and (domain.max is None or p <= domain.max)
    )


def _expected_remaining(knowledge: Knowledge, fact: str, found: list[Candidate]) -> float:
    """How many candidates are expected to remain once the fact is known."""
    values = answers(knowledge, fact, [c.rule for c in found])
    known = [_as_facts(knowledge, fact, value) for value in values]
    thresholds = knowledge.settings.thresholds
    tests = _index(knowledge).tests
    likely = dict.fromkeys(values, 0.0)
    remain = dict.fromkeys(values, 0)
    for candidate in found:
        conditions = tests[candidate.rule.order].get(fact)
        accepted = values
        if conditions:
            accepted = [
                value
                for value, facts in zip(values, known, strict=True)
                if all(evaluate(c, facts, thresholds) is not False for c in conditions)
            ]
        for value in accepted:
            likely[value] += 1 / len(accepted)
            remain[value] += 1
    total = sum(likely.values())
    if not total:
        return 0.0
    return sum(likely[v] * remain[v] for v in values) / total


def questions(
    knowledge: Knowledge,
    facts: dict[str, FactValue],
    winner: LoadedRule | None,
    skipped: frozenset[str] = frozenset(),
) -> list[str]:
    """The facts worth asking for, the one to ask first first."""
    found = candidates(knowledge, facts, winner, skipped)
    weight: dict[str, int] = {}
    for candidate in found:
        if candidate.rule is winner:
            continue
        for name in candidate.waits:
            weight[name] = weight.get(name, 0) + candidate.weight
    first = winner.spec.then.ask if winner is not None else None
    order = knowledge.fact_order

    def key(name: str) -> tuple[bool, float, int, int]:
        split = _expected_remaining(knowledge, name, found)
        return (name != first, round(split, 9), -weight[name], order[name])

    return sorted(weight, key=key)
