"""Which facts are worth asking for, and which one first.

A *candidate* is a rule that could still decide the case: the rule deciding it now, or a
rule that ranks above it and concludes something else, that no known fact rules out and
that waits only on facts that can still be learned (askable, unknown, not skipped, and
implying nothing that contradicts a known fact). While
the problem is unknown, the candidates are the rules that classify it and the rules that
do not depend on it; once it is decided, no other problem can be (``engine``). A rule
that some higher-ranked rule will outrank whatever one question's answer is, is no
candidate.

The questions are the facts the candidates (other than the rule deciding now) wait on; any
other question could change nothing. The one asked first:

1. the fact a need_info step names as the one it asks for (``then.ask``), if worth asking;
2. a fact some candidate needs first (its first unknown condition, in the order written);
3. the fact that splits the candidates best: the fewest candidates expected to remain after
   the answer, each answer as likely as the candidates accepting it make it;
4. on a tie, the fact whose waiting candidates are the more frequent causes
   (``[frequencies]`` in knowledge), then the order of facts.toml.

Only the rules in play are looked at: the intake module's and those of the module the
problem picks (``modules``); a rule of another problem waits on a problem that is no
question. The answers to a fact are weighed in groups that every check on it treats
alike (``split``): one ``one_of`` of a hundred thousand codes is two groups, not a
hundred thousand answers, so the cost grows with the rules and their values, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .._knowledge.model import Knowledge, LoadedRule
from .._knowledge.schema import Then
from .._models import FactValue
from .conditions import Check, Conditions
from .facts import code_facts, derive, learned_through
from .memo import Memo
from .modules import Modules

__all__ = ["Answers", "Candidate", "Ranker", "Ranking", "same_conclusion"]

_LOWEST = (-(10**9), 0)
_Nodes = tuple[str | None, ...]  # the names of the intake's and the problem's nodes in play


@dataclass(frozen=True)
class Ranking:
    questions: list[str]
    could_change: bool  # an answer could change the status, the step or the target


def _changes(found: list[Candidate], winner: LoadedRule | None) -> bool:
    if winner is None:
        return bool(found)
    keys = ("status", "step", "escalate")
    ours = tuple(getattr(winner.spec.then, key) for key in keys)
    return any(c.rule is not winner and c.waits and
               tuple(getattr(c.rule.spec.then, key) for key in keys) != ours
               for c in found)  # fmt: skip


def same_conclusion(a: Then, b: Then) -> bool:
    keys = ("problem", "cause", "status", "step", "escalate")
    return all(getattr(a, key) == getattr(b, key) for key in keys)


@dataclass(frozen=True)
class Answers:
    """Answers to a fact that every check of the rules weighed treats alike."""

    values: list[FactValue]
    known: dict[str, FactValue] = field(hash=False)  # what one of them makes known


@dataclass(frozen=True)
class Candidate:
    """A rule that could still decide the case, and the facts it waits on."""

    rule: LoadedRule
    waits: tuple[str, ...]
    weight: int  # how often its cause (or its problem's causes) occur


class Ranker:
    """Ranks the questions for one knowledge; what depends on the knowledge alone is
    worked out once, here."""

    def __init__(
        self, knowledge: Knowledge, conditions: Conditions, modules: Modules, remember: int = 0
    ) -> None:
        self._knowledge = knowledge
        self._conditions = conditions
        self._modules = modules
        # per pair of nodes in play (``Node.in_play``): their rules, and the facts they test
        self._in_play: dict[_Nodes, tuple[tuple[LoadedRule, ...], tuple[str, ...]]] = {}
        self._implied = tuple(
            sorted({n for implies in knowledge.implies.values() for n in implies})
        )
        self._memo: Memo[Ranking] = Memo(remember)
        self._derived: dict[tuple[str, tuple[object, ...]], dict[str, FactValue]] = {}
        per_problem: dict[str, int] = {}
        for name, cause in knowledge.causes.items():
            per_problem[cause.problem] = per_problem.get(cause.problem, 0) + knowledge.frequency(
                name
            )
        self._weight: dict[str, int] = {}  # per rule: how often its cause or problem occurs
        self._best = self._best_per_problem()  # per problem: its first-ranking verdict rule
        self._tests: dict[str, dict[str, list[Check]]] = {}  # per rule: checks by fact to ask
        for rule in knowledge.rules:
            self._weight[rule.id] = self._rule_weight(rule, per_problem)
            by_fact: dict[str, list[Check]] = {}
            for check in conditions.of(rule.id):
                by_fact.setdefault(learned_through(check.fact), []).append(check)
            self._tests[rule.id] = by_fact

    def _best_per_problem(self) -> dict[str, tuple[int, int]]:
        """For each problem, the rank of the first verdict rule whose tests of the problem
        it passes (rules that do not test the problem are weighed as candidates themselves)."""
        best: dict[str, tuple[int, int]] = {}
        for rule in self._knowledge.rules:
            checks = [c for c in self._conditions.of(rule.id) if c.fact == "problem"]
            if rule.spec.then.status is None or not checks:
                continue
            for problem in self._knowledge.problems:
                if all(c.evaluate({"problem": problem}) for c in checks):
                    best[problem] = max(best.get(problem, _LOWEST), rule.rank)
        return best

    def _rule_weight(self, rule: LoadedRule, per_problem: dict[str, int]) -> int:
        then = rule.spec.then
        if then.cause:
            return self._knowledge.frequency(then.cause)
        if then.status is None and then.problem:
            return per_problem.get(then.problem, 0)
        return 0

    def _could_decide(self, rule: LoadedRule, facts: Mapping[str, FactValue],
                      winner: LoadedRule | None) -> bool:  # fmt: skip
        """Whether the rule could still change the conclusion, whatever it waits on."""
        then = rule.spec.then
        if "problem" in facts and then.problem not in (None, facts["problem"]):
            return False  # another problem only matters while no problem is known
        if "problem" in facts and then.status is None:
            return False  # it would decide the problem already decided
        if winner is None or rule is winner:
            return True
        if then.status is None:  # a problem matters only if one of its rules could outrank
            return self._best.get(then.problem or "", _LOWEST) > winner.rank
        return rule.rank > winner.rank and not same_conclusion(then, winner.spec.then)

    def in_play(self, facts: Mapping[str, FactValue]) -> tuple[LoadedRule, ...]:
        """The rules that can still fire: the intake module's, and those of the module the
        problem picks, in load order."""
        return self._play(facts)[1]

    def _play(
        self, facts: Mapping[str, FactValue]
    ) -> tuple[_Nodes, tuple[LoadedRule, ...], tuple[str, ...]]:
        problem = facts.get("problem")
        after = self._modules.after(problem if isinstance(problem, str) else None)
        nodes = (self._modules.intake.in_play(facts), after and after.in_play(facts))
        key = tuple(node.name if node else None for node in nodes)
        found = self._in_play.get(key)
        if found is None:
            indexes = sorted({i for node in nodes if node for i in node.rules})
            rules = tuple(self._knowledge.rules[i] for i in indexes)
            tested = {"problem"} | {c.fact for r in rules for c in self._conditions.of(r.id)}
            found = self._in_play[key] = (rules, tuple(sorted(tested)))
        return key, *found

    def candidates(
        self,
        facts: Mapping[str, FactValue],
        winner: LoadedRule | None,
        skipped: frozenset[str] = frozenset(),
    ) -> list[Candidate]:
        found: list[Candidate] = []
        for rule in self.in_play(facts):
            if not self._could_decide(rule, facts, winner):
                continue
            unknown = self._conditions.waiting_on(rule.id, facts)
            if unknown is None:
                continue
            waits = tuple(dict.fromkeys(learned_through(name) for name in unknown))
            if all(self._askable(n, facts, skipped) for n in waits):
                found.append(Candidate(rule, waits, self._weight[rule.id]))
        return self._undominated(found, facts)

    def _undominated(
        self, found: list[Candidate], facts: Mapping[str, FactValue]
    ) -> list[Candidate]:
        """Drop the candidates that can no longer decide: when every answer to one question
        makes some rule fire that ranks above them (a suspended number, or not: either way
        the initial-password step outranks the web-version one)."""
        floor: tuple[int, int] | None = None
        by_fact: dict[str, list[Candidate]] = {}
        for candidate in found:
            if len(candidate.waits) == 1 and candidate.rule.spec.then.status is not None:
                by_fact.setdefault(candidate.waits[0], []).append(candidate)
        for fact, group in by_fact.items():
            worst = self._worst_case(fact, group, facts)
            if worst is not None and (floor is None or worst > floor):
                floor = worst
        if floor is None:
            return found
        kept = []
        for candidate in found:
            then = candidate.rule.spec.then
            rank = (self._best.get(then.problem or "", _LOWEST) if then.status is None
                    else candidate.rule.rank)  # fmt: skip
            if rank >= floor:
                kept.append(candidate)
        return kept

    def _worst_case(
        self, fact: str, group: list[Candidate], facts: Mapping[str, FactValue]
    ) -> tuple[int, int] | None:
        """The lowest rank of the rule that fires, over every answer to the fact; None when
        some answer fires none of the group."""
        worst: tuple[int, int] | None = None
        for answers in self.split(fact, [c.rule for c in group]):
            known = {**answers.known, **facts}
            ranks = [c.rule.rank for c in group
                     if self._conditions.evaluate(c.rule.id, known) is True]  # fmt: skip
            if not ranks:
                return None
            worst = max(ranks) if worst is None else min(worst, max(ranks))
        return worst

    def _askable(self, fact: str, facts: Mapping[str, FactValue], skipped: frozenset[str]) -> bool:
        """Whether the fact can still be learned: declared askable, not known, not skipped,
        and not one whose every answer contradicts what is known (a code on the screen
        when the customer sees none)."""
        spec = self._knowledge.facts.get(fact)
        if spec is None or not spec.ask or fact in skipped or fact in facts:
            return False
        implies = self._knowledge.implies.get(fact, {})
        return all(facts.get(name, value) == value for name, value in implies.items())

    def answers(self, fact: str, rules: Sequence[LoadedRule]) -> list[FactValue]:
        """One value for each answer that matters to these rules: every choice of a yes/no
        or enum fact; for a number, each value and bound the rules test and one they do not."""
        domain = self._knowledge.domains[fact]
        choices = domain.choices()
        if choices is not None:
            return [True, False] if domain.type == "bool" else list(choices)
        points: set[int] = set()
        for rule in rules:
            for check in self._tests[rule.id].get(fact, ()):
                if check.fact != fact:  # a derived fact: every catalogued code counts
                    points.update(self._knowledge.codes)
                points |= check.points()
        other = domain.min if domain.min is not None else 0
        while other in points:
            other += 1
        points.add(other)
        low, high = domain.min, domain.max
        return sorted(
            p for p in points if (low is None or p >= low) and (high is None or p <= high)
        )

    def split(
        self, fact: str, rules: Sequence[LoadedRule], values: Sequence[FactValue] | None = None
    ) -> list[Answers]:
        """The answers that matter to these rules (``answers``, or ``values``), grouped:
        answers in one group make the same facts follow and pass the same checks of these
        rules."""
        tests = dict.fromkeys(c for rule in rules for c in self._tests[rule.id].get(fact, ()))
        own = [check for check in tests if check.fact == fact]
        groups: dict[tuple[object, ...], Answers] = {}
        for value in self.answers(fact, rules) if values is None else values:
            derived_key, derived = self._follows(fact, value)
            key = (derived_key, tuple(check.holds(value) for check in own))
            group = groups.get(key)
            if group is None:
                groups[key] = Answers([value], {**derived, fact: value})
            else:
                group.values.append(value)
        return list(groups.values())

    def _follows(
        self, fact: str, value: FactValue
    ) -> tuple[tuple[object, ...], dict[str, FactValue]]:
        """What follows from an answer, besides the answer: the same for every answer but
        for the code catalog's facts of an error code."""
        key = tuple(code_facts(self._knowledge, value).items()) if (
            fact == "error_code" and isinstance(value, int)) else ()  # fmt: skip
        derived = self._derived.get((fact, key))
        if derived is None:
            facts: dict[str, FactValue] = {fact: value}
            derive(self._knowledge, facts)
            derived = self._derived[(fact, key)] = {n: v for n, v in facts.items() if n != fact}
        return key, derived

    def _expected_remaining(self, fact: str, found: list[Candidate]) -> float:
        """How many candidates are expected to remain once the fact is known."""
        groups = self.split(fact, [c.rule for c in found])
        sizes = [len(group.values) for group in groups]
        likely = [0.0] * len(groups)
        remain = [0] * len(groups)
        for candidate in found:
            checks = self._tests[candidate.rule.id].get(fact)
            accepted: Sequence[int] = range(len(groups))
            if checks:
                accepted = [i for i, group in enumerate(groups)
                            if all(c.evaluate(group.known) is not False
                                   for c in checks)]  # fmt: skip
            share = 1 / sum(sizes[index] for index in accepted) if accepted else 0.0
            for index in accepted:
                likely[index] += share
                remain[index] += 1
        total = sum(size * chance for size, chance in zip(sizes, likely, strict=True))
        if not total:
            return 0.0
        return sum(size * chance * left for size, chance, left
                   in zip(sizes, likely, remain, strict=True)) / total  # fmt: skip

    def rank(
        self,
        facts: Mapping[str, FactValue],
        winner: LoadedRule | None,
        skipped: frozenset[str] = frozenset(),
    ) -> Ranking:
        """The facts worth asking for, the one to ask first first; and whether one of the
        rules waiting on them would change what the agent does (status, step, target).
        Remembered by the facts as the rules in play see them (and the facts some known
        fact implies, as they are)."""
        if not self._memo.limit:
            return self._rank(facts, winner, skipped)
        nodes, _, tested = self._play(facts)
        seen = (nodes, self._conditions.key(facts, tested))
        implied = tuple(facts.get(name) for name in self._implied)
        key = (seen, implied, winner.id if winner else None, skipped)
        return self._memo.through(key, lambda: self._rank(facts, winner, skipped))

    def _rank(
        self, facts: Mapping[str, FactValue], winner: LoadedRule | None, skipped: frozenset[str]
    ) -> Ranking:
        found = self.candidates(facts, winner, skipped)
        return Ranking(self._order(found, winner), _changes(found, winner))

    def _order(self, found: list[Candidate], winner: LoadedRule | None) -> list[str]:
        weight: dict[str, int] = {}
        for candidate in found:
            if candidate.rule is winner:
                continue
            for name in candidate.waits:
                weight[name] = weight.get(name, 0) + candidate.weight
        first = winner.spec.then.ask if winner is not None else None
        order = self._knowledge.fact_order
        # a rule's conditions are asked in the order they are written: a fact is due when it
        # is the first unknown one of some rule (the password was forgotten, then the handset)
        due = {c.waits[0] for c in found if c.rule is not winner and c.waits}

        def first_keys(name: str) -> tuple[bool, bool]:
            return (name != first, name not in due)

        # the split is worked out only between facts the first keys do not tell apart
        tied = Counter(first_keys(name) for name in weight)

        def key(name: str) -> tuple[bool, bool, float, int, int]:
            split = (round(self._expected_remaining(name, found), 9)
                     if tied[first_keys(name)] > 1 else 0.0)  # fmt: skip
            return (*first_keys(name), split, -weight[name], order[name])

        return sorted(weight, key=key)
