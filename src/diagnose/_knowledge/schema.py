"""The shape of the rule and knowledge files, validated by pydantic when they load.

These models check one item at a time (a rule, a fact, a code). Checks that need the
whole set (does this rule's target exist?) are in ``checks``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .._models import FactValue, Status

__all__ = [
    "CarrierSpec",
    "CauseSpec",
    "Citation",
    "CodeSpec",
    "Condition",
    "ExampleSpec",
    "Expect",
    "FactSpec",
    "FrequencySpec",
    "ItemSpec",
    "LanguageSpec",
    "LocalLimit",
    "Op",
    "PolicySpec",
    "ProblemSpec",
    "ReadingSpec",
    "RuleSpec",
    "SettingsSpec",
    "SourceSpec",
    "TargetCarrier",
    "TargetSpec",
    "Then",
    "WordingSpec",
]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
FactName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Op = Literal["equals", "one_of", "not", "range", "present", "absent"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Strict):
    """Where a piece of knowledge comes from: a source id (sources.toml) and its section.
    ``any_carrier``: the passage describes how a device, Windows or dial-up behaves (or
    plain service practice), not the source carrier's own rule, so it holds for every
    carrier."""

    doc: Id
    section: Text
    any_carrier: bool = False


Sources = Annotated[list[Citation], Field(min_length=1)]


def _as_list(value: object) -> object:
    return [value] if isinstance(value, dict) else value


def _each_as_list(value: object) -> object:
    """A table of sources, each written as one citation or as a list of them."""
    return {k: _as_list(v) for k, v in value.items()} if isinstance(value, dict) else value


class _Cited(_Strict):
    source: Sources

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return _as_list(value)


class SourceSpec(_Strict):
    title: Text
    title_en: Text
    kind: Literal["seed", "public", "local"] = Field(
        description="seed: a source document; public: a public reference; local: what the "
        "operator decides (local policy), filled in where no source gives a figure"
    )
    url: Text | None = None
    carrier: Id | None = Field(
        default=None, description="the carrier whose rules the document gives; none: any"
    )


class PolicySpec(_Strict):
    """One decision the operator makes where no source speaks (cited as local policy)."""

    zh: Text
    en: Text
    decided_by: Text | None = Field(
        default=None, description="who decided it and where; empty while it awaits a decision"
    )


class ItemSpec(_Cited):
    """A text item with Chinese and English: steps, wordings."""

    zh: Text
    en: Text


class WordingSpec(ItemSpec):
    """What the agent says to the customer. ``carriers``: the carriers it may be said to,
    when it names one carrier's channels (a rule using it must test the carrier)."""

    carriers: list[Id] | None = None


class ProblemSpec(ItemSpec):
    pass


class CauseSpec(ItemSpec):
    problem: Id


class TargetCarrier(_Cited):
    """What one carrier's source says of a target: its own name for it (shown to the agent;
    the customer hears the target's plain name), and the hours within which it answers
    (reply) and closes (deadline) the case."""

    name: Text | None = None
    name_en: Text | None = None
    deadline_hours: int | None = Field(default=None, gt=0)
    reply_hours: int | None = Field(default=None, gt=0)

    def model_post_init(self, __context: object) -> None:
        if (self.name is None) != (self.name_en is None):
            raise ValueError("give 'name' and 'name_en' together")


class TargetSpec(_Cited):
    """Who a case is handed to; ``name`` is what the customer hears. Hours are per carrier
    (``carriers``), from that carrier's sources; where none gives them, the settings'
    local policy or default apply."""

    name: Text
    name_en: Text
    tier: int = Field(ge=1, le=4)
    carriers: dict[Id, TargetCarrier] = Field(default_factory=dict)


class CarrierSpec(_Cited):
    name: Text
    name_en: Text
    hotline: Text
    phrases: list[Text] = Field(
        default_factory=list, description="words in a ticket's text that name this carrier"
    )
    channels: dict[Text, Sources] = Field(
        default_factory=dict,
        description="the numbers, codes and addresses its customers may hear, each with its "
        "source: the only ones a wording said to them may hold",
    )

    @field_validator("channels", mode="before")
    @classmethod
    def _cited_channels(cls, value: object) -> object:
        return _each_as_list(value)


