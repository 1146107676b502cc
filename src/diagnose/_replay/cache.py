"""Diagnose many tickets fast: identical facts are never diagnosed twice.

The engine is deterministic, so a ticket's diagnosis depends only on its facts (and the
phrases read from its text, which the diagnosis reports). ``CachedDiagnoser`` keeps the
diagnosis of each set of facts seen, already serialized, and the rules that fired for
each set of facts *as the rules see them*: a number such as ``area_reports`` matters only
through the ranges the rules test, so 7 and 9 reports run the engine once.

Each cache holds at most ``limit`` entries and starts again when full: memory stays flat
however many tickets pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from .._api import KnowledgeBase
from .._engine.compile import resolve_bound
from .._engine.explain import explain
from .._engine.run import TicketFields, prepare
from .._errors import TicketError
from .._models import FactValue
from .read import RowProblem

__all__ = ["CSV_COLUMNS", "CSV_LIST", "CachedDiagnoser", "Counted", "Result", "summary"]

CSV_COLUMNS = (
    "row", "id", "status", "problem", "cause", "next_step", "escalate", "tier",
    "deadline_hours", "wording", "questions", "extracted", "rules", "error_kind",
    "error_message",
)  # fmt: skip
CSV_LIST = "; "  # between the phrases of the CSV column extracted (phrases may hold spaces)


class Counted(NamedTuple):
    """What the report counts of a diagnosis."""

    status: str
    problem: str
    cause: str | None
    target: str | None  # the escalation target, if any
    rules: tuple[str, ...]  # the rules that fired
    phrases: tuple[str, ...]  # "fact=phrase" read from the text


@dataclass(frozen=True)
class Result:
    """A diagnosis ready to write, and what the report counts of it."""

    json_rest: str  # the Diagnosis as JSON, without its opening '{' and ticket_id
    csv_rest: tuple[str, ...]  # the CSV columns after row and id, without the errors
    counted: Counted


class CachedDiagnoser:
    def __init__(self, base: KnowledgeBase, limit: int = 20_000) -> None:
        self._knowledge = base._knowledge
        self._reader = base._reader
        self._runner = base._runner
        self._limit = limit
        self._results: dict[Any, Result] = {}
        self._fired: dict[Any, list[int]] = {}
        self.engine_runs = 0
        thresholds = self._knowledge.settings.thresholds
        # int facts every rule tests only by range: their value matters only through these
        ranges: dict[str, list[tuple[int | None, int | None]]] = {}
        exact: set[str] = set()
        for rule in self._knowledge.rules:
            for condition in rule.spec.when:
                if condition.op == "range":
                    bounds = (resolve_bound(condition.min, thresholds),
                              resolve_bound(condition.max, thresholds))  # fmt: skip
                    ranges.setdefault(condition.fact, []).append(bounds)
                elif condition.op not in ("present", "absent"):
                    exact.add(condition.fact)
        self._ranges = {name: tuple(b) for name, b in ranges.items() if name not in exact}

    def diagnose(self, ticket: TicketFields) -> Result | RowProblem:
        try:
            prepared = prepare(self._knowledge, ticket, self._reader)
        except TicketError as error:
            return RowProblem("bad_ticket", "; ".join(str(issue) for issue in error.issues))
        facts = prepared.facts
        key = (tuple(sorted(facts.items())), tuple(sorted(prepared.extracted.items())))
        result = self._results.get(key)
        if result is None:
            fired = self._run(facts)
            diagnosis = explain(self._knowledge, prepared, fired).model_dump(mode="json")
            result = _result(diagnosis)
            if len(self._results) >= self._limit:
                self._results.clear()
            self._results[key] = result
        return result

    def _run(self, facts: dict[str, FactValue]) -> list[int]:
        seen = tuple(sorted(
            (name, self._as_seen(name, value)) for name, value in facts.items()
        ))  # fmt: skip
        fired = self._fired.get(seen)
        if fired is None:
            fired = self._runner.run(facts)
            self.engine_runs += 1
            if len(self._fired) >= self._limit:
                self._fired.clear()
            self._fired[seen] = fired
        return fired

    def _as_seen(self, name: str, value: FactValue) -> object:
        bounds = self._ranges.get(name)
        if bounds is None or not isinstance(value, int):
            return value
        return tuple((low is None or value >= low) and (high is None or value <= high)
                     for low, high in bounds)  # fmt: skip


def summary(diagnosis: dict[str, Any]) -> Counted:
    """What the report counts of a diagnosis, given as JSON data."""
    escalation = diagnosis["escalation"]
    return Counted(
        diagnosis["status"], diagnosis["problem"], diagnosis["cause"],
        escalation["target"] if escalation else None,
        tuple(entry["rule"] for entry in diagnosis["trace"]),
        tuple(f"{fact}={phrase}" for fact, phrase in diagnosis["extracted"].items()),
    )  # fmt: skip


def _result(diagnosis: dict[str, Any]) -> Result:
    del diagnosis["ticket_id"]
    rest = json.dumps(diagnosis, ensure_ascii=False)[1:]
    counted = summary(diagnosis)
    escalation = diagnosis["escalation"]
    csv_rest = (
        counted.status, counted.problem, counted.cause or "", diagnosis["next_step"]["id"],
        counted.target or "",
        str(escalation["tier"]) if escalation else "",
        str(escalation["deadline_hours"]) if escalation else "",
        diagnosis["wording"],
        " ".join(q["fact"] for q in diagnosis["questions"]),
        CSV_LIST.join(counted.phrases),
        " ".join(counted.rules),
    )  # fmt: skip
    return Result(rest, csv_rest, counted)
