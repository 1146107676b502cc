"""Step 1 of the pipeline: read ``rules/`` and ``knowledge/`` into a validated ``Knowledge``.

Every file is read, every item is validated on its own, then the references between items
are checked. All problems are collected and raised together in one ``KnowledgeError``, each
naming its file, rule (or item) id and field; nothing half-loaded is ever returned.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import KnowledgeError, KnowledgeIssue
from .model import (
    DERIVED_FACTS,
    TICKET_FIELDS,
    Knowledge,
    LoadedRule,
    parse_value,
)
from .schema import (
    CarrierSpec,
    CauseSpec,
    Citation,
    CodeSpec,
    Condition,
    ExampleSpec,
    Expect,
    FactSpec,
    FrequencySpec,
    ItemSpec,
    LanguageSpec,
    ProblemSpec,
    RuleSpec,
    SettingsSpec,
    SourceSpec,
    TargetSpec,
    Then,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["ESCALATION_PLACEHOLDERS", "PLACEHOLDERS", "default_dirs", "load_knowledge"]

M = TypeVar("M", bound=BaseModel)

# Names a wording may use in braces, e.g. "请致电{hotline}".
ESCALATION_PLACEHOLDERS = frozenset({"target_name", "deadline_hours", "reply_hours"})
PLACEHOLDERS = frozenset({"carrier_name", "hotline", "self_service_line"}) | ESCALATION_PLACEHOLDERS

_KNOWLEDGE_TABLES = (
    "sources", "settings", "language", "carriers", "facts", "code",
    "problems", "causes", "steps", "wording", "targets", "frequencies",
)  # fmt: skip
_SINGLE_TABLES = ("settings", "language", "frequencies")


def default_dirs() -> tuple[Path, Path]:
    """The rules and knowledge shipped with diagnose: inside the installed package, or at
    the top of a source checkout."""
    data = Path(str(resources.files("diagnose"))) / "data"
    if (data / "rules").is_dir() and (data / "knowledge").is_dir():
        return data / "rules", data / "knowledge"
    top = Path(__file__).resolve().parents[3]
    return top / "rules", top / "knowledge"


class _Issues:
    def __init__(self) -> None:
        self.items: list[KnowledgeIssue] = []

    def add(
        self, path: str, message: str, rule_id: str | None = None, field: str | None = None
    ) -> None:
        self.items.append(KnowledgeIssue(path, message, rule_id, field))

    def from_validation(self, path: str, item_id: str | None, error: ValidationError) -> None:
        for detail in error.errors():
            loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in detail["loc"])
            loc = loc.removeprefix(".")
            message = detail["msg"].removeprefix("Value error, ")
            self.add(path, message, item_id, loc or None)


def _read_toml(path: Path, issues: _Issues, root: Path) -> dict[str, Any] | None:
    shown = _shown(path, root)
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as error:
        issues.add(shown, f"not valid TOML: {error}")
    except UnicodeDecodeError:
        issues.add(shown, "not UTF-8 text; save the file as UTF-8")
    return None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def _toml_files(folder: Path, issues: _Issues, what: str) -> list[Path]:
    if not folder.is_dir():
        issues.add(str(folder), f"the {what} folder does not exist")
        return []
    files = sorted(folder.glob("*.toml"))
    if not files:
        issues.add(str(folder), f"no .toml files in the {what} folder")
    return files


def _validate(
    model: type[M], raw: object, path: str, item_id: str | None, issues: _Issues
) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        issues.from_validation(path, item_id, error)
        return None


class _Table:
    """Items of one kind gathered from every knowledge file, with the file each came from."""

    def __init__(self) -> None:
        self.items: dict[Any, Any] = {}
        self.paths: dict[Any, str] = {}

    def put(self, key: Any, item: Any, path: str, label: str, kind: str, issues: _Issues) -> None:
        if key in self.items:
            issues.add(path, f"duplicate {kind} (first in {self.paths[key]})", label)
            return
        self.items[key] = item
        self.paths[key] = path


def load_knowledge(
    rules: Path | str | None = None, knowledge: Path | str | None = None
) -> Knowledge:
    """Load and validate the rules and knowledge; raise ``KnowledgeError`` with every problem."""
    default_rules, default_knowledge = default_dirs()
    rules_dir = Path(rules) if rules is not None else default_rules
    knowledge_dir = Path(knowledge) if knowledge is not None else default_knowledge
    issues = _Issues()

    tables = {name: _Table() for name in _KNOWLEDGE_TABLES}
    for path in _toml_files(knowledge_dir, issues, "knowledge"):
        data = _read_toml(path, issues, knowledge_dir)
        if data is not None:
            _gather_knowledge(data, _shown(path, knowledge_dir), tables, issues)

    # Problems in the rule files are kept apart: a broken rule file must not hide the
    # checks of the other rules, while broken knowledge stops before any rule is checked.
    rule_issues = _Issues()
    raw_rules: list[tuple[str, int, RuleSpec]] = []
    seen_rules: dict[str, str] = {}
    for path in _toml_files(rules_dir, rule_issues, "rules"):
        shown = _shown(path, rules_dir)
        data = _read_toml(path, rule_issues, rules_dir)
        if data is None:
            continue
        for key in data:
            if key != "rule":
                rule_issues.add(shown, f"unknown table '{key}'; a rule file holds [[rule]] entries")
        entries = data.get("rule", [])
        if not isinstance(entries, list):
            rule_issues.add(shown, "'rule' must be written as [[rule]] entries")
            continue
        for index, entry in enumerate(entries):
            rule_id = entry.get("id") if isinstance(entry, dict) else None
            label = rule_id if isinstance(rule_id, str) else f"rule #{index + 1}"
            spec = _validate(RuleSpec, entry, shown, label, rule_issues)
            if spec is None:
                continue
            if spec.id in seen_rules:
                first = seen_rules[spec.id]
                rule_issues.add(shown, f"duplicate rule id (first in {first})", spec.id)
                continue
            seen_rules[spec.id] = shown
            raw_rules.append((shown, len(raw_rules), spec))

    singletons: dict[str, Any] = {}
    for name in ("settings", "language"):
        found = tables[name].items
        if not found:
            issues.add(str(knowledge_dir), f"no [{name}] table in any knowledge file")
        else:
            singletons[name] = next(iter(found.values()))

    if len(singletons) < 2:
        raise KnowledgeError(issues.items + rule_issues.items)

    kb = Knowledge(
        rules_dir=rules_dir,
        knowledge_dir=knowledge_dir,
        sources=tables["sources"].items,
        settings=singletons["settings"],
        language=singletons["language"],
        carriers=tables["carriers"].items,
        facts=tables["facts"].items,
        codes=tables["code"].items,
        problems=tables["problems"].items,
        causes=tables["causes"].items,
        steps=tables["steps"].items,
        wordings=tables["wording"].items,
        targets=tables["targets"].items,
        rules=[],
        frequencies=tables["frequencies"].items.get("frequencies"),
    )
    _check_knowledge(kb, tables, issues)
    if issues.items:
        raise KnowledgeError(issues.items + rule_issues.items)

    loaded = _catalog_rules(kb)
    for shown, order, spec in raw_rules:
        loaded.append(_check_rule(kb, spec, shown, order, rule_issues))
    if rule_issues.items:
        raise KnowledgeError(rule_issues.items)
    kb.rules = loaded
    return kb


_MODELS: dict[str, type[BaseModel]] = {
    "sources": SourceSpec,
    "settings": SettingsSpec,
    "language": LanguageSpec,
    "carriers": CarrierSpec,
    "facts": FactSpec,
    "code": CodeSpec,
    "problems": ProblemSpec,
    "causes": CauseSpec,
    "steps": ItemSpec,
    "wording": ItemSpec,
    "targets": TargetSpec,
    "frequencies": FrequencySpec,
}


def _gather_knowledge(
    data: dict[str, Any], path: str, tables: dict[str, _Table], issues: _Issues
) -> None:
    for key, body in data.items():
        if key not in tables:
            known = ", ".join(_KNOWLEDGE_TABLES)
            issues.add(path, f"unknown table '{key}' (known: {known})")
            continue
        model = _MODELS[key]
        if key in _SINGLE_TABLES:
            item = _validate(model, body, path, key, issues)
            if item is not None:
                tables[key].put(key, item, path, key, key, issues)
        elif key == "code":
            if not isinstance(body, list):
                issues.add(path, "codes are written as [[code]] entries", None, "code")
                continue
            for index, entry in enumerate(body):
                number = entry.get("code") if isinstance(entry, dict) else None
                label = f"code {number}" if number is not None else f"code #{index + 1}"
                code = _validate(CodeSpec, entry, path, label, issues)
                if code is not None:
                    tables[key].put(code.code, code, path, label, "code", issues)
        else:
            if not isinstance(body, dict):
                issues.add(path, f"[{key}] must be a table of named entries", None, key)
                continue
            for item_id, entry in body.items():
                item = _validate(model, entry, path, f"{key}.{item_id}", issues)
                if item is not None:
                    tables[key].put(item_id, item, path, f"{key}.{item_id}", key, issues)


def _citations(
    knowledge: Knowledge, citations: Iterable[Citation], path: str, item: str, issues: _Issues
) -> None:
    for citation in citations:
        if citation.doc not in knowledge.sources:
            issues.add(path, f"unknown source '{citation.doc}' (sources.toml lists the documents)",
                       item, "source.doc")  # fmt: skip


def _check_knowledge(knowledge: Knowledge, tables: dict[str, _Table], issues: _Issues) -> None:
    k = knowledge
    groups: list[tuple[str, dict[Any, Any]]] = [
        ("carriers", k.carriers), ("facts", k.facts), ("code", k.codes),
        ("problems", k.problems), ("causes", k.causes), ("steps", k.steps),
        ("wording", k.wordings), ("targets", k.targets),
    ]  # fmt: skip
    for table, items in groups:
        for key, item in items.items():
            label = f"code {key}" if table == "code" else f"{table}.{key}"
            _citations(k, item.source, tables[table].paths[key], label, issues)
    _citations(k, k.language.source, tables["language"].paths["language"], "language", issues)
    if k.frequencies is not None:
        path = tables["frequencies"].paths["frequencies"]
        _citations(k, k.frequencies.source, path, "frequencies", issues)
        for counted in k.frequencies.causes:
            if counted not in k.causes:
                issues.add(path, f"unknown cause '{counted}'", "frequencies", f"causes.{counted}")

    settings_path = tables["settings"].paths["settings"]
    if k.settings.default_carrier not in k.carriers:
        issues.add(settings_path, f"carrier '{k.settings.default_carrier}' is not in [carriers]",
                   "settings", "default_carrier")  # fmt: skip
    texts: tuple[tuple[str, str, dict[str, ItemSpec]], ...] = (
        ("unknown_step", "step", k.steps), ("unknown_wording", "wording", k.wordings),
    )  # fmt: skip
    for name, kind, defined in texts:
        if getattr(k.settings, name) not in defined:
            issues.add(settings_path, f"unknown {kind} '{getattr(k.settings, name)}'", "settings",
                       name)  # fmt: skip
    unknown_wording = k.wordings.get(k.settings.unknown_wording)
    if unknown_wording is not None and _speaks_of_escalation(unknown_wording):
        issues.add(settings_path, f"wording '{k.settings.unknown_wording}' speaks of an "
                   "escalation, but an uncovered case escalates to no target", "settings",
                   "unknown_wording")  # fmt: skip
    for index, problem in enumerate(k.settings.area_problems):
        if problem not in k.problems:
            issues.add(settings_path, f"unknown problem '{problem}'", "settings",
                       f"area_problems[{index}]")  # fmt: skip
    if "unknown" not in k.problems:
        issues.add(str(k.knowledge_dir), "the problem 'unknown' must be declared", "problems")

    for name in TICKET_FIELDS:
        if name not in k.facts:
            issues.add(str(k.knowledge_dir), f"the fact '{name}' must be declared", f"facts.{name}")
    for name, spec in k.facts.items():
        _check_fact(name, spec, tables["facts"].paths[name], issues)

    for number, code in k.codes.items():
        if code.problem not in k.problems:
            issues.add(tables["code"].paths[number], f"unknown problem '{code.problem}'",
                       f"code {number}", "problem")  # fmt: skip
    for cause_id, cause in k.causes.items():
        if cause.problem not in k.problems:
            issues.add(tables["causes"].paths[cause_id], f"unknown problem '{cause.problem}'",
                       f"causes.{cause_id}", "problem")  # fmt: skip

    for wording_id, wording in k.wordings.items():
        path = tables["wording"].paths[wording_id]
        for lang, text in (("zh", wording.zh), ("en", wording.en)):
            for name in _placeholders(text):
                if name not in PLACEHOLDERS:
                    known = ", ".join(sorted(PLACEHOLDERS))
                    message = f"unknown placeholder '{{{name}}}' (known: {known})"
                    issues.add(path, message, f"wording.{wording_id}", lang)
        for phrase in k.language.forbidden:
            if phrase in wording.zh:
                issues.add(path, f"uses the forbidden phrase '{phrase}' (language.forbidden)",
                           f"wording.{wording_id}", "zh")  # fmt: skip
        for phrase in k.language.required:
            if phrase not in wording.zh:
                issues.add(path, f"does not use '{phrase}' (language.required)",
                           f"wording.{wording_id}", "zh")  # fmt: skip


def _check_fact(name: str, spec: FactSpec, path: str, issues: _Issues) -> None:
    label = f"facts.{name}"
    if name in DERIVED_FACTS:
        issues.add(path, f"'{name}' is derived by the engine and cannot be declared", label)
        return
    if spec.type == "enum" and not spec.values and name != "carrier":
        issues.add(path, "an enum fact needs 'values'", label, "values")
    if spec.type != "enum" and spec.values is not None:
        issues.add(path, f"a {spec.type} fact takes no 'values'", label, "values")
    if spec.type != "int" and (spec.min is not None or spec.max is not None):
        issues.add(path, "only int facts take 'min' and 'max'", label, "min")
    for key in spec.labels:
        if spec.values is None or key not in spec.values:
            issues.add(path, f"label for '{key}', which is not one of the values", label, "labels")
    for key in spec.phrases:
        if spec.type == "bool" and key not in ("true", "false"):
            issues.add(path, f"a bool fact's phrases are keyed 'true' or 'false', not '{key}'",
                       label, "phrases")  # fmt: skip
        elif spec.type == "enum" and (spec.values is None or key not in spec.values):
            issues.add(path, f"phrases for '{key}', which is not one of the values", label,
                       "phrases")  # fmt: skip
        elif spec.type == "int":
            issues.add(path, "int facts take no phrases", label, "phrases")


def _placeholders(text: str) -> Iterator[str]:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            yield name


def _speaks_of_escalation(wording: ItemSpec) -> bool:
    """Whether the wording names a target or its time limits, which only an escalation fills."""
    used = set(_placeholders(wording.zh)) | set(_placeholders(wording.en))
    return bool(used & ESCALATION_PLACEHOLDERS)


def _pinned_problem(spec: RuleSpec) -> str | None:
    if spec.then.problem:
        return spec.then.problem
    for condition in spec.when:
        if condition.fact == "problem" and condition.op == "equals":
            return str(condition.value)
    return None


def _catalog_rules(knowledge: Knowledge) -> list[LoadedRule]:
    """One classification rule per problem in the code catalog: code → problem."""
    by_problem: dict[str, list[CodeSpec]] = {}
    for code in sorted(knowledge.codes.values(), key=lambda c: c.code):
        by_problem.setdefault(code.problem, []).append(code)
    rules: list[LoadedRule] = []
    for problem, codes in by_problem.items():
        citations: list[Citation] = []
        for code in codes:
            citations += [c for c in code.source if c not in citations]
        spec = RuleSpec(
            id=f"catalog.{problem}",
            salience=0,
            when=[Condition(fact="error_code", op="one_of", values=[c.code for c in codes])],
            then=Then(problem=problem),
            example=[
                ExampleSpec(given={"error_code": c.code}, expect=Expect(problem=problem))
                for c in codes
            ],
            source=citations,
        )
        order = len(rules) - len(by_problem)  # before every rule file
        source = knowledge.cite(spec.source)
        rules.append(LoadedRule(spec, "knowledge: code catalog", order, problem, source, True))
    return rules


def _check_rule(
    knowledge: Knowledge, spec: RuleSpec, path: str, order: int, issues: _Issues
) -> LoadedRule:
    k = knowledge
    rid = spec.id

    def bad(message: str, field: str) -> None:
        issues.add(path, message, rid, field)

    _citations(k, spec.source, path, rid, issues)
    for index, condition in enumerate(spec.when):
        _check_condition(k, condition, f"when[{index}]", bad)

    then = spec.then
    refs = (("problem", k.problems), ("cause", k.causes), ("step", k.steps),
            ("wording", k.wordings), ("escalate", k.targets))  # fmt: skip
    for name, table in refs:
        value = getattr(then, name)
        if value is not None and value not in table:
            bad(f"unknown {name} '{value}'", f"then.{name}")
    if then.ask is not None and not k.askable(then.ask):
        what = "not a declared fact" if then.ask not in k.facts else "a fact that is never asked"
        bad(f"'{then.ask}' is {what}", "then.ask")
    problem = _pinned_problem(spec)
    if then.status is not None and then.cause and then.cause in k.causes:
        cause_problem = k.causes[then.cause].problem
        if problem is not None and cause_problem != problem:
            bad(f"cause '{then.cause}' belongs to problem '{cause_problem}', not '{problem}'",
                "then.cause")  # fmt: skip
    wording = k.wordings.get(then.wording or "")
    if wording is not None and then.escalate is None and _speaks_of_escalation(wording):
        bad(f"wording '{then.wording}' speaks of an escalation but the rule escalates to no "
            "target", "then.wording")  # fmt: skip

    for index, example in enumerate(spec.example):
        where = f"example[{index}]"
        for name, value in example.given.items():
            if name == "text":
                if not isinstance(value, str):
                    bad("text must be a string", f"{where}.given.text")
                continue
            if name not in k.facts:
                bad(f"unknown fact '{name}'", f"{where}.given.{name}")
                continue
            try:
                parse_value(k.domains[name], value)
            except ValueError as error:
                bad(str(error), f"{where}.given.{name}")
        expect = example.expect
        checks = (("problem", k.problems), ("cause", k.causes), ("step", k.steps))
        for name, table in checks:
            value = getattr(expect, name)
            if value is not None and value not in table:
                bad(f"unknown {name} '{value}'", f"{where}.expect.{name}")
        if expect.escalate not in (None, "none") and expect.escalate not in k.targets:
            bad(f"unknown target '{expect.escalate}' (or 'none')", f"{where}.expect.escalate")
    return LoadedRule(spec, path, order, problem, k.cite(spec.source))


def _check_condition(knowledge: Knowledge, condition: Condition, field: str, bad: Any) -> None:
    domain = knowledge.domains.get(condition.fact)
    if domain is None:
        bad(f"unknown fact '{condition.fact}'", f"{field}.fact")
        return
    if condition.op == "range" and domain.type != "int":
        bad(f"'range' needs a number fact; '{condition.fact}' is {domain.type}", f"{field}.op")
    values = list(condition.values or [])
    if condition.value is not None:
        values.append(condition.value)
    for value in values:
        try:
            domain.check(value)
        except ValueError as error:
            bad(f"{condition.fact}: {error}", f"{field}.value")
    for name in ("min", "max"):
        bound = getattr(condition, name)
        if isinstance(bound, str) and bound not in knowledge.settings.thresholds:
            known = ", ".join(sorted(knowledge.settings.thresholds)) or "none"
            bad(f"unknown threshold '{bound}' (settings.thresholds: {known})", f"{field}.{name}")
