"""Step 3 of the pipeline: turn a ticket into facts and run the compiled engine on them.

``prepare`` validates the ticket against the knowledge (every bad field reported at once),
reads the error code and facts out of its text, and adds what the error code implies.
``Runner`` keeps one warm engine per thread and returns the rules that fired, in order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Protocol

from .._errors import TicketError, TicketIssue
from .._knowledge.model import DERIVED_FACTS, Knowledge, parse_value
from .._models import FactValue
from .compile import Obs, compile_engine
from .extract import TextReader

__all__ = ["Prepared", "Runner", "TicketFields", "code_facts", "prepare"]


class TicketFields(Protocol):
    """What ``prepare`` reads of a ticket: a ``Ticket``, or a replayed row."""

    @property
    def id(self) -> str | None: ...
    @property
    def carrier(self) -> str | None: ...
    @property
    def error_code(self) -> int | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def facts(self) -> dict[str, FactValue]: ...


@dataclass(frozen=True)
class Prepared:
    """A validated ticket as facts: what was given, read from the text and derived."""

    ticket: TicketFields
    facts: dict[str, FactValue]
    extracted: dict[str, str]


def prepare(knowledge: Knowledge, ticket: TicketFields, reader: TextReader) -> Prepared:
    facts: dict[str, FactValue] = {}
    issues: list[TicketIssue] = []
    for name, value in ticket.facts.items():
        field = f"facts.{name}"
        if name in DERIVED_FACTS:
            issues.append(TicketIssue(field, "is derived by the engine; it cannot be given"))
        elif name not in knowledge.facts:
            known = ", ".join(sorted(knowledge.facts))
            issues.append(TicketIssue(field, f"unknown fact (known facts: {known})"))
        else:
            try:
                facts[name] = parse_value(knowledge.domains[name], value)
            except ValueError as error:
                issues.append(TicketIssue(field, str(error)))
    given: tuple[tuple[str, FactValue | None], ...] = (
        ("error_code", ticket.error_code), ("carrier", ticket.carrier),
    )  # fmt: skip
    for name, shown in given:
        if shown is None:
            continue
        if name in facts and facts[name] != shown:
            issues.append(TicketIssue(name, f"{shown!r} differs from facts.{name}"))
        facts[name] = shown
    if issues:
        raise TicketError(issues)

    facts.setdefault("carrier", knowledge.settings.default_carrier)
    extracted: dict[str, str] = {}
    if ticket.text and "error_code" not in facts:
        code = reader.error_code(ticket.text)
        if code is not None:
            facts["error_code"] = code
            extracted["error_code"] = str(code)
    _derive_from_code(knowledge, facts)
    if ticket.text:
        for name, (value, phrase) in reader.facts(ticket.text, set(facts)).items():
            facts[name] = value
            extracted[name] = phrase
    return Prepared(ticket, facts, extracted)


def code_facts(knowledge: Knowledge, code: int) -> dict[str, FactValue]:
    """What the code catalog says of an error code: whether it is in it, and its stage."""
    entry = knowledge.codes.get(code)
    if entry is None:
        return {"code_catalogued": False}
    return {"code_catalogued": True, "code_stage": entry.stage}


def _derive_from_code(knowledge: Knowledge, facts: dict[str, FactValue]) -> None:
    code = facts.get("error_code")
    if not isinstance(code, int):
        return
    facts.update(code_facts(knowledge, code))
    # A code on screen means a dial-up problem whose code was shown.
    if "topic" in knowledge.facts:
        facts.setdefault("topic", "dialup")
    if "code_shown" in knowledge.facts:
        facts.setdefault("code_shown", True)


class Runner:
    """Runs the compiled engine; one engine instance per thread, reused across tickets."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._engine_class = compile_engine(knowledge)
        # Declaring costs time per fact: declare only the facts some rule tests.
        self._tested = frozenset(c.fact for r in knowledge.rules for c in r.spec.when)
        self._tested -= {"problem"}  # derived by the rules themselves
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
        for name, value in sorted(facts.items()):  # the same facts, the same order
            if name in self._tested:
                engine.declare(Obs(name=name, value=value))
        engine.run()
        fired: list[int] = engine.fired
        return fired
