"""The loaded knowledge: facts, codes, problems, texts, targets and rules, all validated.

A ``Knowledge`` is what ``load`` builds and everything after it reads. It also knows what
a valid value of each fact is (its ``Domain``), so tickets, rule examples, session answers
and replayed cells are checked the same way. Every list a knowledge editor can extend
(carriers, code stages, problems, targets) is read from the files, never written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._models import FactValue
from .schema import (
    CarrierSpec,
    CauseSpec,
    Citation,
    CodeSpec,
    FactSpec,
    FrequencySpec,
    ItemSpec,
    LanguageSpec,
    PolicySpec,
    ProblemSpec,
    ReadingSpec,
    RuleSpec,
    SettingsSpec,
    SourceSpec,
    TargetSpec,
    WordingSpec,
)

__all__ = [
    "BOOL_LABELS",
    "DERIVED_FACTS",
    "GAP",
    "TICKET_FIELDS",
    "Domain",
    "Knowledge",
    "LoadedRule",
    "checklist_phrases",
    "parse_value",
    "show_value",
]

# Ticket fields that rules test as facts (the ticket carries them outside ``facts``).
TICKET_FIELDS = ("error_code", "carrier")
# Facts the engine derives itself; rules may test them, tickets may not set them.
DERIVED_FACTS = ("problem", "code_stage", "code_catalogued")
GAP = "…"  # in a phrase: a few characters of one clause between two words (猫…重启)

# Yes and no: the words a person may type for them, and how each language shows them.
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对", "有"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不是", "没有", "无"})
BOOL_LABELS = {"zh": {"true": "是", "false": "否"}, "en": {"true": "yes", "false": "no"}}


@dataclass(frozen=True)
class Domain:
    """The values a fact may take."""

    type: str  # bool | int | enum
    values: tuple[str, ...] | None = None
    min: int | None = None
    max: int | None = None

    def check(self, value: object) -> FactValue:
        """Return the value if it is valid for this domain; raise ValueError saying why not."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError(f"expected true or false, got {value!r}")
        if self.type == "int":
            return self._number(value)
        assert self.values is not None
        if isinstance(value, str) and value in self.values:
            return value
        raise ValueError(f"{value!r} is not one of {', '.join(self.values)}")

    def _number(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        if self.min is not None and value < self.min:
            raise ValueError(f"{value} is below the minimum {self.min}")
        if self.max is not None and value > self.max:
            raise ValueError(f"{value} is above the maximum {self.max}")
        return value

    def parse(self, text: str) -> FactValue:
        """Read a value typed by a person (CLI, CSV): 'yes', '是', '7', 'arrears'."""
        raw = text.strip()
        if self.type == "bool":
            low = raw.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(f"expected yes or no (true/false, 是/否), got {raw!r}")
        if self.type == "int":
            try:
                number = int(raw)
            except ValueError:
                raise ValueError(f"expected a whole number, got {raw!r}") from None
            return self.check(number)
        return self.check(raw)

    def choices(self) -> list[str] | None:
        """The answers to offer: true/false, the enum's values; None for a number."""
        if self.type == "bool":
            return ["true", "false"]
        return list(self.values or ()) if self.type == "enum" else None


def show_value(value: object) -> str:
    """A fact value as rules and messages write it: true, false, 691, arrears."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse_value(domain: Domain, value: object) -> FactValue:
    """Check a value, reading it from text first where it is a string for a non-enum fact."""
    if isinstance(value, str) and domain.type != "enum":
        return domain.parse(value)
    return domain.check(value)


_CHECKLIST_MARKS = (":", "=", "?", ": ", "= ", "? ")  # between a label and its answer


def checklist_phrases(spec: FactSpec, reading: ReadingSpec | None) -> dict[str, list[str]]:
    """The phrases a yes/no fact's checklist labels make: each label, ':', '=' or '?', and
    a yes (``true``) or a no (``false``) of the reading's answers (在线:是, 在线=否, 在线?否)."""
    if not spec.checklist or reading is None:
        return {}
    # an answer that is a question or a hedge word too (需要: advice) and those the fact
    # ignores (核身:要 is wanted, not done) are no answers here
    unsure = {*reading.questions, *reading.question_ends, *reading.hedges, *reading.doubts,
              *spec.checklist_ignores}  # fmt: skip
    answers = (("true", [w for w in reading.answers_yes if w not in unsure]),
               ("false", [w for w in reading.answers_no if w not in unsure]))  # fmt: skip
    return {key: [f"{label}{mark}{word}" for label in spec.checklist
                  for mark in _CHECKLIST_MARKS for word in words]
            for key, words in answers}  # fmt: skip


@dataclass(frozen=True)
class LoadedRule:
    spec: RuleSpec
    path: str
    order: int  # load order: catalog rules first (negative), then the rule files
    problem: str | None  # the problem this rule speaks about, if it pins one
    source: str  # the citation as shown in traces
    generated: bool = False
    line: int | None = None  # where the rule starts in its file

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def classifies(self) -> bool:
        """Whether the rule decides the ticket's problem (``then.problem``)."""
        return self.spec.then.problem is not None

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: of two rules, the one with the larger key ranks first (higher
        salience, then loaded earlier)."""
        return (self.spec.salience, -self.order)


@dataclass(eq=False)  # one Knowledge is one loaded set; compared (and hashed) by identity
class Knowledge:
    """Everything loaded from ``rules/`` and ``knowledge/``."""

    rules_dir: Path
    knowledge_dir: Path
    sources: dict[str, SourceSpec]
    settings: SettingsSpec
    language: LanguageSpec
    carriers: dict[str, CarrierSpec]
    facts: dict[str, FactSpec]
    codes: dict[int, CodeSpec]
    stages: dict[str, ItemSpec]
    problems: dict[str, ProblemSpec]
    causes: dict[str, CauseSpec]
    steps: dict[str, ItemSpec]
    wordings: dict[str, WordingSpec]
    targets: dict[str, TargetSpec]
    rules: list[LoadedRule]
    frequencies: FrequencySpec | None = None
    policies: dict[str, PolicySpec] = field(default_factory=dict)
    reading: ReadingSpec | None = None  # how free text is read; plain phrases without it
    digest: str = ""  # of the files it was loaded from (``snapshot.digest``)
    domains: dict[str, Domain] = field(init=False)
    fact_order: dict[str, int] = field(init=False)  # facts.toml order, then derived facts
    implies: dict[str, dict[str, FactValue]] = field(init=False)  # the facts that imply some
    topics: dict[str, frozenset[str]] = field(init=False)  # the facts of some topics only

    def __post_init__(self) -> None:
        self.domains = self._domains()
        self.implies = {name: spec.implies for name, spec in self.facts.items() if spec.implies}
        self.topics = {name: frozenset(spec.topics)
                       for name, spec in self.facts.items() if spec.topics}  # fmt: skip
        names = [*self.facts, *DERIVED_FACTS]
        self.fact_order = {name: index for index, name in enumerate(names)}

    def _domains(self) -> dict[str, Domain]:
        domains: dict[str, Domain] = {}
        for name, spec in self.facts.items():
            values = tuple(spec.values) if spec.values is not None else None
            if name == "carrier":
                values = tuple(self.carriers)
            domains[name] = Domain(spec.type, values, spec.min, spec.max)
        domains["problem"] = Domain("enum", tuple(self.problems))
        domains["code_stage"] = Domain("enum", tuple(self.stages))
        domains["code_catalogued"] = Domain("bool")
        return domains

    def cite(self, citations: list[Citation]) -> str:
        """'《客服应知应会材料》 Q10, Q11; Microsoft: ... 678': sections grouped by document."""
        sections: dict[str, list[str]] = {}
        for citation in citations:
            sections.setdefault(citation.doc, [])
            if citation.section not in sections[citation.doc]:
                sections[citation.doc].append(citation.section)
        parts = []
        for doc, found in sections.items():
            source = self.sources.get(doc)
            if source is not None and source.kind == "local":
                found = [self._policy(name) for name in found]
            parts.append(f"{source.title if source else doc} {', '.join(found)}")
        return "; ".join(parts)

    def _policy(self, name: str) -> str:
        """A local policy as a citation shows it: what was decided, and by whom (or that it
        still awaits a decision)."""
        policy = self.policies.get(name)
        if policy is None:
            return name
        return f"{policy.zh} ({policy.decided_by or '待运营方确认'})"

    @property
    def local_policy_title(self) -> str:
        """How a citation names the operator's own decisions (the 'local' source)."""
        local = [s.title for s in self.sources.values() if s.kind == "local"]
        return local[0] if local else "本地规定"

    def frequency(self, cause: str) -> int:
        """How often the cause occurs; every cause counts 1 without a frequency table."""
        table = self.frequencies
        if table is None:
            return 1
        return table.causes.get(cause, table.default)

    def askable(self, fact: str) -> bool:
        spec = self.facts.get(fact)
        return spec is not None and spec.ask
