"""The checks a loaded set must pass before any ticket sees it, one small class each.

Each item has passed its own schema by now; these checks look across items: does the
target a rule escalates to exist, does a wording use a placeholder nobody fills, does a
rule's example give a fact the knowledge never declared. A check yields every problem it
finds, each at its place (file, line, item or rule id, field), so an editor sees all of
them at once. ``KNOWLEDGE_CHECKS`` run on the knowledge files, ``RULE_CHECKS`` on each rule.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel

from .._errors import KnowledgeIssue
from .._limits import MAX_ONE_OF
from .files import Lines
from .model import DERIVED_FACTS, GAP, TICKET_FIELDS, Knowledge, checklist_phrases, parse_value
from .schema import Citation, Condition, ExampleSpec, FactSpec, ItemSpec, RuleSpec, WordingSpec

__all__ = [
    "ESCALATION_PLACEHOLDERS",
    "KNOWLEDGE_CHECKS",
    "PLACEHOLDERS",
    "RULE_CHECKS",
    "KnowledgeCheck",
    "Origin",
    "Origins",
    "RuleCheck",
    "allowed_figures",
    "figures",
    "pinned_problem",
    "speaks_of_escalation",
]

# Names a wording may use in braces, e.g. "请致电{hotline}". {deadline} and {reply} read
# "在24小时内" where the carrier's source or local policy gives the hours, else "按规定时限".
ESCALATION_PLACEHOLDERS = frozenset({"target_name", "deadline", "reply"})
PLACEHOLDERS = frozenset({"carrier_name", "hotline"}) | ESCALATION_PLACEHOLDERS
# In a customer wording: a number, an address, or a code in capitals (CZMM#, LINE).
_FIGURE = re.compile(r"[A-Za-z0-9.#]*[0-9][A-Za-z0-9.#]*|(?<![A-Za-z])[A-Z]{3,}#?(?![A-Za-z])")


@dataclass(frozen=True)
class Origin:
    """Where an item is written: its file, the file's lines, and the item's key in it."""

    path: str
    lines: Lines
    key: tuple[str | int, ...]
    label: str | None  # how messages name the item: 'facts.topic', 'code 678', a rule id

    def issue(self, message: str, field: str | None = None) -> KnowledgeIssue:
        line = self.lines.line(*self.key, *_field_path(field))
        return KnowledgeIssue(self.path, message, self.label, field, line)


def _field_path(field: str | None) -> list[str | int]:
    """'when[0].fact' → ['when', 0, 'fact']."""
    parts: list[str | int] = []
    for part in (field or "").replace("[", ".[").split("."):
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            parts.append(int(part[1:-1]))
        elif part:
            parts.append(part)
    return parts


class Origins(dict[tuple[str, Any], Origin]):
    """Each item's origin, by (table, key): ('facts', 'topic'), ('code', 678)."""

    def of(self, table: str, key: Any) -> Origin:
        return self[(table, key)]


def _placeholders(text: str) -> Iterator[str]:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            yield name


def speaks_of_escalation(wording: ItemSpec) -> bool:
    """Whether the wording names a target or its time limits, which only an escalation fills."""
    used = set(_placeholders(wording.zh)) | set(_placeholders(wording.en))
    return bool(used & ESCALATION_PLACEHOLDERS)


def _unknown_sources(citations: Iterable[Citation], k: Knowledge) -> Iterator[str]:
    for citation in citations:
        source = k.sources.get(citation.doc)
        if source is None:
            yield f"unknown source '{citation.doc}' (sources.toml lists the documents)"
        elif source.kind == "local" and citation.section not in k.policies:
            yield (f"unknown local policy '{citation.section}' (policies.toml lists the "
                   "operator's decisions)")  # fmt: skip


# -- the knowledge files ---------------------------------------------------------------------


