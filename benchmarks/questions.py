"""How many questions a session needs before it concludes, per problem and carrier.

Every path through a session is walked: from an empty ticket (the carrier known, as the
agent's systems give it), each question is answered with each of its answers in turn, until
no question is left. Numbers are answered with the codes of the catalog (and one code the
catalog does not know) or with each bound a rule tests. Each path counts once: the mean is
over the ways a call can go, not weighted by how often calls go each way.

This measures the knowledge, not the machine: the figures are exact, and the same on any
machine for the same rules and knowledge.

.venv/bin/python benchmarks/questions.py [--rules DIR --knowledge DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict

import diagnose

UNKNOWN_CODE = 99999


def _numbers(kb: diagnose.KnowledgeBase, fact: str) -> list[int]:
    """The values worth trying for a number: each side of every bound the rules test."""
    if fact == "error_code":
        return [code.code for code in kb.codes()] + [UNKNOWN_CODE]
    bounds: set[int] = {0}
    settings = kb.knowledge.settings.model_dump()
    for rule in kb.knowledge.rules:
        for condition in rule.spec.when:
            if condition.fact != fact:
                continue
            for bound in (condition.min, condition.max, condition.value):
                if isinstance(bound, str):
                    bound = settings.get(bound)
                if isinstance(bound, int) and not isinstance(bound, bool):
                    bounds |= {bound - 1, bound, bound + 1}
    return sorted(b for b in bounds if b >= 0)


def _answers(kb: diagnose.KnowledgeBase, question: diagnose.Question) -> list[object]:
    if question.choices:
        return list(question.choices)
    return list(_numbers(kb, question.fact))


def walk(kb: diagnose.KnowledgeBase, carrier: str) -> dict[str, list[int]]:
    """problem → the number of questions of each path that ends in it."""
    found: dict[str, list[int]] = defaultdict(list)
    session = diagnose.Session({"carrier": carrier}, knowledge=kb)

    def down(depth: int) -> None:
        question = session.next_question()
        if question is None:
            found[session.diagnosis.problem].append(depth)
            return
        for value in _answers(kb, question):
            try:
                session.answer(question.fact, value)
            except diagnose.DiagnoseError:
                continue  # an answer the facts so far rule out
            down(depth + 1)
            session.undo()

    down(0)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules")
    parser.add_argument("--knowledge")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    kb = diagnose.load(args.rules, args.knowledge)
    table: dict[str, dict[str, object]] = {}
    for carrier in kb.carriers:
        for problem, counts in sorted(walk(kb, carrier).items()):
            row = table.setdefault(problem, {})
            row[carrier] = {"paths": len(counts), "mean": round(statistics.mean(counts), 2),
                            "worst": max(counts)}  # fmt: skip
    if args.json:
        print(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True))
        return
    carriers = kb.carriers
    print(f"{'problem':34s}" + "".join(f"{c:>22s}" for c in carriers))
    print(f"{'':34s}" + "".join(f"{'paths  mean  worst':>22s}" for _ in carriers))
    for problem, row in sorted(table.items()):
        cells = ""
        for carrier in carriers:
            cell = row.get(carrier)
            cells += (f"{cell['paths']:>10} {cell['mean']:>5} {cell['worst']:>6}"  # type: ignore[index]
                      if cell else f"{'-':>22s}")  # fmt: skip
        print(f"{problem:34s}{cells}")


if __name__ == "__main__":
    main()
