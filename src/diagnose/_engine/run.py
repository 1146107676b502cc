"""Run the compiled engine on a ticket's facts: one warm engine per thread.

experta's ``reset`` and ``declare`` are most of a diagnosis; an engine instance is kept
per thread and reused across tickets. Only the facts some rule tests are declared, in
name order, so the same facts always fire the same rules in the same order.
"""

from __future__ import annotations

import threading
from typing import Any

from .._knowledge.model import Knowledge
from .._models import FactValue
from .compile import compile_engine
from .conditions import Conditions, Obs

__all__ = ["Runner"]


class Runner:
    def __init__(self, knowledge: Knowledge, conditions: Conditions) -> None:
        self._engine_class = compile_engine(knowledge, conditions)
        self._tested = frozenset(conditions.by_fact) - {"problem"}  # problem: from the rules
        self._local = threading.local()

    def _engine(self) -> Any:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._engine_class()
            self._local.engine = engine
        return engine

    def run(self, facts: dict[str, FactValue]) -> list[int]:
        """Indexes (into ``knowledge.rules``) of the rules that fired, in firing order."""
        engine = self._engine()
        engine.fired = []
        engine.reset()
        for name, value in sorted(facts.items()):
            if name in self._tested:
                engine.declare(Obs(name=name, value=value))
        engine.run()
        fired: list[int] = engine.fired
        return fired
