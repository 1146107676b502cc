"""A consultation: the engine asks the question that matters most, the agent answers.

A ``Session`` starts from whatever is known (a ticket, or nothing) and keeps the answers in
order. Its state is the starting ticket plus that list: the diagnosis is worked out again
from them after every change, so undoing an answer and giving it again, or saving and
resuming, always gives the same state. Working it out again is cheap: the ticket's text is
read once per session, the engine remembers the module runs and rankings it has worked
out (``KnowledgeBase``), and ``why`` keeps the state each answer it weighed leads to, so
giving one of those answers costs nothing more.

    session = diagnose.Session({"error_code": 691})
    question = session.next_question()        # password_forgotten
    session.answer(question.fact, False)
    session.diagnosis.status                  # 'need_info' until the engine can conclude
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._api import KnowledgeBase, TicketLike, default_base, to_ticket
from ._engine import Consultation, Reads, TextSays, concludes, learned_through, question
from ._errors import SessionError, TicketError
from ._knowledge import DERIVED_FACTS, LoadedRule, parse_value
from ._models import Answer, Diagnosis, FactValue, Outcome, Question, Reason, Ticket, Waiting, Why

__all__ = ["SESSION_FORMAT", "Session"]

SESSION_FORMAT = "diagnose-session/1"


class _Saved(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = Field(pattern=f"^{SESSION_FORMAT}$")
    ticket: dict[str, Any]
    answers: list[Answer]


class Session:
    """An interactive diagnosis. Not safe to share between threads; make one per call."""

    def __init__(
        self, ticket: TicketLike | None = None, *, knowledge: KnowledgeBase | None = None
    ) -> None:
        self._base = knowledge or default_base()
        self._knowledge = self._base.knowledge
        self._engine = self._base.engine
        self._ticket = to_ticket(ticket if ticket is not None else {})
        self._answers: list[Answer] = []
        self._reader = _ReadOnce(self._engine.reader)
        self._ahead: dict[tuple[str, str, FactValue], Consultation] = {}  # by why(), from here
        self._state = self._consult()  # raises TicketError for a bad ticket

    # -- state ------------------------------------------------------------------------------

    @property
    def ticket(self) -> Ticket:
        """The ticket the session started from."""
        return self._ticket

    @property
    def answers(self) -> list[Answer]:
        """The answers and skips so far, in the order given."""
        return list(self._answers)

    @property
    def diagnosis(self) -> Diagnosis:
        """The current best diagnosis; ``status`` is ``need_info`` until it can conclude."""
        return self._state.diagnosis

    def next_question(self) -> Question | None:
        """The question that matters most now; None when no answer could change the
        diagnosis."""
        asked = self.diagnosis.questions
        return asked[0] if asked else None

    def _skipped(self) -> frozenset[str]:
        """Facts skipped and not answered since."""
        skipped: set[str] = set()
        for entry in self._answers:
            if entry.skipped:
                skipped.add(entry.fact)
            else:
                skipped.discard(entry.fact)
        return frozenset(skipped)

    def _consult(self, extra: Answer | None = None) -> Consultation:
        self._ahead = {} if extra is None else self._ahead
        given = dict(self._ticket.facts)
        for entry in [*self._answers, *([extra] if extra else [])]:
            if not entry.skipped:
                assert entry.value is not None
                given[entry.fact] = entry.value
        ticket = self._ticket.model_copy(update={"facts": given})
        return self._engine.consult(ticket, self._skipped(), self._reader)

    def _consult_with(self, entry: Answer) -> Consultation:
        """The state with one more answer; SessionError when the ticket would contradict
        itself."""
        try:
            return self._consult(entry)
        except TicketError as error:
            detail = "; ".join(str(issue) for issue in error.issues)
            raise SessionError(f"'{entry.fact}' = {entry.value!r} does not fit what is known: "
                               f"{detail}", fact=entry.fact) from None  # fmt: skip

    # -- changes ----------------------------------------------------------------------------

    def _check_open(self, fact: str) -> None:
        """The fact must be declared and not yet known (a fact read from the ticket text may
        be corrected; one given or answered may not)."""
        k = self._knowledge
        if not isinstance(fact, str) or fact in DERIVED_FACTS or fact not in k.facts:
            known = ", ".join(k.facts)
            raise SessionError(f"unknown fact '{fact}' (known facts: {known})", fact=fact)
        facts = self._state.facts
        if fact in facts and fact not in self.diagnosis.extracted:
            given = self._ticket.facts.get(fact, getattr(self._ticket, fact, None))
            if any(a.fact == fact and not a.skipped for a in self._answers):
                how = "was answered; use undo (back) to change it"
            elif given is not None:
                how = "was given with the ticket"
            elif fact == "carrier":
                how = "is the knowledge's default carrier; start the session with a carrier"
            else:
                source = self._state.prepared.implied.get(fact, "another fact")
                how = f"follows from {source}"
            raise SessionError(f"'{fact}' is already known ({facts[fact]!r}): it {how}",
                               fact=fact)  # fmt: skip

    def answer(self, fact: str, value: FactValue) -> Diagnosis:
        """Record an answer and return the new diagnosis. Text such as 'yes', '是' or '5' is
        read for yes/no and number facts; enum values must be one of the choices."""
        self._check_open(fact)
        try:
            parsed = parse_value(self._knowledge.domains[fact], value)
        except ValueError as error:
            raise SessionError(f"bad answer for '{fact}': {error}", fact=fact) from None
        entry = Answer(fact=fact, value=parsed)
        ahead = self._ahead.get((fact, type(parsed).__name__, parsed))
        self._state = ahead if ahead is not None else self._consult_with(entry)
        self._ahead = {}
        self._answers.append(entry)
        return self.diagnosis

    def skip(self, fact: str) -> Diagnosis:
        """The caller does not know this fact: it is not asked again."""
        self._check_open(fact)
        if fact in self._skipped():
            raise SessionError(f"'{fact}' is already skipped", fact=fact)
        self._answers.append(Answer(fact=fact, skipped=True))
        self._state = self._consult()
        return self.diagnosis

    def undo(self) -> Answer | None:
        """Take back the last answer or skip; None when there is nothing to take back."""
        if not self._answers:
            return None
        last = self._answers.pop()
        self._state = self._consult()
        return last

    def restart(self) -> None:
        """Forget every answer; start again from the ticket."""
        self._answers = []
        self._state = self._consult()

    # -- explanations ---------------------------------------------------------------------

    def how(self) -> list[Reason]:
        """How the current conclusion was reached: the rules that fired, in order."""
        k, conditions = self._knowledge, self._engine.conditions
        deciding = self._state.deciding
        standing = self.diagnosis.next_step.id
        reasons = []
        for rule in self._state.fired:
            zh, en = concludes(k, rule)
            checks = conditions.of(rule.id)
            reasons.append(Reason(
                rule=rule.id, source=rule.source,
                because=[c.describe("zh") for c in checks],
                because_en=[c.describe("en") for c in checks],
                concludes=zh, concludes_en=en,
                decides=rule is deciding and rule.spec.then.step == standing,
            ))  # fmt: skip
        return reasons

    def why(self, fact: str | None = None) -> Why | None:
        """Why a question is asked (default: the next one): the rules that wait on it and
        what each answer would lead to. None when there is nothing to ask."""
        if fact is None:
            next_question = self.next_question()
            if next_question is None:
                return None
            fact = next_question.fact
        self._check_open(fact)
        ranker = self._engine.ranker
        found = ranker.candidates(self._state.facts, self._state.deciding, self._skipped())
        waiting = [self._waiting(c.rule, set(c.waits)) for c in found
                   if fact in c.waits and c.rule is not self._state.deciding]  # fmt: skip
        values = ranker.answers(fact, [c.rule for c in found])
        order = {(type(v).__name__, v): index for index, v in enumerate(values)}
        outcomes: list[Outcome] = []
        led_to: list[dict[str, object]] = []  # each outcome but its answers
        # answers every rule treats alike lead to the same outcome: one run each (every
        # rule, not only those in play: an answer may decide the problem, and its rules)
        for group in ranker.split(fact, self._knowledge.rules, values):
            outcome = self._outcome(fact, group.values[0])
            if outcome is None:
                continue  # an answer the ticket would contradict: it cannot be given
            leads = outcome.model_dump(exclude={"answers"})
            same = next((at for at, other in enumerate(led_to) if other == leads), None)
            if same is None:
                outcomes.append(outcome.model_copy(update={"answers": group.values}))
                led_to.append(leads)
            else:
                merged = sorted([*outcomes[same].answers, *group.values],
                                key=lambda v: order[(type(v).__name__, v)])  # fmt: skip
                outcomes[same] = outcomes[same].model_copy(update={"answers": merged})
        return Why(question=question(self._knowledge, fact), waiting=waiting, outcomes=outcomes)

    def _waiting(self, rule: LoadedRule, unknown: set[str]) -> Waiting:
        checks = [c for c in self._engine.conditions.of(rule.id)
                  if learned_through(c.fact) in unknown]  # fmt: skip
        zh, en = concludes(self._knowledge, rule)
        return Waiting(rule=rule.id, source=rule.source, needs=[c.describe("zh") for c in checks],
                       needs_en=[c.describe("en") for c in checks], concludes=zh,
                       concludes_en=en)  # fmt: skip

    def _outcome(self, fact: str, value: FactValue) -> Outcome | None:
        try:
            ahead = self._consult(Answer(fact=fact, value=value))
        except TicketError:
            return None
        self._ahead[(fact, type(value).__name__, value)] = ahead
        result = ahead.diagnosis
        return Outcome(
            answers=[value], status=result.status, problem=result.problem, cause=result.cause,
            next_step=result.next_step,
            escalate=result.escalation.target if result.escalation else None,
            next_question=result.questions[0].fact if result.questions else None,
        )  # fmt: skip

    # -- saving -----------------------------------------------------------------------------

    def to_json(self) -> str:
        """The session as JSON text: the starting ticket and the answers, in order."""
        data = {
            "format": SESSION_FORMAT,
            "ticket": self._ticket.model_dump(mode="json", exclude_defaults=True),
            "answers": [a.model_dump(mode="json", exclude_defaults=True) for a in self._answers],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, *, knowledge: KnowledgeBase | None = None) -> Session:
        """Resume a session saved with ``to_json``. Every answer is checked again against
        the knowledge; a SessionError says which one no longer fits."""
        try:
            saved = _Saved.model_validate_json(text)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "session"
            raise SessionError(f"not a saved session: {where}: {first['msg']}") from None
        try:
            session = cls(saved.ticket, knowledge=knowledge)
        except TicketError as error:
            raise SessionError(f"saved session, ticket: {error.message}") from None
        for index, entry in enumerate(saved.answers):
            try:
                if entry.skipped and entry.value is not None:
                    raise SessionError(f"'{entry.fact}' is both skipped and answered",
                                       fact=entry.fact)  # fmt: skip
                if entry.skipped:
                    session.skip(entry.fact)
                elif entry.value is None:
                    raise SessionError(f"no value for '{entry.fact}'", fact=entry.fact)
                else:
                    session.answer(entry.fact, entry.value)
            except SessionError as error:
                raise SessionError(f"saved session, answers[{index}]: {error.message}",
                                   fact=entry.fact) from None  # fmt: skip
        return session


class _ReadOnce:
    """A reader that keeps the reading of the session's text: read once per session."""

    def __init__(self, reader: Reads) -> None:
        self._reader = reader
        self._kept: dict[str, TextSays] = {}

    def read(self, text: str) -> TextSays:
        found = self._kept.get(text)
        if found is None:
            found = self._reader.read(text)
            self._kept = {text: found}
        return found