class KnowledgeCheck:
    """One check over the knowledge files."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        raise NotImplementedError


class SourcesExist(KnowledgeCheck):
    """Every item cites documents that sources.toml lists."""

    TABLES: ClassVar = ("carriers", "facts", "code", "stages", "problems", "causes", "steps",
                        "wording", "targets", "language", "frequencies", "settings",
                        "reading")  # fmt: skip

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for (table, key), origin in origins.items():
            if table not in self.TABLES:
                continue
            for field, citation in _cited(_item(k, table, key), ""):
                for message in _unknown_sources([citation], k):
                    yield origin.issue(message, f"{field}.doc")


def _cited(value: Any, where: str) -> Iterator[tuple[str, Citation]]:
    """Every citation inside an item (its own, its channels', its carriers'), with its field."""
    if isinstance(value, Citation):
        yield where.removesuffix("[0]"), value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _cited(getattr(value, name), f"{where}.{name}".lstrip("."))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _cited(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _cited(item, f"{where}[{index}]")


def _item(k: Knowledge, table: str, key: Any) -> Any:
    tables: dict[str, Any] = {
        "carriers": k.carriers, "facts": k.facts, "code": k.codes, "stages": k.stages,
        "problems": k.problems, "causes": k.causes, "steps": k.steps, "wording": k.wordings,
        "targets": k.targets,
    }  # fmt: skip
    if table in tables:
        return tables[table][key]
    singles = {"language": k.language, "settings": k.settings, "reading": k.reading}
    return singles.get(table, k.frequencies)


class FrequenciesCountCauses(KnowledgeCheck):
    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        if k.frequencies is None:
            return
        origin = origins.of("frequencies", "frequencies")
        for counted in k.frequencies.causes:
            if counted not in k.causes:
                yield origin.issue(f"unknown cause '{counted}'", f"causes.{counted}")


class SettingsRefer(KnowledgeCheck):
    """The default carrier, the uncovered case's step and wording, the area problems."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        origin, settings = origins.of("settings", "settings"), k.settings
        if settings.default_carrier not in k.carriers:
            yield origin.issue(f"carrier '{settings.default_carrier}' is not in [carriers]",
                               "default_carrier")  # fmt: skip
        if settings.unknown_step not in k.steps:
            yield origin.issue(f"unknown step '{settings.unknown_step}'", "unknown_step")
        wording = k.wordings.get(settings.unknown_wording)
        if wording is None:
            yield origin.issue(f"unknown wording '{settings.unknown_wording}'", "unknown_wording")
        elif speaks_of_escalation(wording):
            yield origin.issue(f"wording '{settings.unknown_wording}' speaks of an escalation, "
                               "but an uncovered case escalates to no target",
                               "unknown_wording")  # fmt: skip
        for index, problem in enumerate(settings.area_problems):
            if problem not in k.problems:
                yield origin.issue(f"unknown problem '{problem}'", f"area_problems[{index}]")


class RequiredItems(KnowledgeCheck):
    """What the engine itself relies on: the problem 'unknown', the ticket fields' facts."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        folder = str(k.knowledge_dir)
        if "unknown" not in k.problems:
            yield KnowledgeIssue(folder, "the problem 'unknown' must be declared", "problems")
        for name in TICKET_FIELDS:
            if name not in k.facts:
                yield KnowledgeIssue(folder, f"the fact '{name}' must be declared",
                                     f"facts.{name}")  # fmt: skip


class FactsWellFormed(KnowledgeCheck):
    """A fact's values, bounds, labels, phrases and implied facts fit its type."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for name, spec in k.facts.items():
            origin = origins.of("facts", name)
            if name in DERIVED_FACTS:
                yield origin.issue(f"'{name}' is derived by the engine and cannot be declared")
                continue
            for message, field in [*_shape(name, spec), *_phrases(spec), *_implies(k, spec),
                                   *_topics(k, spec), *_ignores(k, spec)]:  # fmt: skip
                yield origin.issue(message, field)


def _shape(name: str, spec: FactSpec) -> Iterator[tuple[str, str]]:
    if spec.type == "enum" and not spec.values and name != "carrier":
        yield "an enum fact needs 'values'", "values"
    if spec.type != "enum" and spec.values is not None:
        yield f"a {spec.type} fact takes no 'values'", "values"
    if spec.type != "int" and (spec.min is not None or spec.max is not None):
        yield "only int facts take 'min' and 'max'", "min"
    for key in spec.labels:
        if spec.values is None or key not in spec.values:
            yield f"label for '{key}', which is not one of the values", "labels"


