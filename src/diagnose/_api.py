"""The Python API: ``load()`` a knowledge base, ``diagnose()`` a ticket.

import diagnose
diagnose.diagnose({"error_code": 691, "facts": {"account_status": "arrears"}})
kb = diagnose.load(rules="my/rules", knowledge="my/knowledge")
kb.diagnose(diagnose.Ticket(text="宽带拨号显示错误678"))
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._engine import Consultation, Engine, Memo, question, score_reading
from ._errors import KnowledgeError, KnowledgeIssue, TicketError, TicketIssue
from ._knowledge import Knowledge, load_knowledge
from ._models import Diagnosis, ReadingScore, Ticket, build_models

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "CodeInfo",
    "FactInfo",
    "KnowledgeBase",
    "ProblemInfo",
    "RuleInfo",
    "TicketLike",
    "default_base",
    "diagnose",
    "load",
    "to_ticket",
]

TicketLike = Ticket | Mapping[str, Any] | str | bytes

DEFAULT_CACHE_SIZE = 4096  # diagnoses kept for repeated tickets


class CodeInfo(BaseModel):
    """One dial-up error code of the catalog."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    code: int
    name: str | None
    stage: str
    problem: str
    meaning: str
    meaning_en: str
    source: str


class FactInfo(BaseModel):
    """A fact a ticket may give, and how an agent learns it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    name: str
    type: str
    choices: list[str] | None
    question: str
    question_en: str
    askable: bool
    source: str


class ProblemInfo(BaseModel):
    """A problem the knowledge covers, with where its answers come from."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    name: str
    name_en: str
    rules: int = Field(description="the rules that decide it or answer it")
    codes: list[int] = Field(description="the error codes of the catalog that name it")
    carriers: list[str] = Field(
        description="the carriers some of its rules speak for alone; empty: all alike"
    )
    source: str


