"""Time one diagnose() call over a realistic mix of tickets, side by side with a plain
experta rule set of the same rules (``plain_experta``), in turn, in one process: the
ratios hold on a noisy machine where absolute times drift.

.venv/bin/python benchmarks/bench_diagnose.py [--calls 3000] [--grow 16] [--vs RULES KNOWLEDGE]

- uncached: ``load(cache_size=0)``, every call reads, runs and ranks again;
- repeated: the same tickets again with the cache on (a hit);
- plain experta: reset, declare, run and pick the deciding rule, on the ticket's facts
  (prepared beforehand: the engine alone);
- --grow N: the shipped rules N times over (``grow``, copies that cannot fire), uncached
  (plain experta on them takes seconds a ticket: left out);
- --vs: another rules and knowledge (an older version, say), uncached.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grow import grow
from plain_experta import PlainExperta
from tickets import MIX

import diagnose

Timed = Callable[[int], Any]


def _uncached(base: diagnose.KnowledgeBase) -> Timed:
    return lambda index: base.diagnose(MIX[index % len(MIX)])


def _plain(base: diagnose.KnowledgeBase) -> Timed:
    plain = PlainExperta(base)
    facts = [base.engine.prepare(diagnose.Ticket.model_validate(t)).facts for t in MIX]
    decided = [plain.decide(f) for f in facts]
    for ticket, rule in zip(MIX, decided, strict=True):  # the same deciding rule
        consulted = base.engine.consult(diagnose.Ticket.model_validate(ticket)).deciding
        assert rule == (consulted.id if consulted else None), (ticket, rule)
    return lambda index: plain.decide(facts[index % len(facts)])


def _show(name: str, times: list[float]) -> float:
    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    print(f"{name:<32} median {median:8.4f} ms   p95 {ms[int(len(ms) * 0.95)]:8.4f} ms   "
          f"{len(ms) / sum(times):9.0f} /s")  # fmt: skip
    return median


def main() -> None:  # noqa: C901  (one run, its options in turn)
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--grow", type=int, default=0, metavar="N")
    parser.add_argument("--vs", nargs=2, metavar=("RULES", "KNOWLEDGE"))
    args = parser.parse_args()
    started = time.perf_counter()
    shipped = diagnose.load(cache_size=0)
    shipped.diagnose(MIX[0])
    print(f"load + compile + first call: {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"{len(shipped.knowledge.rules)} rules")  # fmt: skip
    cached = diagnose.load()
    for ticket in MIX:
        cached.diagnose(ticket)
    timed: dict[str, Timed] = {
        "diagnose() uncached": _uncached(shipped),
        "diagnose() repeated (cache hit)": lambda index: cached.diagnose(MIX[index % len(MIX)]),
        "plain experta": _plain(shipped),
    }
    with tempfile.TemporaryDirectory() as folder:
        if args.grow:
            grown = diagnose.load(*grow(args.grow, Path(folder)), cache_size=0)
            print(f"grown: {len(grown.knowledge.rules)} rules")
            timed[f"diagnose() uncached, ×{args.grow} rules"] = _uncached(grown)
        if args.vs:
            timed["diagnose() uncached, --vs"] = _uncached(diagnose.load(*args.vs, cache_size=0))
        for run in timed.values():  # warm every engine before timing
            for index in range(len(MIX)):
                run(index)
        times: dict[str, list[float]] = {name: [] for name in timed}
        rounds = 20
        per_round = max(1, args.calls // rounds)
        for round_ in range(rounds):  # in turn, so that all see the same noise
            for name, run in timed.items():
                for index in range(round_ * per_round, (round_ + 1) * per_round):
                    t0 = time.perf_counter()
                    run(index)
                    times[name].append(time.perf_counter() - t0)
    medians = {name: _show(name, found) for name, found in times.items()}
    base = medians["plain experta"]
    print("ratios (same run):")
    for name, median in medians.items():
        print(f"  {name:<32} {median / base:6.3f} × plain experta")
    if args.grow:
        ratio = medians[f"diagnose() uncached, ×{args.grow} rules"] / medians["diagnose() uncached"]
        print(f"  uncached ×{args.grow} rules / shipped: {ratio:.2f}×")


if __name__ == "__main__":
    main()
