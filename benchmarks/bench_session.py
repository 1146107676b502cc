"""Time what an agent waits for in a session: from typing an answer to seeing the next
question (Session.answer + next_question), and the answer to 'why'.

Sessions start from every seed-style opening and answer each question with a random valid
value (fixed seed), until no question is left. The knowledge is loaded and warmed up
(``KnowledgeBase.warm_up``) as a long-running app does; ``--cold`` leaves each engine to
be built when a session first needs it.

.venv/bin/python benchmarks/bench_session.py [--sessions 400] [--cold]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import diagnose

STARTS = [
    {}, {"error_code": 678}, {"error_code": 651}, {"error_code": 691}, {"error_code": 619},
    {"error_code": 629}, {"error_code": 676}, {"error_code": 796}, {"error_code": 769},
    {"error_code": 734}, {"facts": {"topic": "dialup"}}, {"facts": {"topic": "password"}},
    {"facts": {"topic": "handset_login"}}, {"text": "宽带拨号显示错误678,已经重启过猫"},
    {"carrier": "mobile", "text": "手机营业厅登不上"},
]  # fmt: skip


def _answer(rng: random.Random, question: diagnose.Question) -> object:
    if question.choices:
        return rng.choice(question.choices)
    if question.fact == "error_code":
        return rng.choice([678, 691, 734, 769, 999])
    return rng.choice([0, 2, 9])


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95)]
    return (f"median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms, "
            f"worst {ordered[-1]:.2f} ms over {len(ordered)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--cold", action="store_true", help="no warm_up(): engines are "
                        "built the first time a session needs them")  # fmt: skip
    args = parser.parse_args()
    sessions, warm = args.sessions, not args.cold
    kb = diagnose.load()
    if warm:
        kb.warm_up()
    rng = random.Random(20261121)
    to_next: list[float] = []
    to_why: list[float] = []
    asked = 0
    for index in range(sessions):
        session = diagnose.Session(STARTS[index % len(STARTS)], knowledge=kb)
        while (question := session.next_question()) is not None:
            asked += 1
            if rng.random() < 0.2:
                t0 = time.perf_counter()
                session.why()
                to_why.append((time.perf_counter() - t0) * 1000)
            value = _answer(rng, question)
            t0 = time.perf_counter()
            session.answer(question.fact, value)  # type: ignore[arg-type]
            session.next_question()
            to_next.append((time.perf_counter() - t0) * 1000)
    print(f"{sessions} sessions, {asked} questions, {asked / sessions:.1f} per session")
    print(f"answer -> next question: {_ms(to_next)}")
    print(f"why: {_ms(to_why)}")


if __name__ == "__main__":
    main()