class RuleInfo(BaseModel):
    """A loaded rule, for listings."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    file: str
    salience: int
    problem: str | None
    status: str | None
    examples: int
    source: str
    line: int | None = None


def to_ticket(ticket: TicketLike) -> Ticket:
    """A Ticket from a Ticket, a mapping or JSON text; a TicketError naming each bad field."""
    if isinstance(ticket, Ticket):
        return ticket
    try:
        if isinstance(ticket, (str, bytes)):
            return Ticket.model_validate_json(ticket)
        if isinstance(ticket, Mapping):
            return Ticket.model_validate(dict(ticket))
    except ValidationError as error:
        issues = []
        for detail in error.errors():
            field = ".".join(str(part) for part in detail["loc"]) or "ticket"
            issues.append(TicketIssue(field, detail["msg"]))
        raise TicketError(issues) from None
    kind = type(ticket).__name__
    raise TicketError([TicketIssue("ticket", f"expected a Ticket, a mapping or JSON text, "
                                   f"got {kind}")])  # fmt: skip


class KnowledgeBase:
    """Loaded, validated and compiled rules and knowledge. Safe to share between threads.

    The same ticket always gets the same diagnosis: the last ``cache_size`` diagnoses are
    kept, by what the ticket says (its carrier, code, text and facts), and a repeated
    ticket gets its diagnosis back with its own id. Tickets that differ only where no rule
    looks (7 or 9 reports in the area, when the rules ask "5 or more") share the engine's
    work. ``cache_size=0`` keeps nothing: every call reads, runs and ranks again.

    Beside ``diagnose`` and the listings, it offers diagnose's own stages what they build
    on: ``knowledge`` (the validated files) and ``engine`` (prepare, run, conclude)."""

    def __init__(self, knowledge: Knowledge, *, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._engine = Engine(knowledge) if cache_size > 0 else Engine(knowledge, remember=0)
        self._diagnoses: Memo[Diagnosis] = Memo(cache_size)

    @property
    def knowledge(self) -> Knowledge:
        return self._engine.knowledge

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def rules_dir(self) -> Path:
        return self.knowledge.rules_dir

    @property
    def knowledge_dir(self) -> Path:
        return self.knowledge.knowledge_dir

    @property
    def default_carrier(self) -> str:
        return self.knowledge.settings.default_carrier

    @property
    def carriers(self) -> list[str]:
        """The carriers a ticket may name."""
        return list(self.knowledge.carriers)

    @property
    def cache_size(self) -> int:
        return self._diagnoses.limit

    def diagnose(self, ticket: TicketLike) -> Diagnosis:
        """Diagnose one ticket. Raises TicketError for an invalid ticket, nothing else."""
        ticket = to_ticket(ticket)
        if not self._diagnoses.limit:
            return self.consult(ticket).diagnosis
        given = tuple(sorted((n, type(v).__name__, v) for n, v in ticket.facts.items()))
        key = (ticket.carrier, ticket.error_code, ticket.text, given)
        found = self._diagnoses.get(key)
        if found is None:
            found = self._diagnoses.put(key, self.consult(ticket).diagnosis)
        if found.ticket_id == ticket.id:
            return found
        return found.model_copy(update={"ticket_id": ticket.id})

    def warm_up(self) -> None:
        """Build every rule engine now (a few hundred milliseconds), so that no call pays
        for one later: what a long-running app (a service, a session screen) does once
        after loading. Without it, each engine is built the first time a ticket needs it
        (and each model of a diagnosis or a session the first time one is made)."""
        self._engine.modules.warm()
        build_models()

    def consult(self, ticket: Ticket, skipped: frozenset[str] = frozenset()) -> Consultation:
        """The diagnosis with what led to it: the facts and the rules that fired."""
        return self._engine.consult(ticket, skipped)

    def score_reading(self, lines: Iterable[str]) -> ReadingScore:
        """How well notes are read: JSON lines of ``{"text", "facts"}`` (the facts a colleague
        reads in each note) in; per-fact right, wrong and missed, each misread note, and each
        line that could not be scored out."""
        return score_reading(self._engine, lines)

    def codes(self) -> list[CodeInfo]:
        k = self.knowledge
        return [
            CodeInfo(code=c.code, name=c.name, stage=c.stage, problem=c.problem,
                     meaning=c.meaning, meaning_en=c.meaning_en, source=k.cite(c.source))
            for c in sorted(k.codes.values(), key=lambda c: c.code)
        ]  # fmt: skip

    def facts(self) -> list[FactInfo]:
        k = self.knowledge
        result = []
        for name, spec in k.facts.items():
            choices = question(k, name).choices
            result.append(FactInfo(name=name, type=spec.type, choices=choices,
                                   question=spec.question, question_en=spec.question_en,
                                   askable=spec.ask, source=k.cite(spec.source)))  # fmt: skip
        return result

    def problems(self) -> list[ProblemInfo]:
        k = self.knowledge
        found = []
        for pid, spec in k.problems.items():
            rules = [r for r in k.rules if r.problem == pid]
            carriers = {v for r in rules for c in r.spec.when if c.fact == "carrier"
                        for v in ([c.value] if c.values is None else c.values)}  # fmt: skip
            codes = sorted(c.code for c in k.codes.values() if c.problem == pid)
            found.append(ProblemInfo(id=pid, name=spec.zh, name_en=spec.en, rules=len(rules),
                                     codes=codes, carriers=sorted(map(str, carriers - {None})),
                                     source=k.cite(spec.source)))  # fmt: skip
        return found

    def rules(self) -> list[RuleInfo]:
        return [
            RuleInfo(id=r.id, file=r.path, salience=r.spec.salience, problem=r.problem,
                     status=r.spec.then.status, examples=len(r.spec.example),
                     source=r.source, line=r.line)
            for r in self.knowledge.rules
        ]  # fmt: skip


def load(
    rules: str | Path | None = None,
    knowledge: str | Path | None = None,
    *,
    cache_size: int = DEFAULT_CACHE_SIZE,
) -> KnowledgeBase:
    """Load, validate and compile rules and knowledge (default: the ones shipped with
    diagnose). Raises KnowledgeError listing every problem found. ``cache_size``: how
    many diagnoses are kept for repeated tickets (0: none; ``KnowledgeBase``)."""
    for name, folder in (("rules", rules), ("knowledge", knowledge)):
        if folder is not None and not isinstance(folder, (str, Path)):
            kind = type(folder).__name__
            raise KnowledgeError([KnowledgeIssue(name, f"expected a folder path, got {kind}")])
    if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 0:
        raise KnowledgeError([KnowledgeIssue("cache_size", "expected a whole number, 0 or more")])
    return KnowledgeBase(load_knowledge(rules, knowledge), cache_size=cache_size)


_default: KnowledgeBase | None = None
_default_lock = threading.Lock()


def default_base() -> KnowledgeBase:
    """The shipped knowledge, loaded once."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load()
        return _default


def diagnose(ticket: TicketLike, *, knowledge: KnowledgeBase | None = None) -> Diagnosis:
    """Diagnose one ticket (a Ticket, a dict, or JSON text) with the shipped knowledge, or
    with ``knowledge`` from ``load()``."""
    return (knowledge or default_base()).diagnose(ticket)