def _topics(k: Knowledge, spec: FactSpec) -> Iterator[tuple[str, str]]:
    """A fact's topics are values of the ``topic`` fact."""
    topic = k.facts.get("topic")
    known = (topic.values or []) if topic is not None else []
    for index, name in enumerate(spec.topics):
        if name not in known:
            yield (f"'{name}' is not a topic ({', '.join(known) or 'no topic fact declared'})",
                   f"topics[{index}]")  # fmt: skip


def _ignores(k: Knowledge, spec: FactSpec) -> Iterator[tuple[str, str]]:
    """The answers a fact's checklist ignores are answers of reading.toml."""
    answers = {*k.reading.answers_yes, *k.reading.answers_no} if k.reading else set()
    for index, word in enumerate(spec.checklist_ignores):
        if word not in answers:
            yield (f"'{word}' is not one of reading.toml's answers_yes or answers_no",
                   f"checklist_ignores[{index}]")  # fmt: skip


def _phrases(spec: FactSpec) -> Iterator[tuple[str, str]]:
    for field, keys in (("phrases", spec.phrases), ("hints", spec.hints)):
        for key in keys:
            if spec.type == "bool" and key not in ("true", "false"):
                yield f"a bool fact's {field} are keyed 'true' or 'false', not '{key}'", field
            elif spec.type == "enum" and (spec.values is None or key not in spec.values):
                yield f"{field} for '{key}', which is not one of the values", field
            elif spec.type == "int":
                yield f"int facts take no {field}", field
    if spec.checklist and spec.type != "bool":
        yield ("checklist labels are read with a yes or a no: only a bool fact takes them",
               "checklist")  # fmt: skip
    for index, label in enumerate(spec.checklist):
        if GAP in label or label.rstrip(" :=") != label:
            message = (f"checklist label '{label}': write the label alone (在线, not 在线: "
                       "or 在线…是); ':' or '=' and the answer are added")  # fmt: skip
            yield message, f"checklist[{index}]"
    yield from _weights(spec)


def _weights(spec: FactSpec) -> Iterator[tuple[str, str]]:
    """'outweighs' and 'opposites' name values of the fact."""
    if spec.outweighs is not None and spec.outweighs not in _keys(spec):
        yield f"outweighs '{spec.outweighs}', which is not one of the values", "outweighs"
    for key, value in spec.opposites.items():
        if spec.type != "enum":
            message = "only enum facts take 'opposites' (a bool's negation is its other value)"
            yield message, "opposites"
            return
        for word in (key, value):
            if spec.values is not None and word not in spec.values:
                yield f"opposite '{word}' is not one of the values", f"opposites.{key}"


def _keys(spec: FactSpec) -> list[str]:
    """How a value is written as a key: true/false, or an enum's values."""
    return ["true", "false"] if spec.type == "bool" else list(spec.values or [])


def _implies(k: Knowledge, spec: FactSpec) -> Iterator[tuple[str, str]]:
    for name, value in spec.implies.items():
        if name not in k.facts or name in TICKET_FIELDS:
            yield f"'{name}' is not a fact a ticket may give", f"implies.{name}"
            continue
        try:
            k.domains[name].check(value)
        except ValueError as error:
            yield f"{name}: {error}", f"implies.{name}"


class CodesRefer(KnowledgeCheck):
    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        domain = k.domains.get("error_code")
        for number, code in k.codes.items():
            origin = origins.of("code", number)
            try:
                if domain is not None:
                    domain.check(number)
            except ValueError as error:
                yield origin.issue(f"not a possible error_code: {error}", "code")
            if code.problem not in k.problems:
                yield origin.issue(f"unknown problem '{code.problem}'", "problem")
            if code.stage not in k.stages:
                known = ", ".join(k.stages) or "none"
                yield origin.issue(f"unknown stage '{code.stage}' ([stages]: {known})", "stage")


