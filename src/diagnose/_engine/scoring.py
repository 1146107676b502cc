"""How well the knowledge reads notes: an annotated corpus in, per-fact precision and
recall out, with every misread note.

A corpus is JSON lines ``{"text": "...", "facts": {"modem_restarted": false, ...}}``: the
facts a colleague reads in the note, and only those (a fact the note leaves open is left
out; what those facts imply in facts.toml is expected too). Each note is read as a
ticket's text is (phrases, hints, and what they imply; a carrier only when the note names
one), and each fact compared:

- right: read, with the annotated value;
- wrong: read with another value, or read where the note settles nothing;
- missed: annotated, but not read with that value.

A line that cannot be scored (not JSON, an unknown fact, a bad value) is reported with
its number; the other lines are still scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .._errors import TicketError
from .._knowledge.model import DERIVED_FACTS, Knowledge, parse_value
from .._models import BadLine, FactScore, FactValue, Misread, ReadingScore, Ticket
from .._privacy import mask_numbers
from .engine import Engine
from .facts import derive

__all__ = ["score_reading"]


def score_reading(engine: Engine, lines: Iterable[str]) -> ReadingScore:
    knowledge = engine.knowledge
    counts: dict[str, list[int]] = {}  # fact → [right, wrong, missed]
    misread: list[Misread] = []
    bad: list[BadLine] = []
    scored = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            text, expected = _annotated(knowledge, line)
            prepared = engine.prepare(Ticket(text=text))
        except (ValueError, TicketError) as error:
            bad.append(BadLine(line=number, message=str(error)))
            continue
        scored += 1
        read = {name: value for name, value in prepared.facts.items()
                if name in knowledge.facts and name not in DERIVED_FACTS}  # fmt: skip
        if prepared.carrier_assumed:
            read.pop("carrier", None)
        for fact in sorted(set(read) | set(expected), key=knowledge.fact_order.__getitem__):
            said, meant = read.get(fact), expected.get(fact)
            tally = counts.setdefault(fact, [0, 0, 0])
            if said is not None and said == meant:
                tally[0] += 1
                continue
            tally[1] += said is not None
            tally[2] += meant is not None
            misread.append(Misread(line=number, text=mask_numbers(text), fact=fact,
                                   expected=meant, read=said,
                                   reading=prepared.extracted.get(fact)))  # fmt: skip
    facts = [FactScore(fact=fact, right=r, wrong=w, missed=m)
             for fact, (r, w, m) in sorted(counts.items(),
                                           key=lambda kv: knowledge.fact_order[kv[0]])]  # fmt: skip
    return ReadingScore(lines=scored, facts=facts, misread=misread, bad_lines=bad)


def _annotated(knowledge: Knowledge, line: str) -> tuple[str, dict[str, FactValue]]:
    """The note and its annotated facts; ValueError says what is wrong with the line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError('write each line as {"text": "...", "facts": {...}}')
    facts = data.get("facts", {})
    if not isinstance(facts, dict):
        raise ValueError('"facts" must be an object: {"fact": value, ...}')
    expected: dict[str, FactValue] = {}
    problems = []
    for name, value in facts.items():
        if name not in knowledge.facts or name in DERIVED_FACTS:
            problems.append(f"facts.{name}: unknown fact (diagnose facts lists them)")
            continue
        try:
            expected[name] = parse_value(knowledge.domains[name], value)
        except ValueError as error:
            problems.append(f"facts.{name}: {error}")
    if problems:
        raise ValueError("; ".join(problems))
    derive(knowledge, expected)  # "错误691" settles the topic as the knowledge does
    return data["text"], {name: value for name, value in expected.items()
                          if name in knowledge.facts and name not in DERIVED_FACTS}  # fmt: skip
