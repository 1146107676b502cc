"""How long reading one agent's note takes: the error code, the facts, the hints.

Notes of about 100 characters are built from the annotated corpus (tests/corpus), texts
drawn at random and joined, each note different so that no reading is served from the
reader's cache.
Beside the reader, in the same run, a yardstick: a literal matcher (every phrase in one
regular expression, longest first), what reading cost before clauses, negation and
questions were read. The
ratio holds on a noisy machine; the absolute figure drifts with it.

.venv/bin/python benchmarks/bench_reading.py [--notes 20000] [--length 100]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import diagnose
from diagnose._engine import TextReader

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "tune.jsonl"


def notes(count: int, length: int) -> list[str]:
    """``count`` distinct notes of about ``length`` characters: corpus texts drawn at
    random (the same draw each run) and joined, none the same as another even with its long
    numbers set aside (the reader reads such notes once)."""
    texts = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")]
    draw = random.Random(0)
    made: dict[str, str] = {}  # without long numbers → the note
    while len(made) < count:
        note = ""
        while len(note) < length:
            note += draw.choice(texts) + ","
        note = note[:length]
        made.setdefault(re.sub(r"\d{7,}", "#", note), note)
    return list(made.values())


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
    phrases = sorted({word.lower() for spec in knowledge.facts.values()
                      for keyed in (spec.phrases, spec.hints) for ps in keyed.values()
                      for p in ps for word in p.split("…")}, key=len, reverse=True)  # fmt: skip
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
