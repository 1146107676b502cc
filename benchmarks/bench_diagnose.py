"""Time one diagnose() call with a warm engine, over a realistic mix of tickets.

.venv/bin/python benchmarks/bench_diagnose.py [--calls 3000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import diagnose

MIX = [
    {"error_code": 678},
    {"error_code": 691, "facts": {"account_status": "arrears"}},
    {"error_code": 691},
    {"error_code": 676},
    {"error_code": 734, "facts": {"area_reports": 9}},
    {"error_code": 769, "facts": {"nic_listed": False}},
    {"text": "宽带拨号显示错误678,已经重启过猫"},
    {"carrier": "mobile", "facts": {"topic": "password", "service": "mobile"}},
    {"facts": {"topic": "handset_login", "initial_password": True}},
    {},
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    calls = parser.parse_args().calls
    started = time.perf_counter()
    kb = diagnose.load()
    kb.diagnose(MIX[0])
    print(f"load + compile + first call: {(time.perf_counter() - started) * 1000:.0f} ms")
    times = []
    for index in range(calls):
        ticket = MIX[index % len(MIX)]
        t0 = time.perf_counter()
        kb.diagnose(ticket)
        times.append(time.perf_counter() - t0)
    times.sort()
    ms = [t * 1000 for t in times]
    print(f"{calls} calls: median {statistics.median(ms):.2f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.2f} ms, max {ms[-1]:.2f} ms, "
          f"{calls / sum(times):.0f} tickets/s on one thread")  # fmt: skip


if __name__ == "__main__":
    main()
