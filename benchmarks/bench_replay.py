"""Replay throughput and peak memory, on generated exports of a realistic mix.

For each size, a UTF-8 CSV is generated (benchmarks/tickets.py), then replayed by the
installed command in a child process, with one worker and with one per core; the child's
peak resident memory is read from the operating system.

.venv/bin/python benchmarks/bench_replay.py [--rows 100000 1000000]
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


def run(source: Path, out: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one replay in a child process."""
    command = [sys.executable, "-c",
               "import resource, sys; from diagnose._cli import main; sys.argv[0] = 'diagnose';"
               " main()", "replay", str(source), "--mapping", str(MAPPING), "--out", str(out),
               "--workers", str(workers)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    sizes = parser.parse_args().rows
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            source = Path(folder) / f"tickets-{rows}.csv"
            write_csv(source, rows)
            megabytes = source.stat().st_size / 2**20
            for workers in sorted({1, cores}):
                seconds, peak = run(source, Path(folder) / "out.jsonl", workers)
                print(f"{rows:>9,} rows ({megabytes:,.0f} MiB CSV), {workers} worker(s): "
                      f"{rows / seconds:>8,.0f} rows/s, {seconds:6.1f} s, peak memory of "
                      f"the largest process so far {peak:,.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
