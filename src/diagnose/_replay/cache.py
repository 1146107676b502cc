"""Diagnose many tickets fast: identical facts are never diagnosed twice.

The engine is deterministic, so a ticket's diagnosis depends only on what it says (its
carrier, code, text and facts), never on its id: ``CachedDiagnoser`` keeps the diagnosis
of each ticket seen, already serialized as the rows write it, so a repeated ticket is not
even prepared again; and of each set of prepared facts (the phrases read from the text
with them), so that tickets worded apart that say the same share one. The engine itself
remembers its runs by the facts *as the rules see them*: a number such as
``area_reports`` matters only through the checks the rules make of it, so 7 and 9 reports
run the rules once.

The cache holds at most ``limit`` entries and starts again when full: memory stays flat
however many tickets pass.
"""

from __future__ import annotations

from typing import Any

from .._api import KnowledgeBase
from .._engine import TextSays, TicketFields
from .._errors import TicketError
from .read import RowProblem
from .rows import Result, result_of

__all__ = ["CachedDiagnoser"]


class CachedDiagnoser:
    def __init__(self, base: KnowledgeBase, limit: int = 20_000) -> None:
        self._engine = base.engine
        self._limit = limit
        self._results: dict[Any, Result | RowProblem] = {}
        self._runs_before = self._engine.runs

    @property
    def engine_runs(self) -> int:
        """Rule module runs through experta since this diagnoser started."""
        return self._engine.runs - self._runs_before

    def __len__(self) -> int:
        """The entries the cache holds now: never more than the limit."""
        return len(self._results)

    def remember(self, text: str, read: TextSays) -> None:
        """Keep what another process read of a text: it is not read again here."""
        self._engine.reader.remember(text, read)

    def diagnose(self, ticket: TicketFields) -> Result | RowProblem:
        """The ticket's diagnosis as the rows write it, or why it has none."""
        said = (ticket.carrier, ticket.error_code, ticket.text, tuple(ticket.facts.items()))
        result = self._results.get(said)
        if result is None:
            result = self._prepared(ticket)
            self._keep(said, result)
        return result

    def _keep(self, key: Any, result: Result | RowProblem) -> None:
        if len(self._results) >= self._limit:
            self._results.clear()
        self._results[key] = result

    def _prepared(self, ticket: TicketFields) -> Result | RowProblem:
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
                consultation = self._engine.conclude(prepared, self._engine.run(prepared.facts))
                result = result_of(consultation.diagnosis.model_dump(mode="json"))
            except TicketError as error:
                result = _bad(error)
            self._keep(key, result)
        return result


def _bad(error: TicketError) -> RowProblem:
    return RowProblem("bad_ticket", "; ".join(str(issue) for issue in error.issues))
