"""Time one diagnose() call with a warm engine, over a realistic mix of tickets.

.venv/bin/python benchmarks/bench_diagnose.py [--calls 3000] [--vs RULES KNOWLEDGE]

--vs: another rules and knowledge (an older version, say) timed in the same run, call by
call in turn with the shipped ones, so that the ratio between them holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tickets import MIX

import diagnose


def _time(kb: diagnose.KnowledgeBase, calls: int, times: list[float]) -> None:
    for index in range(calls):
        ticket = MIX[index % len(MIX)]
        t0 = time.perf_counter()
        kb.diagnose(ticket)
        times.append(time.perf_counter() - t0)


def _show(name: str, times: list[float]) -> float:
    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    print(f"{name}: {len(ms)} calls: median {median:.2f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.2f} ms, max {ms[-1]:.2f} ms, "
          f"{len(ms) / sum(times):.0f} tickets/s on one thread")  # fmt: skip
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--vs", nargs=2, metavar=("RULES", "KNOWLEDGE"))
    args = parser.parse_args()
    started = time.perf_counter()
    kb = diagnose.load()
    kb.diagnose(MIX[0])
    print(f"load + compile + first call: {(time.perf_counter() - started) * 1000:.0f} ms")
    bases = {"shipped": kb}
    if args.vs:
        bases["baseline"] = diagnose.load(*args.vs)
        bases["baseline"].diagnose(MIX[0])
    times: dict[str, list[float]] = {name: [] for name in bases}
    rounds = 10
    for _ in range(rounds):  # in turn, so that both see the same noise
        for name, base in bases.items():
            _time(base, args.calls // rounds, times[name])
    medians = {name: _show(name, found) for name, found in times.items()}
    if args.vs:
        print(f"shipped / baseline: {medians['shipped'] / medians['baseline']:.2f}×")


if __name__ == "__main__":
    main()
