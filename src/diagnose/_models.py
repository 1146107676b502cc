"""The public contract: a ``Ticket`` goes in, a ``Diagnosis`` comes out.

Field names and ids here are stable: service apps and reports rely on them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

__all__ = [
    "Answer",
    "BadLine",
    "Carrier",
    "Diagnosis",
    "Escalation",
    "FactScore",
    "FactValue",
    "Misread",
    "NextStep",
    "Outcome",
    "Question",
    "Reading",
    "ReadingScore",
    "Reason",
    "Status",
    "Ticket",
    "TraceEntry",
    "Waiting",
    "Why",
    "build_models",
]

Carrier = str  # a carrier of the loaded knowledge: telecom, unicom, mobile as shipped
Status = Literal["self_service", "agent_action", "escalate", "need_info", "unknown"]
FactValue = bool | int | str


class Ticket(BaseModel):
    """A fault as the agent knows it. Every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str | None = None
    carrier: Carrier | None = Field(
        default=None,
        description="a carrier of the knowledge (telecom, unicom, mobile as shipped); "
        "the knowledge sets the default",
    )
    error_code: int | None = Field(
        default=None,
        description="the dial-up error code shown, e.g. 691; the knowledge sets its range",
    )
    text: str | None = Field(
        default=None,
        description="free text; the error code and facts are read from it when not given",
    )
    facts: dict[str, FactValue] = Field(
        default_factory=dict, description="named observations, declared in the knowledge"
    )


class NextStep(BaseModel):
    """What the agent does, or guides the customer to do, next."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id: str
    text: str
    text_en: str


class Escalation(BaseModel):
    """Who the case is handed to, at which tier, and by when it must be answered."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    target: str
    name: str = Field(description="the carrier's own name for the target")
    name_en: str
    tier: int
    deadline_hours: int
    reply_hours: int | None = None
    limit: Literal["source", "local_policy", "default"] = Field(
        description="where the hours come from: the carrier's source, the operator's local "
        "policy, or the settings' default (never promised to the customer)"
    )
    limit_source: str = Field(description="the citation of the hours")
    reason: str
    reason_en: str


class Question(BaseModel):
    """A fact still unknown whose answer could change the diagnosis."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    fact: str
    text: str
    text_en: str
    type: Literal["bool", "int", "enum"]
    choices: list[str] | None = Field(
        default=None, description="the allowed answers; None for a number"
    )
    labels: dict[str, str] = Field(
        default_factory=dict, description="a Chinese label for each choice that has one"
    )


class TraceEntry(BaseModel):
    """A rule that fired, with the document it comes from."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: str
    salience: int
    source: str


class Reading(BaseModel):
    """What the ticket's text said of one fact, and how it was read."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    phrase: str = Field(description="the words read, as normalised (full-width folded)")
    value: FactValue | None = Field(description="the value read; None: the text leaves it open")
    how: Literal[
        "said", "negated", "questioned", "double_negation", "conflict", "changed", "outweighs",
        "other_topic", "cut",
    ] = Field(description="said as written; negated by a word before it; asked, not stated; "
              "negated twice; two values with no current one; a change, the later one kept; "
              "two values, the one the knowledge says outweighs the other kept; said in a "
              "note about another topic than the fact's (the topic's words in 'others'); "
              "(under 'text') the text was too long, only its first characters were read: "
              "the phrase says how many of how many")  # fmt: skip
    negation: str | None = Field(default=None, description="the negation word that applied")
    others: tuple[str, ...] = Field(
        default=(), description="the other phrases: in conflict, or replaced"
    )


class Diagnosis(BaseModel):
    """The answer for one ticket."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    ticket_id: str | None
    carrier: Carrier
    carrier_assumed: bool = Field(
        description="true when no ticket field, fact or text named the carrier and the "
        "knowledge's default was taken: confirm it with the customer"
    )
    problem: str
    problem_text: str
    problem_text_en: str
    cause: str | None
    cause_text: str | None
    cause_text_en: str | None
    status: Status
    next_step: NextStep
    wording: str
    wording_en: str
    escalation: Escalation | None
    questions: list[Question]
    provisional: bool = Field(
        description="true while an open question could still change the status, the "
        "escalation or the next step, or while the wording names one carrier's channels "
        "and the carrier was assumed: not to be read out as final"
    )
    facts: dict[str, FactValue] = Field(
        description="every fact the diagnosis used: given, read from the text, or derived"
    )
    extracted: dict[str, Reading] = Field(
        description="what the ticket text said of each fact it was read for: the phrase, the "
        "value and how it was read (a negation, a question, a conflict leave the value open)"
    )
    trace: list[TraceEntry]