class CausesRefer(KnowledgeCheck):
    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for cause_id, cause in k.causes.items():
            if cause.problem not in k.problems:
                origin = origins.of("causes", cause_id)
                yield origin.issue(f"unknown problem '{cause.problem}'", "problem")


class WordingPlaceholders(KnowledgeCheck):
    """A wording uses only the placeholders the engine fills."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        known = ", ".join(sorted(PLACEHOLDERS))
        for wording_id, wording in k.wordings.items():
            origin = origins.of("wording", wording_id)
            for lang, text in (("zh", wording.zh), ("en", wording.en)):
                for name in _placeholders(text):
                    if name not in PLACEHOLDERS:
                        yield origin.issue(f"unknown placeholder '{{{name}}}' (known: {known})",
                                           lang)  # fmt: skip


class ServiceLanguage(KnowledgeCheck):
    """Customer wording never uses a forbidden phrase and always the required ones."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for wording_id, wording in k.wordings.items():
            origin = origins.of("wording", wording_id)
            for phrase in k.language.forbidden:
                if phrase in wording.zh:
                    yield origin.issue(f"uses the forbidden phrase '{phrase}' "
                                       "(language.forbidden)", "zh")  # fmt: skip
            for phrase in k.language.required:
                if phrase not in wording.zh:
                    yield origin.issue(f"does not use '{phrase}' (language.required)", "zh")


class PlainWords(KnowledgeCheck):
    """Customer wording, and the target names it says, use none of the words customers do
    not understand (jargon)."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for target_id, target in k.targets.items():
            for word, plain in k.language.jargon.items():
                if word in target.name:
                    yield origins.of("targets", target_id).issue(
                        f"the customer hears '{target.name}', which uses '{word}'; say "
                        f"'{plain}' (language.jargon)", "name")  # fmt: skip
        for wording_id, wording in k.wordings.items():
            origin = origins.of("wording", wording_id)
            for word, plain in k.language.jargon.items():
                if word in wording.zh:
                    yield origin.issue(f"uses '{word}', which customers may not understand; "
                                       f"say '{plain}' (language.jargon)", "zh")  # fmt: skip


def figures(text: str, allowed: Iterable[str]) -> list[str]:
    """The numbers, addresses and codes in a text that are not among the allowed phrases."""
    for phrase in sorted(allowed, key=len, reverse=True):
        text = text.replace(phrase, " ")
    return _FIGURE.findall(text)


def allowed_figures(k: Knowledge, carrier: str) -> set[str]:
    """What a customer of this carrier may hear: its channels, and figures of any carrier."""
    return set(k.carriers[carrier].channels) | set(k.language.figures)


class FiguresHaveSources(KnowledgeCheck):
    """Every number, address and code a customer hears is one its carrier's sources give (or
    one any carrier's customer may hear, cited in language.figures); the hotline too."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        for carrier_id, spec in k.carriers.items():
            if spec.hotline not in spec.channels:
                yield origins.of("carriers", carrier_id).issue(
                    f"the hotline {spec.hotline} is not among its channels", "hotline"
                )
        for wording_id, wording in k.wordings.items():
            origin = origins.of("wording", wording_id)
            said_to = [c for c in wording.carriers or k.carriers if c in k.carriers]
            for carrier, lang, figure in _unsourced(k, wording, said_to):
                yield origin.issue(f"'{figure}' has no source for {carrier} (carriers."
                                   f"{carrier}.channels, language.figures)", lang)  # fmt: skip


def _unsourced(
    k: Knowledge, wording: WordingSpec, carriers: list[str]
) -> Iterator[tuple[str, str, str]]:
    """(carrier, language, figure) for each figure of the wording without a source; the
    English text is checked for numbers only (its words in capitals are not codes)."""
    for carrier in carriers:
        allowed = allowed_figures(k, carrier)
        for lang, text in (("zh", wording.zh), ("en", wording.en)):
            found = figures(re.sub(r"\{[a-z_]+\}", " ", text), allowed)
            if lang == "en":
                found = [f for f in found if any(c.isdigit() for c in f)]
            for figure in dict.fromkeys(found):
                yield carrier, lang, figure


