"""The one row format of a replay's output, written and read back.

Each input row gives one output row: ``{"row": N, "id": ..., "diagnosis": {...}}`` or
``{"row": N, "id": ..., "error": {"kind": ..., "message": ...}}`` in JSONL; the same as
``CSV_COLUMNS`` in CSV, every value on one line. The compact JSONL (``COMPACT``) keeps of
a diagnosis what a program reads, by id, not the texts a person reads (``compact``): a
quarter of the size. A diagnosis is serialized once and
reused for every row with the same facts (``Result``); ``--resume`` reads written rows
back for the report (``counted_of``) and for their row number (``row_number``).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from .read import RowProblem

__all__ = [
    "COMPACT",
    "CSV_COLUMNS",
    "Counted",
    "Result",
    "counted_of",
    "csv_header",
    "diagnosis_line",
    "error_line",
    "result_of",
    "row_number",
]

CSV_COLUMNS = (
    "row", "id", "status", "problem", "cause", "next_step", "escalate", "tier",
    "deadline_hours", "wording", "questions", "extracted", "rules", "error_kind",
    "error_message",
)  # fmt: skip
COMPACT = "compact"  # the kind of a compact JSONL output
_CSV_LIST = "; "  # between the phrases of the CSV column extracted (phrases may hold spaces)


class Counted(NamedTuple):
    """What the report counts of a diagnosis."""

    status: str
    problem: str
    cause: str | None
    target: str | None  # the escalation target, if any
    rules: tuple[str, ...]  # the rules that fired
    phrases: tuple[str, ...]  # "fact=phrase" read from the text


@dataclass(frozen=True)
class Result:
    """A diagnosis ready to write, and what the report counts of it."""

    # the Diagnosis as JSON (UTF-8, encoded once for every row of it), without its
    # opening '{' and ticket_id
    json_rest: bytes
    compact_rest: bytes  # the same, compact
    csv_rest: tuple[str, ...]  # the CSV columns after row and id, without the errors
    counted: Counted


def _counted(diagnosis: dict[str, Any]) -> Counted:
    """What the report counts of a diagnosis, whole or compact."""
    escalation = diagnosis["escalation"]
    rules = diagnosis["rules"] if "rules" in diagnosis else [e["rule"] for e in diagnosis["trace"]]
    return Counted(
        diagnosis["status"], diagnosis["problem"], diagnosis["cause"],
        escalation["target"] if escalation else None, tuple(rules),
        tuple(f"{fact}={read['phrase']}" for fact, read in diagnosis["extracted"].items()),
    )  # fmt: skip


def compact(diagnosis: dict[str, Any]) -> dict[str, Any]:
    """A diagnosis (JSON data) by its ids and values: the step, the target and tier, the
    facts asked for, what was read, the rules that fired; no texts, no sources."""
    escalation = diagnosis["escalation"]
    kept = ("tier", "target", "deadline_hours")
    return {
        "carrier": diagnosis["carrier"], "carrier_assumed": diagnosis["carrier_assumed"],
        "problem": diagnosis["problem"], "cause": diagnosis["cause"],
        "status": diagnosis["status"], "next_step": diagnosis["next_step"]["id"],
        "escalation": {k: escalation[k] for k in kept} if escalation else None,
        "questions": [question["fact"] for question in diagnosis["questions"]],
        "provisional": diagnosis["provisional"], "facts": diagnosis["facts"],
        "extracted": {fact: {k: read[k] for k in ("phrase", "value", "how")}
                      for fact, read in diagnosis["extracted"].items()},
        "rules": [entry["rule"] for entry in diagnosis["trace"]],
    }  # fmt: skip


def result_of(diagnosis: dict[str, Any]) -> Result:
    """A diagnosis (as JSON data, ``ticket_id`` included) as the rows write it."""
    rest = {key: value for key, value in diagnosis.items() if key != "ticket_id"}
    counted = _counted(rest)
    escalation = rest["escalation"]
    csv_rest = (
        counted.status, counted.problem, counted.cause or "", rest["next_step"]["id"],
        counted.target or "",
        str(escalation["tier"]) if escalation else "",
        str(escalation["deadline_hours"]) if escalation else "",
        rest["wording"],
        " ".join(q["fact"] for q in rest["questions"]),
        _CSV_LIST.join(counted.phrases),
        " ".join(counted.rules),
    )  # fmt: skip
    return Result(json.dumps(rest, ensure_ascii=False)[1:].encode(),
                  json.dumps(compact(rest), ensure_ascii=False)[1:].encode(), csv_rest,
                  counted)  # fmt: skip


def csv_header() -> str:
    return _csv_line(list(CSV_COLUMNS))


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    flat = [" ".join(v.split()) if ("\n" in v or "\r" in v) else v for v in values]
    csv.writer(out, lineterminator="\n").writerow(flat)
    return out.getvalue()


def _json_text(value: str | None) -> str:
    """A JSON string (or null), as ``json.dumps(value, ensure_ascii=False)`` writes it;
    an id of plain printable ASCII without quotes or backslashes, quickly."""
    if (
        value is not None
        and value.isascii()
        and value.isprintable()
        and not ('"' in value or "\\" in value)
    ):
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


def diagnosis_line(number: int, row_id: str | None, result: Result, kind: str) -> str | bytes:
    """The output row of a diagnosis: a JSONL row as UTF-8 (most of it encoded once per
    diagnosis), a CSV row as text."""
    if kind != "csv":
        shown = _json_text(row_id)
        rest = result.compact_rest if kind == COMPACT else result.json_rest
        head = f'{{"row": {number}, "id": {shown}, "diagnosis": {{"ticket_id": {shown}, '
        return b"".join((head.encode(), rest, b"}\n"))
    return _csv_line([str(number), row_id or "", *result.csv_rest, "", ""])


def error_line(number: int, row_id: str | None, problem: RowProblem, kind: str) -> str:
    if kind != "csv":
        row = {"row": number, "id": row_id,
               "error": {"kind": problem.kind, "message": problem.message}}  # fmt: skip
        return json.dumps(row, ensure_ascii=False) + "\n"
    blanks = [""] * (len(CSV_COLUMNS) - 4)
    return _csv_line([str(number), row_id or "", *blanks, problem.kind, problem.message])


def counted_of(line: str, kind: str) -> Counted | RowProblem:
    """What the report needs of an output row written before (--resume)."""
    if kind != "csv":
        row = json.loads(line)
        if "error" in row:
            return RowProblem(row["error"]["kind"], row["error"]["message"])
        return _counted(row["diagnosis"])
    values = dict(zip(CSV_COLUMNS, next(csv.reader([line])), strict=False))
    if values["error_kind"]:
        return RowProblem(values["error_kind"], values["error_message"])
    phrases = values["extracted"]
    return Counted(values["status"], values["problem"], values["cause"] or None,
                   values["escalate"] or None, tuple(values["rules"].split()),
                   tuple(phrases.split(_CSV_LIST)) if phrases else ())  # fmt: skip


def row_number(line: str, kind: str) -> int | None:
    """The row number of a written line, None when it does not read as a row."""
    try:
        if kind != "csv":
            value = json.loads(line)
            return int(value["row"]) if isinstance(value, dict) else None
        return int(next(csv.reader([line]))[0])
    except (ValueError, KeyError, TypeError, StopIteration, IndexError, csv.Error):
        return None