class Answer(BaseModel):
    """One answer given in a session: a value, or skipped (the caller does not know)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    fact: str
    value: FactValue | None = None
    skipped: bool = False


class Reason(BaseModel):
    """A rule that fired in a session, why it fired and what it concluded."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: str
    source: str
    because: list[str] = Field(description="its conditions, e.g. 'error_code ∈ {619, 629, 691}'")
    because_en: list[str] = Field(description="the same in English")
    concludes: str
    concludes_en: str
    decides: bool = Field(description="whether this is the rule whose conclusion stands")


class Waiting(BaseModel):
    """A rule that waits on the fact being asked, and what it would conclude."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    rule: str
    source: str
    needs: list[str] = Field(description="its conditions on facts still unknown")
    needs_en: list[str] = Field(description="the same in English")
    concludes: str
    concludes_en: str


class Outcome(BaseModel):
    """Where some answers to a question lead."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    answers: list[FactValue]
    status: Status
    problem: str
    cause: str | None
    next_step: NextStep
    escalate: str | None
    next_question: str | None = Field(description="the fact asked after that, if any")


class Why(BaseModel):
    """Why a question is asked: the rules waiting on it, and what each answer leads to."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    question: Question
    waiting: list[Waiting]
    outcomes: list[Outcome]


class FactScore(BaseModel):
    """How well one fact is read from notes: what was read right, read wrong or missed."""

    model_config = ConfigDict(defer_build=True)

    fact: str
    right: int = Field(description="read, with the annotated value")
    wrong: int = Field(description="read, with another value or where the note settles nothing")
    missed: int = Field(description="annotated, but not read (or read with another value)")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        """Of what was read, the share read right (None: nothing was read)."""
        read = self.right + self.wrong
        return self.right / read if read else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        """Of what was annotated, the share read right (None: nothing was annotated)."""
        annotated = self.right + self.missed
        return self.right / annotated if annotated else None


class Misread(BaseModel):
    """One fact of one note read otherwise than annotated."""

    model_config = ConfigDict(defer_build=True)

    line: int
    text: str = Field(description="the note, long numbers masked")
    fact: str
    expected: FactValue | None = Field(description="the annotated value; None: not settled")
    read: FactValue | None = Field(description="the value read; None: not read")
    reading: Reading | None = Field(description="what the text said of it, if anything")


class BadLine(BaseModel):
    """A corpus line that could not be scored, and why; the other lines are still scored."""

    model_config = ConfigDict(defer_build=True)

    line: int
    message: str


class ReadingScore(BaseModel):
    """An annotated corpus read by the knowledge: per fact, then each misread, each bad line."""

    model_config = ConfigDict(defer_build=True)

    lines: int = Field(description="lines scored")
    facts: list[FactScore]
    misread: list[Misread]
    bad_lines: list[BadLine]


def build_models() -> None:
    """Build the validators of the models a diagnosis and a session make (deferred until
    first used, so that an import stays quick): for a long-running app, once."""
    for model in (Ticket, NextStep, Escalation, Question, TraceEntry, Reading, Diagnosis,
                  Answer, Reason, Waiting, Outcome, Why):  # fmt: skip
        model.model_rebuild()