class FactSpec(_Cited):
    type: Literal["bool", "int", "enum"]
    values: list[Text] | None = None
    labels: dict[str, Text] = Field(default_factory=dict)
    min: int | None = None
    max: int | None = None
    question: Text
    question_en: Text
    ask: bool = True
    phrases: dict[str, list[Text]] = Field(
        default_factory=dict, description="value → the words in a note that say it"
    )
    hints: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="value → words that suggest it: read only when no phrase, and nothing "
        "the note's other facts imply, gives the fact (密码 suggests a password call)",
    )
    topics: list[Text] = Field(
        default_factory=list,
        description="the topics the fact belongs to: a note that says another topic does not "
        "say this fact (初始密码 in a broadband note is no handset business hall password)",
    )
    checklist: list[Text] = Field(
        default_factory=list,
        description="a yes/no fact's labels in a checklist note, each read with ':', '=' or "
        "'?' and one of reading.toml's answers: 在线:是 says yes, 在线=否 says no",
    )
    checklist_ignores: list[Text] = Field(
        default_factory=list,
        description="answers that say nothing of this fact after its labels (有 after 身份证 "
        "says an ID card is at hand, not that it was checked)",
    )
    outweighs: Text | None = Field(
        default=None,
        description="the value that stands when a note gives two and no change (a line "
        "in the LINE port but a broken wire: false, a fault anywhere outweighs)",
    )
    subject: bool = Field(
        default=False,
        description="what a note is about: named even in a question or a hedge "
        "(忘没忘服务密码?: a service password all the same)",
    )
    opposites: dict[str, Text] = Field(
        default_factory=dict,
        description="enum value → the value its negation means (不是智能机: a feature phone); "
        "a negated value without one leaves the fact open",
    )
    implies: dict[FactName, FactValue] = Field(
        default_factory=dict,
        description="facts that follow once this one is known, unless the ticket says otherwise",
    )


class CodeSpec(_Cited):
    code: int = Field(ge=0)
    name: Text | None = None
    stage: Id
    problem: Id
    meaning: Text
    meaning_en: Text


class Condition(_Strict):
    """One test on one fact. ``min``/``max`` may name a threshold from settings.toml."""

    fact: FactName
    op: Op
    value: FactValue | None = None
    values: list[FactValue] | None = None
    min: int | str | None = None
    max: int | str | None = None

    @field_validator("values")
    @classmethod
    def _not_empty(cls, values: list[FactValue] | None) -> list[FactValue] | None:
        if values is not None and not values:
            raise ValueError("one_of needs at least one value")
        return values

    def model_post_init(self, __context: object) -> None:
        needs: dict[str, tuple[str, ...]] = {
            "equals": ("value",),
            "not": ("value",),
            "one_of": ("values",),
            "range": (),
            "present": (),
            "absent": (),
        }
        allowed = set(needs[self.op]) | ({"min", "max"} if self.op == "range" else set())
        for name in needs[self.op]:
            if getattr(self, name) is None:
                raise ValueError(f"op '{self.op}' needs '{name}'")
        for name in ("value", "values", "min", "max"):
            if getattr(self, name) is not None and name not in allowed:
                raise ValueError(f"op '{self.op}' takes no '{name}'")
        if self.op == "range" and self.min is None and self.max is None:
            raise ValueError("op 'range' needs 'min', 'max' or both")
        if isinstance(self.min, bool) or isinstance(self.max, bool):
            raise ValueError("'min' and 'max' are numbers or threshold names, not true/false")


