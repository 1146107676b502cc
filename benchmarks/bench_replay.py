"""Replay throughput and peak memory, on generated exports of a realistic mix.

For each size, a UTF-8 CSV is generated (benchmarks/tickets.py), then replayed in a
child process with one worker and with one per core; the child's peak resident memory is
read from the operating system. ``--vs SRC`` replays the same export with another
checkout's ``src`` folder (an older version, say) in turn in the same run, so that the
ratio holds on a noisy machine; ``--distinct`` generates notes that all differ.

.venv/bin/python benchmarks/bench_replay.py [--rows 100000 1000000] [--vs ../old/src] [--distinct]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tickets import write_csv  # noqa: E402

MAPPING = HERE.parent / "examples" / "mapping.toml"


def run(source: Path, out: Path, workers: int, src: Path | None) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one replay in a child process."""
    command = [sys.executable, "-c",
               "import sys; from diagnose._cli import main; sys.argv[0] = 'diagnose'; main()",
               "replay", str(source), "--mapping", str(MAPPING), "--out", str(out)]  # fmt: skip
    if workers != 1:
        command += ["--workers", str(workers)]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kib, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--vs", type=Path, metavar="SRC", help="another checkout's src folder")
    parser.add_argument("--distinct", action="store_true", help="no two notes alike")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    versions: list[tuple[str, Path | None]] = [("this", None)]
    if args.vs:
        versions.append(("--vs", args.vs.resolve()))
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            source = Path(folder) / f"tickets-{rows}.csv"
            write_csv(source, rows, distinct=args.distinct)
            megabytes = source.stat().st_size / 2**20
            speed: dict[tuple[str, int], float] = {}
            for workers in sorted({1, cores}):
                for name, src in versions:  # in turn: both see the same noise
                    seconds, peak = run(source, Path(folder) / "out.jsonl", workers, src)
                    speed[(name, workers)] = rows / seconds
                    print(f"{name:>5} {rows:>9,} rows ({megabytes:,.0f} MiB CSV), {workers} "
                          f"worker(s): {rows / seconds:>8,.0f} rows/s, {seconds:6.1f} s, peak "
                          f"memory so far {peak:,.0f} MiB", flush=True)  # fmt: skip
            if args.vs:
                ratio = speed[("this", 1)] / speed[("--vs", 1)]
                print(f"  one worker, this / --vs: {ratio:.2f}×")
            if cores > 1:
                ratio = speed[("this", cores)] / speed[("this", 1)]
                print(f"  {cores} workers / one worker: {ratio:.2f}×")


if __name__ == "__main__":
    main()