class CarriersNamed(KnowledgeCheck):
    """The carriers that targets, local limits and wordings name are declared."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        named = [(("targets", t), f"carriers.{c}", c)
                 for t, target in k.targets.items() for c in target.carriers]  # fmt: skip
        named += [(("settings", "settings"), f"local_limits.{c}", c)
                  for c in k.settings.local_limits]  # fmt: skip
        named += [(("wording", w), "carriers", c)
                  for w, wording in k.wordings.items() for c in wording.carriers or ()]  # fmt: skip
        for where, field, carrier in named:
            if carrier not in k.carriers:
                yield origins.of(*where).issue(f"unknown carrier '{carrier}'", field)
        uncovered = k.wordings.get(k.settings.unknown_wording)
        if uncovered is not None and uncovered.carriers is not None:
            yield origins.of("settings", "settings").issue(
                "an uncovered case's wording is said to every carrier's customers; it may "
                "be for no one carrier", "unknown_wording")  # fmt: skip


class LocalPolicyNamesSettings(KnowledgeCheck):
    """Each setting marked as local policy exists."""

    SETTINGS: ClassVar = ("area_window_minutes", "default_deadline_hours", "local_limits")

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        known = {*self.SETTINGS, *(f"thresholds.{t}" for t in k.settings.thresholds)}
        for index, name in enumerate(k.settings.local_policy):
            if name not in known:
                yield origins.of("settings", "settings").issue(
                    f"'{name}' is not a setting ({', '.join(sorted(known))})",
                    f"local_policy[{index}]")  # fmt: skip


class PhrasesReadable(KnowledgeCheck):
    """The phrases that reveal facts can be read: none lies inside a negation word, none is
    given for two values of one fact, no typo fix is empty or a no-op."""

    def check(self, k: Knowledge, origins: Origins) -> Iterator[KnowledgeIssue]:
        negations = k.reading.negations if k.reading is not None else []
        for name, spec in k.facts.items():
            origin, seen = origins.of("facts", name), dict[str, str]()
            for field, key, phrase in _words_of(spec, k):
                low = phrase.lower()
                parts = low.split(GAP)
                if len(parts) > 2 or not all(part.strip() for part in parts):
                    yield origin.issue(f"phrase '{phrase}': write one '{GAP}' between two "
                                       "words (猫…重启)", f"{field}.{key}")  # fmt: skip
                inside = [n for n in negations for part in parts if part in n.lower()]
                if inside:
                    yield origin.issue(f"phrase '{phrase}' lies inside the negation "
                                       f"'{inside[0]}': it would read every negation",
                                       f"{field}.{key}")  # fmt: skip
                if seen.setdefault(low, key) != key:
                    yield origin.issue(f"phrase '{phrase}' is given for '{seen[low]}' and "
                                       f"'{key}'", f"{field}.{key}")  # fmt: skip
        if k.reading is not None:
            origin = origins.of("reading", "reading")
            for field in ("typos", "abbreviations"):
                for wrong, right in getattr(k.reading, field).items():
                    if wrong.lower() in right.lower():
                        yield origin.issue(f"'{wrong}' → '{right}' changes nothing or would "
                                           "apply again", f"{field}.{wrong}")  # fmt: skip


def _words_of(spec: FactSpec, k: Knowledge) -> Iterator[tuple[str, str, str]]:
    """Each phrase and hint of a fact, and those its checklist labels make: (field, value
    key, phrase)."""
    listed = checklist_phrases(spec, k.reading) if spec.type == "bool" else {}
    for field, keyed in (("phrases", spec.phrases), ("hints", spec.hints), ("checklist", listed)):
        for key, phrases in keyed.items():
            for phrase in phrases:
                yield field, key, phrase


KNOWLEDGE_CHECKS: tuple[KnowledgeCheck, ...] = (
    SourcesExist(), FrequenciesCountCauses(), SettingsRefer(), RequiredItems(),
    FactsWellFormed(), CodesRefer(), CausesRefer(), WordingPlaceholders(), ServiceLanguage(),
    PlainWords(), CarriersNamed(), LocalPolicyNamesSettings(), FiguresHaveSources(),
    PhrasesReadable(),
)  # fmt: skip


# -- each rule -----------------------------------------------------------------------------

Problems = Iterator[tuple[str, str]]  # (message, field)


class RuleCheck:
    """One check of a rule against the knowledge."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        raise NotImplementedError