class Then(_Strict):
    """What a rule concludes. A rule with no status only sets the problem."""

    problem: Id | None = None
    cause: Id | None = None
    status: Status | None = None
    step: Id | None = None
    escalate: Id | None = None
    wording: Id | None = None
    ask: FactName | None = Field(
        default=None, description="need_info only: the fact this step asks for, asked first"
    )

    def model_post_init(self, __context: object) -> None:
        if self.ask is not None and self.status != "need_info":
            raise ValueError("'ask' names the fact a need_info step asks for; status is not "
                             "need_info")  # fmt: skip
        if self.status is None:
            if self.problem is None:
                raise ValueError("a rule concludes a 'status' (with step, wording) or a 'problem'")
            extra = [n for n in ("cause", "step", "escalate", "wording") if getattr(self, n)]
            if extra:
                raise ValueError(f"{', '.join(extra)} given without a 'status'")
            return
        missing = [n for n in ("step", "wording") if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a rule with a status needs {' and '.join(missing)}")
        if (self.status == "escalate") != (self.escalate is not None):
            raise ValueError("'escalate' names a target exactly when status is 'escalate'")


class Expect(_Strict):
    problem: Id | None = None
    status: Status | None = None
    cause: Id | None = None
    step: Id | None = None
    escalate: str | None = Field(default=None, description="a target id, or 'none'")


class ExampleSpec(_Strict):
    """A ticket in (flat: error_code, carrier and text are ticket fields, the rest facts)
    and what must come out."""

    given: dict[str, FactValue]
    expect: Expect
    fires: bool = Field(default=True, description="false: the rule must not fire here")


class RuleSpec(_Cited):
    id: Id
    salience: int = Field(ge=-1000, le=1000)
    when: list[Condition] = Field(default_factory=list)
    then: Then
    example: Annotated[list[ExampleSpec], Field(min_length=1)]

    @field_validator("example", mode="before")
    @classmethod
    def _one_or_many_examples(cls, value: object) -> object:
        return _as_list(value)


class LocalLimit(_Strict):
    """Hours an operator decided for a carrier whose sources give none."""

    deadline_hours: int = Field(gt=0)
    reply_hours: int | None = Field(default=None, gt=0)
    decided_by: Text = Field(description="who decided it and where, e.g. a notice's number")


class SettingsSpec(_Strict):
    default_carrier: Id
    thresholds: dict[FactName, int] = Field(default_factory=dict)
    unknown_step: Id
    unknown_wording: Id
    code_before: list[Text] = Field(
        default_factory=list, description="words that come before an error code in free text"
    )
    code_after: list[Text] = Field(
        default_factory=list, description="words that come after an error code in free text"
    )
    area_window_minutes: int = Field(
        default=60, gt=0, description="replay: how far back tickets in one area are counted"
    )
    area_problems: list[Id] = Field(
        default_factory=list, description="replay: the problems whose tickets are counted"
    )
    default_deadline_hours: int = Field(
        gt=0,
        description="deadline_hours where neither a source nor local policy gives one; "
        "never said to a customer (the wording says 按规定时限)",
    )
    local_limits: dict[Id, LocalLimit] = Field(
        default_factory=dict,
        description="per carrier: the hours the operator promises where "
        "no source gives them (local policy)",
    )
    local_policy: list[Text] = Field(
        default_factory=list,
        description="the settings no source gives, decided locally",
    )


class FrequencySpec(_Cited):
    """How often each cause occurs (counts of closed tickets): when two questions split the
    candidate causes equally well, the one about the more frequent causes is asked first."""

    default: int = Field(default=1, ge=0, description="the count of a cause not listed")
    causes: dict[Id, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)


class ReadingSpec(_Cited):
    """How free text is read, as a colleague reads a note: the words that negate, that
    ask, that split a note into clauses, that mark before and now, the typos and short
    forms agents type, the words that say nothing (all matched after full-width forms are
    folded and English is lower-cased)."""

    negations: Annotated[list[Text], Field(min_length=1)]
    negations_after: list[Text] = Field(
        default_factory=list, description="negations that follow the phrase, ending its clause"
    )
    questions: list[Text] = Field(
        default_factory=list, description="words that ask about what follows them (是否)"
    )
    question_ends: list[Text] = Field(
        default_factory=list, description="words that end a clause as a question (吗)"
    )
    hedges: list[Text] = Field(
        default_factory=list,
        description="words that leave unsettled what their clause says after them (好像)",
    )
    doubts: list[Text] = Field(
        default_factory=list,
        description="words that leave their whole clause unsettled, what came before them "
        "too (用的是初始密码还是服务密码说不清)",
    )
    answer_leads: list[Text] = Field(
        default_factory=list, description="words an answer may start with (客户说, 答)"
    )
    answers_yes: list[Text] = Field(
        default_factory=list, description="a clause that only says yes to the question before it"
    )
    answers_no: list[Text] = Field(
        default_factory=list, description="a clause that only says no to the question before it"
    )
    breaks: list[Text] = Field(default_factory=list, description="words that start a clause")
    units: list[Text] = Field(
        default_factory=list, description="words after a number that is no code (元, 次)"
    )
    alternatives: list[Text] = Field(
        default_factory=list, description="words between two codes given as either (还是)"
    )
    past: list[Text] = Field(default_factory=list, description="a clause about before")
    gap: int = Field(
        default=8,
        ge=1,
        le=30,
        description="the most characters between the two parts of a phrase written with … "
        "(猫…重启: 猫已经断电重启), inside one clause",
    )
    now: list[Text] = Field(default_factory=list, description="a clause about now")
    idioms: list[Text] = Field(
        default_factory=list, description="words holding a negation that negate nothing (没问题)"
    )
    typos: dict[Text, Text] = Field(default_factory=dict, description="typo → the word meant")
    abbreviations: dict[Text, Text] = Field(
        default_factory=dict, description="short form → the word it stands for (kd → 宽带)"
    )
    neutral: list[Text] = Field(
        default_factory=list,
        description="words that say no fact but hold a phrase (重启过电脑 holds 重启过)",
    )
    window: int = Field(default=6, ge=1, le=20, description="most characters from a negation "
                        "to the phrase it negates")  # fmt: skip


class LanguageSpec(_Cited):
    forbidden: Annotated[list[Text], Field(min_length=1)]
    required: list[Text] = Field(default_factory=list)
    jargon: dict[Text, Text] = Field(
        default_factory=dict,
        description="words a customer may not understand, and the plain words to say instead",
    )
    figures: dict[Text, Sources] = Field(
        default_factory=dict,
        description="numbers and codes any carrier's customer may hear (device behaviour, not "
        "a carrier's rule), each with its source",
    )

    @field_validator("figures", mode="before")
    @classmethod
    def _cited_figures(cls, value: object) -> object:
        return _each_as_list(value)
