"""The annotated corpus of agents' notes (tests/corpus): each line a note and the facts a
colleague reads in it. Split by the hash of the note's text, four fifths (tune.jsonl) are
what the reading was tuned on, one fifth (held_out.jsonl) is held aside and never tuned on:
it says how well notes not seen before are read."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).parents[1] / "corpus"
PRECISION, RECALL = 0.98, 0.95  # per fact, on the held-aside notes: the aim
# Facts whose reading is still short of the aim on the held-aside notes, at what it reaches
# now: a floor that only rises (raise it when the reading improves; drop the fact once it
# meets the aim). Every other fact must meet the aim.
SHORT_OF_AIM = {
    "account_status": (0.95, 0.90),
    "billing_dispute": (0.95, 0.85),
    "online_elsewhere": (0.93, 0.89),
    "password_forgotten": (0.93, 0.96),
    "caller_verified": (0.95, 0.90),
    "router_present": (0.91, 0.94),
    "modem_restarted": (0.92, 0.89),
    "line_in_line_port": (0.94, 0.88),
    "nic_listed": (0.97, 0.88),
    "card_enabled": (0.93, 0.86),
    "connection_recreated": (0.95, 0.95),
    "device": (0.98, 0.94),
    "initial_password": (0.90, 0.92),
    "has_handset": (0.90, 0.85),
    "caller_is_holder": (1.00, 0.88),
    "signal_ok": (1.00, 0.83),
}


def _lines(name: str) -> list[str]:
    return (CORPUS / name).read_text(encoding="utf-8").splitlines()


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _held_aside(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 5 == 0


def test_the_corpus_is_split_by_the_hash_of_each_note() -> None:
    tune = [json.loads(line)["text"] for line in _lines("tune.jsonl")]
    held = [json.loads(line)["text"] for line in _lines("held_out.jsonl")]
    assert not any(map(_held_aside, tune)) and all(map(_held_aside, held))
    assert not set(tune) & set(held)
    assert len(tune) + len(held) >= 400 and len(held) * 4 >= len(tune) * 0.8


@pytest.mark.parametrize("name", ["tune.jsonl", "held_out.jsonl"])
def test_every_fact_and_value_a_note_can_say_is_annotated(kb, name) -> None:
    said = Counter((fact, str(value).lower()) for line in _lines(name)
                   for fact, value in json.loads(line)["facts"].items())  # fmt: skip
    k = kb.knowledge
    readable = {(fact, key) for fact, spec in k.facts.items()
                for key in {*spec.phrases, *spec.hints}}  # fmt: skip
    readable |= {("carrier", carrier) for carrier in k.carriers}
    assert not {pair for pair in readable if said[pair] < 3}


@pytest.mark.parametrize("name", ["tune.jsonl", "held_out.jsonl"])
def test_every_line_of_the_corpus_is_scored(kb, name) -> None:
    score = kb.score_reading(_lines(name))
    assert score.bad_lines == [] and score.lines == len(_lines(name))


def test_held_aside_notes_are_read_fact_by_fact(kb) -> None:
    score = kb.score_reading(_lines("held_out.jsonl"))
    low = []
    for f in score.facts:
        precision, recall = SHORT_OF_AIM.get(f.fact, (PRECISION, RECALL))
        if (f.precision is not None and f.precision < precision) or (
            f.recall is not None and f.recall < recall
        ):
            low.append(f"{f.fact}: precision {_figure(f.precision)} (floor {precision}), "
                       f"recall {_figure(f.recall)} (floor {recall})")  # fmt: skip
    # the held-aside notes are never shown: only their figures
    assert not low, "\n".join(low)
