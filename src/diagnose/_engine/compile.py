"""Compile rules into experta engines: one experta rule per loaded rule.

A ticket enters an engine as one fact, a ``Case``: one slot per fact the engine's rules
test, ``UNKNOWN`` where the fact is not known (as a CLIPS template's slot holds ``nil``).
Each rule is one pattern on that fact, a constraint per slot its conditions test (the
condition's ``accepts``); a value every rule tests alike, an equality, is a literal, so
experta's network tests it once for all of them.

Every rule that matches fires and records itself; which conclusion stands is decided
afterwards from the rules that fired, by rank (salience, then load order; ``explain``),
never by firing order. The agenda still fires by rank, first-ranking first: experta's
default strategy keys each activation through a cache that compares activations field
by field, most of a run's time on a small engine.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .._knowledge.model import Knowledge
from .conditions import Check
from .experta import Fact, KnowledgeEngine, P, ReteMatcher, Rule, Strategy, prepare_rule

__all__ = ["Case", "compile_engine"]


class Case(Fact):  # type: ignore[misc]
    """A ticket as one fact: one slot per fact the engine's rules test."""


class _ByRank(Strategy):  # type: ignore[misc]
    """Activations in rank order: a rule's salience is its rank, the last fires first."""

    def _update_agenda(self, agenda: Any, added: Iterable[Any], removed: Iterable[Any]) -> None:
        waiting = agenda.activations
        for activation in removed:
            for index, other in enumerate(waiting):
                if other.rule is activation.rule and other.facts == activation.facts:
                    del waiting[index]
                    break
        for activation in added:
            activation.key = activation.rule.salience
            bisect.insort(waiting, activation)


class _Matcher(ReteMatcher):  # type: ignore[misc]
    """experta's Rete matcher, remembering its own network's conflict-set nodes: experta
    caches them for one matcher at a time, so two engines used in turn walk their whole
    networks at every change. The rules' normal form, from which each instance builds its
    network, is worked out once per rule and its checks (it depends on them alone), for
    all the engines that hold the rule: most of what a new instance cost."""

    @staticmethod
    def prepare_ruleset(engine: Any) -> Any:
        engine_class = type(engine)
        ruleset = engine_class.__dict__.get("prepared_rules")
        if ruleset is None:
            shared = engine_class.shared_rules  # one rule's form, whichever engine holds it
            ruleset = set()
            for name, key in engine_class.rule_keys.items():
                prepared = shared.get(key)
                if prepared is None:
                    prepared = shared[key] = prepare_rule(getattr(engine, name))
                ruleset.add(prepared)
            engine_class.prepared_rules = ruleset
        return ruleset

    def _get_conflict_set_nodes(self) -> tuple[Any, ...]:
        nodes: tuple[Any, ...] | None = self.__dict__.get("_conflict_set_nodes")
        if nodes is None:
            nodes = ReteMatcher._get_conflict_set_nodes.__wrapped__(self)  # noqa: SLF001
            self._conflict_set_nodes = nodes
        return nodes


def _record(index: int) -> Callable[[Any], None]:
    def fire(engine: Any) -> None:
        engine.fired.append(index)

    return fire


def _constraint(checks: Sequence[Check]) -> Any:
    """What a rule requires of one slot: a literal where experta can test it as one."""
    if len(checks) == 1 and checks[0].literal() is not None:
        return checks[0].literal()
    return P(lambda slot: all(check.accepts(slot) for check in checks))


def _deffacts(engine: Any) -> list[Any]:
    """No initial facts: every rule here is one pattern on the ``Case``, so none waits on
    experta's initial fact, and declaring it at each reset was a third of the reset."""
    return []


def _declare(engine: Any, *facts: Any) -> Any:
    """experta's ``declare``, without its warning that nothing was declared since the reset
    (the initial fact it looks for is never declared here): the declaring it does after
    that check, experta's own (pinned at 1.9.4)."""
    return engine._KnowledgeEngine__declare(*facts)  # noqa: SLF001


def compile_engine(
    knowledge: Knowledge,
    checks: Mapping[int, Sequence[Check]],
    slots: Mapping[str, str],
    shared: dict[Any, Any],
) -> type[Any]:
    """An engine class with the given rules (indexes into ``knowledge.rules``, each with
    the checks it tests: those that hold for every ticket the engine sees are left out),
    testing the facts named in ``slots`` (fact → slot). Instances record in ``fired`` the
    index of each rule that fires. ``shared``: the rules in the form experta's network is
    built from, kept for every engine of one knowledge."""
    keys: dict[str, tuple[int, tuple[Check, ...]]] = {}
    attributes: dict[str, Any] = {"__matcher__": _Matcher, "__strategy__": _ByRank,
                                  "get_deffacts": _deffacts, "declare": _declare,
                                  "shared_rules": shared,
                                  "rule_keys": keys}  # fmt: skip
    for index, tested in checks.items():
        by_slot: dict[str, list[Check]] = {}
        for check in tested:
            by_slot.setdefault(slots[check.fact], []).append(check)
        pattern = Case(**{slot: _constraint(found) for slot, found in by_slot.items()})
        rank = knowledge.rules[index].rank
        attributes[f"rule_{index:05d}"] = Rule(pattern, salience=rank)(_record(index))
        keys[f"rule_{index:05d}"] = (index, tuple(tested))
    return type("CompiledEngine", (KnowledgeEngine,), attributes)
