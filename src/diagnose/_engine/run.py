"""Run a ticket's facts through the rule modules, on warm engines.

experta's ``reset`` and ``declare`` are most of a run; each module keeps its warm engine
instances and lends one to each run, on any thread (as many as ran at once, at most).
What a module fires is remembered by the facts as its rules see them
(``Conditions.key``): a module runs once per distinct view. The rules that fired are
returned in one order, however they were split: the rules that decide the problem
first, then by rank (salience, then load order).
"""

from __future__ import annotations

from .._knowledge.model import Knowledge
from .._models import FactValue
from .compile import Case
from .conditions import UNKNOWN, Conditions
from .memo import Memo
from .modules import Module, Modules

__all__ = ["Runner"]


class Runner:
    def __init__(
        self, knowledge: Knowledge, conditions: Conditions, split: bool = True, remember: int = 0
    ) -> None:
        self.modules = Modules(knowledge, conditions, split)
        self._conditions = conditions
        self._memo: Memo[tuple[int, ...]] = Memo(remember)
        self.runs = 0  # module runs through experta (not remembered ones)
        self._rules = knowledge.rules
        # the rules that decide the problem first, then the first-ranking first
        rules = knowledge.rules
        ordered = sorted(range(len(rules)), key=lambda i: (rules[i].classifies, rules[i].rank),
                         reverse=True)  # fmt: skip
        self._position = {index: position for position, index in enumerate(ordered)}

    def fire(self, module: Module, facts: dict[str, FactValue]) -> tuple[int, ...]:
        """The rules of one module that fire on these facts."""
        if not self._memo.limit:
            return self._fire(module, facts)
        key = (module.name, self._conditions.key(facts, module.facts))
        return self._memo.through(key, lambda: self._fire(module, facts))

    def _fire(self, module: Module, facts: dict[str, FactValue]) -> tuple[int, ...]:
        self.runs += 1
        engine = module.take()
        engine.fired = []
        engine.reset()
        engine.declare(Case(**{slot: facts.get(fact, UNKNOWN) for fact, slot in module.slots}))
        engine.run()
        fired = tuple(engine.fired)
        module.give_back(engine)  # not after a failure: its state is unknown
        return fired

    def run(self, facts: dict[str, FactValue]) -> list[int]:
        """Indexes (into ``knowledge.rules``) of the rules that fired: the intake module's,
        then those of the module its problem picks. Rules that decide two problems are
        returned alone: the ticket contradicts itself."""
        fired = self.fire(self.modules.intake.module(facts), facts)
        decided = {self._rules[i].spec.then.problem for i in fired if self._rules[i].classifies}
        if len(decided) <= 1:
            problem = next(iter(decided), None)
            node = self.modules.after(problem)
            if node is not None:
                seen = facts if problem is None else {**facts, "problem": problem}
                fired += self.fire(node.module(seen), seen)
        return sorted(fired, key=self._position.__getitem__)
