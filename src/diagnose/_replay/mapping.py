"""Turn an export's own columns into ticket fields, facts and recorded outcomes.

A mapping names, for each field, the export column that holds it: ``--map text=故障描述``
on the command line, or a small TOML file (``[columns]`` and, for values the export
writes its own way, ``[values.FIELD]``). A column named like a field needs no mapping.

Fields: ``id``, ``text``, ``error_code``, ``carrier``, ``area``, ``reported_at``, any fact
of the knowledge, and the recorded outcome: ``recorded_target`` (who the case went to),
``recorded_action`` (what the agent did) and ``resolved``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from .._api import KnowledgeBase
from .._engine import TextReader
from .._errors import MappingError
from .._knowledge import DERIVED_FACTS, Domain, Unreadable, read_toml
from .._models import FactValue
from .read import RowProblem

__all__ = ["FIELDS", "Mapped", "Mapper", "parse_time"]

TICKET = ("id", "text", "error_code", "carrier")
CONTEXT = ("area", "reported_at")
RECORDED = ("recorded_target", "recorded_action", "resolved")
FIELDS = TICKET + CONTEXT + RECORDED
_NONE = {"", "none", "无", "否", "不转派", "-", "null"}
# a planned field: name, column, how to read its cell, whether it is a fact, its values map,
# and what its distinct cells said (none for the id and the time)
_Step = tuple[str, str, Callable[[Any], Any], bool, dict[str, str] | None,
              dict[Any, Any] | None]  # fmt: skip
_YES_NO = Domain("bool")
_OWN = ("id", "reported_at")  # the fields nearly every row has its own value of


@dataclass(slots=True)
class Mapped:
    """One row as diagnose reads it."""

    id: str | None = None
    text: str | None = None
    error_code: int | None = None
    carrier: str | None = None
    facts: dict[str, FactValue] = field(default_factory=dict)
    area: str | None = None
    reported_at: datetime | None = None
    recorded_target: str | None = None
    resolved: bool | None = None
    recorded_action: str | None = None
    problem: RowProblem | None = None  # why the row cannot be diagnosed, if it cannot


_TIME = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})分?(?::?(\d{1,2}(?:\.\d+)?)秒?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_time(text: str) -> datetime:
    """'2024-03-01 08:15:00', '2024/3/1 8:15', '2024-03-01T08:15', '2024年3月1日 8时15分'."""
    if (
        len(text) == 19
        and text[4] == text[7] == "-"
        and text[10] == " "
        and text[13] == text[16] == ":"
        and text.isascii()
    ):  # as most exports write it
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # read below, and said why
    match = _TIME.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a date and time (write 2024-03-01 08:15)")
    year, month, day, hour, minute, second = match.groups()
    return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                    int(float(second or 0)))  # fmt: skip


class Mapper:
    """Reads mapped fields out of a row (a dict of column name → value)."""

    def __init__(
        self,
        base: KnowledgeBase,
        pairs: tuple[str, ...] = (),
        file: Path | None = None,
    ) -> None:
        knowledge = self._knowledge = base.knowledge
        self._reader = base.engine.reader
        problems: list[str] = []
        columns: dict[str, str] = {}
        values: dict[str, dict[str, str]] = {}
        if file is not None:
            columns, values = self._read_file(file, problems)
        for pair in pairs:
            name, sep, column = pair.partition("=")
            if not sep or not name.strip() or not column.strip():
                problems.append(f"--map {pair}: write it as FIELD=COLUMN, e.g. text=故障描述")
                continue
            columns[name.strip()] = column.strip()
        known = set(FIELDS) | {n for n in knowledge.facts if n not in ("error_code", "carrier")}
        facts = ", ".join(n for n in knowledge.facts if n in known)
        for name in columns:
            if name in DERIVED_FACTS or name not in known:
                problems.append(f"unknown field '{name}' (fields: {', '.join(FIELDS)}, "
                                f"or a fact: {facts})")  # fmt: skip
        if problems:
            raise MappingError(problems)
        self.columns = columns
        self.values = values
        self._fields = [n for n in [*FIELDS, *knowledge.facts] if n in known]
        self._carriers = self._carrier_names()
        self._targets = self._target_names()
        self._converters: dict[str, Callable[[Any], Any]] = {
            "error_code": self._code, "carrier": self._carrier, "recorded_target": self._target,
            "reported_at": lambda v: parse_time(str(v)),
            "resolved": lambda v: bool(_YES_NO.parse(str(v))),
        }  # fmt: skip
        # JSONL rows may hold any key: every field, at its mapped (or own) name
        self._plan = [self._step(n, columns.get(n, n)) for n in self._fields]

    def _read_file(
        self, file: Path, problems: list[str]
    ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        read = read_toml(file)
        if isinstance(read, Unreadable):
            problems.append(f"{file}: cannot read the mapping: {read.message}")
            return {}, {}
        data = read[0]
        columns = data.get("columns", {})
        values = data.get("values", {})
        for key in data:
            if key not in ("columns", "values"):
                problems.append(f"{file}: unknown table [{key}] (a mapping has [columns] and "
                                "[values.FIELD])")  # fmt: skip
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            problems.append(f"{file}: [columns] maps each field to a column name, "
                            'e.g. text = "故障描述"')  # fmt: skip
            columns = {}
        if not isinstance(values, dict) or not all(
            isinstance(table, dict) and all(isinstance(v, str) for v in table.values())
            for table in values.values()
        ):
            problems.append(f'{file}: [values.FIELD] maps export values to ours, e.g. "联通" = '
                            '"unicom"')  # fmt: skip
            values = {}
        return dict(columns), {k: dict(v) for k, v in values.items()}

    def _carrier_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for carrier_id, spec in self._knowledge.carriers.items():
            for name in (carrier_id, spec.name, spec.name_en, spec.hotline):
                names[name.lower()] = carrier_id
            names[spec.name.removeprefix("中国").lower()] = carrier_id  # 联通, 电信, 移动
        return names

    def _target_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for target_id, spec in self._knowledge.targets.items():
            for name in (target_id, spec.name, spec.name_en):
                names[name.lower()] = target_id
        return names

    def resolve(self, columns: list[str]) -> None:
        """Check a CSV header: every mapped column must be there. A column named like a
        field maps to it unless the mapping says otherwise."""
        missing = [f"{name}={column}" for name, column in self.columns.items()
                   if column not in columns]  # fmt: skip
        if missing:
            raise MappingError([f"no column '{m.split('=', 1)[1]}' for {m.split('=', 1)[0]} in "
                                f"the export (its columns: {', '.join(columns)})"
                                for m in missing])  # fmt: skip
        for name in self._fields:
            if name not in self.columns and name in columns:
                self.columns[name] = name
        self._plan = [self._step(n, self.columns[n]) for n in self._fields if n in self.columns]

    def _step(self, name: str, column: str) -> _Step:
        convert: Callable[[Any], Any]
        if name in ("id", "text", "area", "recorded_action"):
            convert = str
        else:
            convert = self._converters.get(name) or partial(self._fact, name)
        cells: dict[Any, Any] | None = None if name in _OWN else {}
        return (name, column, convert, name not in FIELDS, self.values.get(name), cells)

    def map(self, row: dict[str, Any]) -> Mapped:
        """The row's fields; ``problem`` says which one could not be read (the id, read
        first, is kept for the error row). A column's cell is read once per distinct cell
        (but the id's and the time's, which nearly every row has its own of)."""
        mapped = Mapped()
        facts = mapped.facts
        for name, column, convert, is_fact, custom, cells in self._plan:
            raw = row.get(column)
            if raw is None:
                continue
            # a CSV cell is its own key (a string, which no other key is)
            value: Any = _MISSING
            if cells is not None and raw.__class__ is str:
                value = cells.get(raw, _MISSING)
            if value is _MISSING:
                value = _remembered(cells, convert, custom, raw)
            if value is _EMPTY:
                continue
            if value.__class__ is _Bad:
                mapped.problem = RowProblem("bad_field", f"{name} (column '{column}'): {value}")
                return mapped
            if is_fact:
                facts[name] = value
            else:
                setattr(mapped, name, value)
        return mapped

    def _code(self, value: Any) -> int:
        code = _code(value, self._reader)
        if code is None:
            raise ValueError(f"'{value}' is not an error code")
        try:
            return int(self._knowledge.domains["error_code"].check(code))
        except ValueError:  # a phone or account number in the code column: not echoed
            raise ValueError(f"a number of {len(str(code))} digits is not an error code") from None

    def _carrier(self, value: Any) -> str:
        carrier = self._carriers.get(str(value).lower())
        if carrier is None:
            raise ValueError(f"'{value}' is not a carrier ({', '.join(self._knowledge.carriers)}); "
                             "name it in [values.carrier] of the mapping file")  # fmt: skip
        return carrier

    def _target(self, value: Any) -> str:
        low = str(value).lower()
        return "none" if low in _NONE else self._targets.get(low, str(value))

    def _fact(self, name: str, value: Any) -> FactValue:
        """The fact's value from a cell: a value, a label (欠费), or yes/no words."""
        domain = self._knowledge.domains[name]
        if isinstance(value, (bool, int)):
            return domain.check(value)
        text = str(value)
        for choice, label in self._knowledge.facts[name].labels.items():
            if text == label:
                return choice
        return domain.parse(text)