class RuleSourcesExist(RuleCheck):
    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        for message in _unknown_sources(rule.source, k):
            yield message, "source.doc"


class ConditionsFit(RuleCheck):
    """Each condition tests a declared fact, with values and thresholds it can take."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        for index, condition in enumerate(rule.when):
            yield from _condition(k, condition, f"when[{index}]")


def _condition(k: Knowledge, condition: Condition, field: str) -> Problems:
    domain = k.domains.get(condition.fact)
    if domain is None:
        yield f"unknown fact '{condition.fact}'", f"{field}.fact"
        return
    if condition.op == "range" and domain.type != "int":
        yield f"'range' needs a number fact; '{condition.fact}' is {domain.type}", f"{field}.op"
    values = list(condition.values or [])
    if len(values) > MAX_ONE_OF:
        yield (f"{len(values):,} values; a condition lists at most {MAX_ONE_OF:,}: split the "
               "rule, or declare the values a fact of their own"), f"{field}.values"  # fmt: skip
        return
    if condition.value is not None:
        values.append(condition.value)
    for value in values:
        try:
            domain.check(value)
        except ValueError as error:
            yield f"{condition.fact}: {error}", f"{field}.value"
    thresholds = k.settings.thresholds
    bounds = []
    for name in ("min", "max"):
        bound = getattr(condition, name)
        if isinstance(bound, str) and bound not in thresholds:
            known = ", ".join(sorted(thresholds)) or "none"
            yield f"unknown threshold '{bound}' (settings.thresholds: {known})", f"{field}.{name}"
        bounds.append(thresholds.get(bound) if isinstance(bound, str) else bound)
    if None not in bounds and bounds[0] > bounds[1]:  # type: ignore[operator]
        yield f"min {bounds[0]} is above max {bounds[1]}: the condition can never hold", field


class ConclusionRefers(RuleCheck):
    """The problem, cause, step, wording and target a rule names exist."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        refs: tuple[tuple[str, dict[str, Any]], ...] = (
            ("problem", k.problems), ("cause", k.causes), ("step", k.steps),
            ("wording", k.wordings), ("escalate", k.targets),
        )  # fmt: skip
        for name, table in refs:
            value = getattr(rule.then, name)
            if value is not None and value not in table:
                yield f"unknown {name} '{value}'", f"then.{name}"


class AskIsAskable(RuleCheck):
    """A need_info step's own question is a fact an agent can be asked."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        ask = rule.then.ask
        if ask is not None and not k.askable(ask):
            what = "not a declared fact" if ask not in k.facts else "a fact that is never asked"
            yield f"'{ask}' is {what}", "then.ask"


class CauseOfItsProblem(RuleCheck):
    """A rule's cause belongs to the problem the rule is about."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        cause, problem = rule.then.cause, pinned_problem(rule)
        if rule.then.status is None or cause is None or cause not in k.causes:
            return
        owner = k.causes[cause].problem
        if problem is not None and owner != problem:
            yield f"cause '{cause}' belongs to problem '{owner}', not '{problem}'", "then.cause"


