"""One knowledge, compiled: a ticket in, its facts, the rules that fired, the diagnosis out.

    prepare (facts) → run (experta) → decide the problem → rank the questions → explain

Exactly one problem per ticket. The rules that decide a problem test only the ticket's
facts; when those facts decide two different problems (a code on the screen and "no code
shown"), the ticket contradicts itself: a ``TicketError`` names the facts on each side,
so nothing is concluded from half of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import TicketError, TicketIssue
from .._knowledge.model import TICKET_FIELDS, Knowledge, LoadedRule, show_value
from .._models import Diagnosis, FactValue
from .conditions import Conditions
from .explain import deciding, explain
from .extract import TextReader
from .facts import Prepared, Reads, TicketFields, prepare
from .questions import Ranker
from .run import Runner

__all__ = ["Consultation", "Engine"]


@dataclass(frozen=True)
class Consultation:
    """One pass through the pipeline: the facts, the rules that fired, the diagnosis."""

    prepared: Prepared
    facts: dict[str, FactValue]  # what the rules saw: prepared facts and the problem
    fired: list[LoadedRule]
    deciding: LoadedRule | None  # the fired rule whose conclusion stands, if any
    diagnosis: Diagnosis


class Engine:
    """The compiled rules of one knowledge. Safe to share between threads.

    ``remember``: how many module runs and rankings are kept (0: none, and no reading
    either: every call works everything out; the reader otherwise keeps its own number of
    texts); ``split=False`` runs the rules unsplit (``modules``)."""

    def __init__(self, knowledge: Knowledge, *, remember: int = 20_000, split: bool = True) -> None:
        self.knowledge = knowledge
        self.conditions = Conditions(knowledge)
        self.reader = TextReader(knowledge) if remember else TextReader(knowledge, 0)
        self._runner = Runner(knowledge, self.conditions, split, remember)
        self.modules = self._runner.modules
        self.ranker = Ranker(knowledge, self.conditions, self.modules, remember)

    def prepare(self, ticket: TicketFields, reader: Reads | None = None) -> Prepared:
        """The ticket's facts; TicketError names every bad field. ``reader``: one that
        keeps the ticket's reading (a session's), else the engine's."""
        return prepare(self.knowledge, ticket, reader or self.reader)

    def run(self, facts: dict[str, FactValue]) -> list[int]:
        """Indexes (into ``knowledge.rules``) of the rules that fire on these facts."""
        return self._runner.run(facts)

    @property
    def runs(self) -> int:
        """How many times a module's experta engine ran (remembered runs not counted)."""
        return self._runner.runs

    def conclude(
        self, prepared: Prepared, fired_indexes: list[int], skipped: frozenset[str] = frozenset()
    ) -> Consultation:
        """The diagnosis from the rules that fired; ``skipped`` facts are never asked."""
        fired = [self.knowledge.rules[index] for index in fired_indexes]
        facts = dict(prepared.facts)
        problem = self._problem(prepared, fired)
        if problem is not None:
            facts["problem"] = problem
        rule = deciding(fired)
        ranking = self.ranker.rank(facts, rule, skipped)
        diagnosis = explain(self.knowledge, prepared, facts, fired, ranking)
        return Consultation(prepared, facts, fired, rule, diagnosis)

    def consult(
        self,
        ticket: TicketFields,
        skipped: frozenset[str] = frozenset(),
        reader: Reads | None = None,
    ) -> Consultation:
        prepared = self.prepare(ticket, reader)
        return self.conclude(prepared, self.run(prepared.facts), skipped)

    def _problem(self, prepared: Prepared, fired: list[LoadedRule]) -> str | None:
        """The problem the fired rules decided; TicketError when they decided several."""
        sides: dict[str, list[LoadedRule]] = {}
        for rule in fired:
            if rule.spec.then.problem is not None:
                sides.setdefault(rule.spec.then.problem, []).append(rule)
        if len(sides) > 1:
            raise TicketError([self._contradiction(prepared, sides)])
        return next(iter(sides), None)

    def _contradiction(self, prepared: Prepared, sides: dict[str, list[LoadedRule]]) -> TicketIssue:
        """Names the facts behind each problem: the ones the ticket gave or its text said
        (a fact that follows from another is shown with it, the one it follows from named)."""
        facts, implied = prepared.facts, prepared.implied
        named: list[str] = []
        said = []
        for problem, rules in sides.items():
            tested = dict.fromkeys(c.fact for r in rules for c in self.conditions.of(r.id))
            shown = [f"{name}={show_value(facts[name])}"
                     + (f" (from {implied[name]})" if name in implied else "")
                     for name in tested if name in facts]  # fmt: skip
            named += [implied.get(name, name) for name in tested if name in facts]
            said.append(f"{', '.join(shown)} → {problem} ({', '.join(r.id for r in rules)})")
        fields = " & ".join(n if n in TICKET_FIELDS else f"facts.{n}" for n in dict.fromkeys(named))
        return TicketIssue(fields, "these facts decide different problems: "
                           f"{'; '.join(said)}; correct or remove one of them")  # fmt: skip
