"""How long reading one agent's note takes: the error code, the facts, the hints.

Notes of about 100 characters are built from the annotated corpus (tests/corpus), each
made unique with a ticket number so that no reading is served from the reader's cache.
Beside the reader, in the same run, a yardstick: a literal matcher (every phrase in one
regular expression, longest first), what reading cost before clauses, negation and
questions were read. The
ratio holds on a noisy machine; the absolute figure drifts with it.

.venv/bin/python benchmarks/bench_reading.py [--notes 20000] [--length 100]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import diagnose
from diagnose._engine import TextReader

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "tune.jsonl"


def notes(count: int, length: int) -> list[str]:
    """``count`` distinct notes of about ``length`` characters, from the corpus's texts."""
    texts = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")]
    made, index = [], 0
    while len(made) < count:
        note = f"单号{len(made):07d} "
        while len(note) < length:
            note += texts[index % len(texts)] + ","
            index += 7
        made.append(note[:length])
    return made


def per_note(read: Callable[[str], object], texts: list[str]) -> float:
    """The microseconds one note takes, on average over the notes."""
    started = time.perf_counter()
    for text in texts:
        read(text)
    return (time.perf_counter() - started) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--length", type=int, default=100)
    args = parser.parse_args()
    knowledge = diagnose.load().knowledge
    texts = notes(args.notes, args.length)

    fresh: list[TextReader] = []

    def read(text: str) -> object:
        reader = fresh[-1]
        return reader.code(text), reader.facts(text, set()), reader.hints(text, set())

    # the yardstick: every phrase in one regular expression, longest first, as a plain
    # literal reader finds them
    phrases = sorted({p.lower() for spec in knowledge.facts.values()
                      for keyed in (spec.phrases, spec.hints) for ps in keyed.values()
                      for p in ps}, key=len, reverse=True)  # fmt: skip
    pattern = re.compile("|".join(re.escape(p) for p in phrases))

    def match(text: str) -> object:
        return [m.group(0) for m in pattern.finditer(text.lower())]

    results = []
    for _ in range(5):  # a fresh reader each time: nothing read before is kept
        fresh.append(TextReader(knowledge))
        results.append((per_note(read, texts), per_note(match, texts)))
    # the best of the rounds, as timeit does: noise only ever adds time
    reading = min(r for r, _ in results)
    yardstick = min(m for _, m in results)
    print(f"{len(texts):,} distinct notes of {args.length} characters")
    print(f"reading (code, facts, hints): {reading:7.1f} µs a note")
    print(f"literal phrase matching:      {yardstick:7.1f} µs a note (the yardstick)")
    print(f"ratio: {reading / yardstick:.2f}×")


if __name__ == "__main__":
    main()