class PromiseNeedsTarget(RuleCheck):
    """A wording that promises a target or a time limit needs a rule that escalates."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        wording = k.wordings.get(rule.then.wording or "")
        if wording is not None and rule.then.escalate is None and speaks_of_escalation(wording):
            yield (f"wording '{rule.then.wording}' speaks of an escalation but the rule "
                   "escalates to no target", "then.wording")  # fmt: skip


class WordingFitsCarrier(RuleCheck):
    """A wording that names one carrier's channels is said only by rules that test for that
    carrier: one carrier's rule is never applied to another."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        wording = k.wordings.get(rule.then.wording or "")
        if wording is None or wording.carriers is None:
            return
        beyond = sorted(carriers_reached(k, rule) - set(wording.carriers))
        if beyond:
            yield (f"wording '{rule.then.wording}' is for {', '.join(wording.carriers)} only, "
                   f"but the rule also speaks to {', '.join(beyond)}: test the carrier",
                   "then.wording")  # fmt: skip


class SourcesForEachCarrier(RuleCheck):
    """A rule speaks to a carrier only with a source for that carrier: its own document, a
    passage about devices or Windows (any_carrier), a public reference or local policy."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        covered: set[str] = set()
        for citation in rule.source:
            source = k.sources.get(citation.doc)
            if source is None:
                return
            covered |= set(k.carriers) if citation.any_carrier or source.carrier is None else {
                source.carrier}  # fmt: skip
        missing = sorted(carriers_reached(k, rule) - covered)
        if missing:
            yield (f"the rule speaks to {', '.join(missing)} but cites no source for them: cite "
                   "their own source, local policy, or mark a device passage any_carrier = "
                   "true", "source")  # fmt: skip


def carriers_reached(k: Knowledge, rule: RuleSpec) -> set[str]:
    """The carriers a rule can speak to: all, unless its conditions name some."""
    reach = set(k.carriers)
    for condition in rule.when:
        if condition.fact == "carrier" and condition.op == "equals":
            reach &= {str(condition.value)}
        elif condition.fact == "carrier" and condition.op == "one_of":
            reach &= {str(v) for v in condition.values or ()}
    return reach


class ClassifierIgnoresProblem(RuleCheck):
    """A rule that decides the problem cannot also test it: the problem is decided once,
    from the ticket's facts."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        if rule.then.problem is None:
            return
        for index, condition in enumerate(rule.when):
            if condition.fact == "problem":
                yield ("a rule that concludes a problem cannot test 'problem'; test the facts "
                       "that decide it", f"when[{index}].fact")  # fmt: skip


class ExamplesFit(RuleCheck):
    """Each example gives declared facts with valid values and expects known items."""

    def check(self, k: Knowledge, rule: RuleSpec) -> Problems:
        for index, example in enumerate(rule.example):
            yield from _example(k, example, f"example[{index}]")


def _example(k: Knowledge, example: ExampleSpec, where: str) -> Problems:
    for name, value in example.given.items():
        field = f"{where}.given.{name}"
        if name == "text":
            if not isinstance(value, str):
                yield "text must be a string", field
        elif name not in k.facts:
            yield f"unknown fact '{name}'", field
        else:
            try:
                parse_value(k.domains[name], value)
            except ValueError as error:
                yield str(error), field
    expect = example.expect
    for name, table in (("problem", k.problems), ("cause", k.causes), ("step", k.steps)):
        value = getattr(expect, name)
        if value is not None and value not in table:
            yield f"unknown {name} '{value}'", f"{where}.expect.{name}"
    if expect.escalate not in (None, "none") and expect.escalate not in k.targets:
        yield f"unknown target '{expect.escalate}' (or 'none')", f"{where}.expect.escalate"


def pinned_problem(rule: RuleSpec) -> str | None:
    """The problem a rule is about: the one it concludes, or the one it tests for."""
    if rule.then.problem:
        return rule.then.problem
    for condition in rule.when:
        if condition.fact == "problem" and condition.op == "equals":
            return str(condition.value)
    return None


RULE_CHECKS: tuple[RuleCheck, ...] = (
    RuleSourcesExist(), ConditionsFit(), ConclusionRefers(), AskIsAskable(),
    CauseOfItsProblem(), PromiseNeedsTarget(), WordingFitsCarrier(), SourcesForEachCarrier(),
    ClassifierIgnoresProblem(), ExamplesFit(),
)  # fmt: skip