class _Bad(str):
    """Why a cell could not be read."""


_EMPTY = _Bad("")  # a blank cell: the field is not given
_MISSING = object()
_CELLS_KEPT = 4096  # distinct cells kept per column, then it starts again


def _remembered(
    cells: dict[Any, Any] | None,
    convert: Callable[[Any], Any],
    custom: dict[str, str] | None,
    raw: Any,
) -> Any:
    """What a cell says, worked out once per distinct cell of the column (``cells``)."""
    if cells is None:
        return _cell(convert, custom, raw)
    key = raw if raw.__class__ is str else (raw.__class__, raw)
    try:
        value = cells.get(key, _MISSING)
    except TypeError:  # a list or table in a JSON line
        return _cell(convert, custom, raw)
    if value is _MISSING:
        value = _cell(convert, custom, raw)
        if len(cells) >= _CELLS_KEPT:
            cells.clear()
        cells[key] = value
    return value


def _cell(convert: Callable[[Any], Any], custom: dict[str, str] | None, raw: Any) -> Any:
    """What one cell says: a value, ``_EMPTY``, or why it could not be read (``_Bad``)."""
    if raw.__class__ is str:
        raw = raw.strip()
        if not raw:
            return _EMPTY
        if custom is not None:
            raw = custom.get(raw, raw)
    try:
        return convert(raw)
    except ValueError as error:
        return _Bad(error)


def _code(value: Any, reader: TextReader) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip().removesuffix(".0")
    if text.isascii() and text.isdigit():
        return int(text)
    return reader.error_code(text)
