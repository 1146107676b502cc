"""Diagnose many tickets fast: identical facts are never diagnosed twice.

The engine is deterministic, so a ticket's diagnosis depends only on its facts (and the
phrases read from its text, which the diagnosis reports). ``CachedDiagnoser`` keeps the
diagnosis of each set of facts seen, already serialized, and the rules that fired for
each set of facts *as the rules see them* (``Conditions.seen``): a number such as
``area_reports`` matters only through the checks the rules make of it, so 7 and 9 reports
run the engine once.

Each cache holds at most ``limit`` entries and starts again when full: memory stays flat
however many tickets pass.
"""

from __future__ import annotations

from typing import Any

from .._api import KnowledgeBase
from .._engine import TicketFields
from .._errors import TicketError
from .._models import FactValue
from .read import RowProblem
from .rows import Result, result_of

__all__ = ["CachedDiagnoser"]


class CachedDiagnoser:
    def __init__(self, base: KnowledgeBase, limit: int = 20_000) -> None:
        self._engine = base.engine
        self._limit = limit
        self._results: dict[Any, Result | RowProblem] = {}
        self._fired: dict[Any, list[int]] = {}
        self.engine_runs = 0

    def __len__(self) -> int:
        """The entries the caches hold now: never more than twice the limit."""
        return len(self._results) + len(self._fired)

    def diagnose(self, ticket: TicketFields) -> Result | RowProblem:
        """The ticket's diagnosis as the rows write it, or why it has none."""
        try:
            prepared = self._engine.prepare(ticket)
        except TicketError as error:
            return _bad(error)
        read = tuple((fact, r.phrase, r.value, r.how, r.negation, r.others)
                     for fact, r in prepared.extracted.items())  # fmt: skip
        key = (tuple(sorted(prepared.facts.items())), read, tuple(sorted(prepared.implied.items())))
        result = self._results.get(key)
        if result is None:
            try:
                consultation = self._engine.conclude(prepared, self._run(prepared.facts))
                result = result_of(consultation.diagnosis.model_dump(mode="json"))
            except TicketError as error:
                result = _bad(error)
            if len(self._results) >= self._limit:
                self._results.clear()
            self._results[key] = result
        return result

    def _run(self, facts: dict[str, FactValue]) -> list[int]:
        seen = self._engine.conditions.seen(facts)
        fired = self._fired.get(seen)
        if fired is None:
            fired = self._engine.run(facts)
            self.engine_runs += 1
            if len(self._fired) >= self._limit:
                self._fired.clear()
            self._fired[seen] = fired
        return fired


def _bad(error: TicketError) -> RowProblem:
    return RowProblem("bad_ticket", "; ".join(str(issue) for issue in error.issues))
