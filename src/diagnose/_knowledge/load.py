"""Step 1 of the pipeline: read ``rules/`` and ``knowledge/`` into a validated ``Knowledge``.

Every file is read and every item validated on its own (``schema``); then the checks that
look across items run (``checks``). All problems are collected and raised together in one
``KnowledgeError``, each naming its file, line, rule (or item) id and field; nothing
half-loaded is ever returned.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import KnowledgeError, KnowledgeIssue
from .._limits import MAX_RULES_PER_MODULE
from .catalog import catalog_rules
from .checks import KNOWLEDGE_CHECKS, RULE_CHECKS, Origin, Origins, pinned_problem
from .files import Lines, Unreadable, read_toml, shown_path
from .model import Knowledge, LoadedRule
from .schema import (
    CarrierSpec,
    CauseSpec,
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
from .snapshot import snapshot

__all__ = ["default_dirs", "load_knowledge"]

M = TypeVar("M", bound=BaseModel)

_MODELS: dict[str, type[BaseModel]] = {
    "sources": SourceSpec, "settings": SettingsSpec, "language": LanguageSpec,
    "carriers": CarrierSpec, "facts": FactSpec, "code": CodeSpec, "stages": ItemSpec,
    "problems": ProblemSpec, "causes": CauseSpec, "steps": ItemSpec, "wording": WordingSpec,
    "targets": TargetSpec, "frequencies": FrequencySpec, "policies": PolicySpec,
    "reading": ReadingSpec,
}  # fmt: skip
_SINGLE_TABLES = ("settings", "language", "frequencies", "reading")


def default_dirs() -> tuple[Path, Path]:
    """The rules and knowledge shipped with diagnose: inside the installed package, or at
    the top of a source checkout."""
    data = Path(str(resources.files("diagnose"))) / "data"
    if (data / "rules").is_dir() and (data / "knowledge").is_dir():
        return data / "rules", data / "knowledge"
    top = Path(__file__).resolve().parents[3]
    return top / "rules", top / "knowledge"


def _toml_files(folder: Path, what: str, issues: list[KnowledgeIssue]) -> list[Path]:
    if not folder.is_dir():
        issues.append(KnowledgeIssue(str(folder), f"the {what} folder does not exist"))
        return []
    files = sorted(folder.glob("*.toml"))
    if not files:
        issues.append(KnowledgeIssue(str(folder), f"no .toml files in the {what} folder"))
    return files


def _read(
    folder: Path, what: str, issues: list[KnowledgeIssue]
) -> list[tuple[str, dict[str, Any], Lines]]:
    """Each readable TOML file of the folder: its shown path, data and lines."""
    found = []
    for path in _toml_files(folder, what, issues):
        shown = shown_path(path, folder)
        read = read_toml(path)
        if isinstance(read, Unreadable):
            issues.append(KnowledgeIssue(shown, read.message, line=read.line))
        else:
            found.append((shown, *read))
    return found


def _validate(
    model: type[M], raw: object, origin: Origin, issues: list[KnowledgeIssue]
) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for detail in error.errors():
            loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in detail["loc"])
            message = detail["msg"].removeprefix("Value error, ")
            issues.append(origin.issue(message, loc.removeprefix(".") or None))
        return None


class _Tables:
    """Knowledge items gathered from every file, by table, with where each was written."""

    def __init__(self) -> None:
        self.items: dict[str, dict[Any, Any]] = {name: {} for name in _MODELS}
        self.origins = Origins()
        self.issues: list[KnowledgeIssue] = []

    def gather(self, path: str, data: dict[str, Any], lines: Lines) -> None:
        for table, body in data.items():
            if table not in _MODELS:
                known = ", ".join(_MODELS)
                line = lines.line(table)
                self.issues.append(KnowledgeIssue(path, f"unknown table '{table}' (known: "
                                                  f"{known})", line=line))  # fmt: skip
            elif table in _SINGLE_TABLES:
                self._put(table, table, body, Origin(path, lines, (table,), table))
            elif table == "code":
                self._codes(path, body, lines)
            elif not isinstance(body, dict):
                self.issues.append(Origin(path, lines, (table,), None).issue(
                    f"[{table}] must be a table of named entries", table))  # fmt: skip
            else:
                for key, entry in body.items():
                    origin = Origin(path, lines, (table, key), f"{table}.{key}")
                    self._put(table, key, entry, origin)

    def _codes(self, path: str, body: Any, lines: Lines) -> None:
        if not isinstance(body, list):
            self.issues.append(Origin(path, lines, ("code",), None).issue(
                "codes are written as [[code]] entries", "code"))  # fmt: skip
            return
        for index, entry in enumerate(body):
            number = entry.get("code") if isinstance(entry, dict) else None
            label = f"code {number}" if number is not None else f"code #{index + 1}"
            self._put("code", number, entry, Origin(path, lines, ("code", index), label))

    def _put(self, table: str, key: Any, raw: Any, origin: Origin) -> None:
        item = _validate(_MODELS[table], raw, origin, self.issues)
        if item is None:
            return
        if table == "code":
            key = item.code  # type: ignore[attr-defined]
        first = self.origins.get((table, key))
        if first is not None:
            kind = "code" if table == "code" else table
            self.issues.append(origin.issue(f"duplicate {kind} (first in {first.path})"))
            return
        self.items[table][key] = item
        self.origins[(table, key)] = origin


def _read_rules(rules_dir: Path, issues: list[KnowledgeIssue]) -> list[tuple[RuleSpec, Origin]]:
    found: list[tuple[RuleSpec, Origin]] = []
    seen: dict[str, str] = {}
    for path, data, lines in _read(rules_dir, "rules", issues):
        for key in data:
            if key != "rule":
                issues.append(KnowledgeIssue(path, f"unknown table '{key}'; a rule file holds "
                                             "[[rule]] entries", line=lines.line(key)))  # fmt: skip
        entries = data.get("rule", [])
        if not isinstance(entries, list):
            issues.append(KnowledgeIssue(path, "'rule' must be written as [[rule]] entries",
                                         line=lines.line("rule")))  # fmt: skip
            continue
        for index, entry in enumerate(entries):
            rule_id = entry.get("id") if isinstance(entry, dict) else None
            label = rule_id if isinstance(rule_id, str) else f"rule #{index + 1}"
            origin = Origin(path, lines, ("rule", index), label)
            spec = _validate(RuleSpec, entry, origin, issues)
            if spec is None:
                continue
            if spec.id in seen:
                issues.append(origin.issue(f"duplicate rule id (first in {seen[spec.id]})"))
                continue
            seen[spec.id] = path
            found.append((spec, origin))
    return found


def load_knowledge(
    rules: Path | str | None = None, knowledge: Path | str | None = None
) -> Knowledge:
    """Load and validate the rules and knowledge; raise ``KnowledgeError`` with every
    problem. A knowledge loaded before, unchanged, is read from its snapshot."""
    default_rules, default_knowledge = default_dirs()
    rules_dir = Path(rules) if rules is not None else default_rules
    knowledge_dir = Path(knowledge) if knowledge is not None else default_knowledge
    return snapshot(rules_dir, knowledge_dir, lambda: _load(rules_dir, knowledge_dir))


def _load(rules_dir: Path, knowledge_dir: Path) -> Knowledge:
    tables = _Tables()
    for path, data, lines in _read(knowledge_dir, "knowledge", tables.issues):
        tables.gather(path, data, lines)
    # Problems in the rule files are kept apart: a broken rule file must not hide the
    # checks of the other rules, while broken knowledge stops before any rule is checked.
    rule_issues: list[KnowledgeIssue] = []
    specs = _read_rules(rules_dir, rule_issues)
    built = _build(rules_dir, knowledge_dir, tables)
    if built is None or tables.issues:
        raise KnowledgeError(tables.issues + rule_issues)
    loaded = catalog_rules(built)
    per_module: dict[str, int] = {}
    for order, (spec, origin) in enumerate(specs):
        rule_issues += _module_limit(spec, origin, per_module)
        for check in RULE_CHECKS:
            rule_issues += [origin.issue(message, field) for message, field in
                            check.check(built, spec)]  # fmt: skip
        line = origin.lines.line(*origin.key)
        loaded.append(LoadedRule(spec, origin.path, order, pinned_problem(spec),
                                 built.cite(spec.source), line=line))  # fmt: skip
    if rule_issues:
        raise KnowledgeError(rule_issues)
    built.rules = loaded
    return built


def _module_limit(spec: RuleSpec, origin: Origin, counted: dict[str, int]) -> list[KnowledgeIssue]:
    """Count the rule in its module (its problem's, or the intake's); an issue for the
    first rule over the limit."""
    tests_problem = any(condition.fact == "problem" for condition in spec.when)
    module = (pinned_problem(spec) or "several problems") if tests_problem else "intake"
    counted[module] = counted.get(module, 0) + 1
    if counted[module] != MAX_RULES_PER_MODULE + 1:
        return []
    about = "deciding problems" if module == "intake" else f"about {module}"
    message = (f"more than {MAX_RULES_PER_MODULE:,} rules {about}: one ticket's engine "
               "holds at most that many; split the problem")  # fmt: skip
    return [origin.issue(message, "when")]


def _build(rules_dir: Path, knowledge_dir: Path, tables: _Tables) -> Knowledge | None:
    """The knowledge, checked across its items; None when a required table is missing."""
    items = tables.items
    for name in ("settings", "language"):
        if not items[name]:
            message = f"no [{name}] table in any knowledge file"
            tables.issues.append(KnowledgeIssue(str(knowledge_dir), message))
    if not items["settings"] or not items["language"]:
        return None
    built = Knowledge(
        rules_dir=rules_dir, knowledge_dir=knowledge_dir, sources=items["sources"],
        settings=items["settings"]["settings"], language=items["language"]["language"],
        carriers=items["carriers"], facts=items["facts"], codes=items["code"],
        stages=items["stages"], problems=items["problems"], causes=items["causes"],
        steps=items["steps"], wordings=items["wording"], targets=items["targets"], rules=[],
        frequencies=items["frequencies"].get("frequencies"), policies=items["policies"],
        reading=items["reading"].get("reading"),
    )  # fmt: skip
    for check in KNOWLEDGE_CHECKS:
        tables.issues += check.check(built, tables.origins)
    return built
