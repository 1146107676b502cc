"""The code catalog as rules: one rule per problem, ``error_code ∈ {its codes} → problem``.

Knowledge editors list codes in ``codes.toml``; the rules that classify a ticket by its
code are built from that list, so a code added there needs no rule of its own. They load
before every rule file: at equal salience, the code on the screen decides first.
"""

from __future__ import annotations

from .model import Knowledge, LoadedRule
from .schema import Citation, CodeSpec, Condition, ExampleSpec, Expect, RuleSpec, Then

__all__ = ["CATALOG_PATH", "catalog_rules"]

CATALOG_PATH = "knowledge: code catalog"


def catalog_rules(knowledge: Knowledge) -> list[LoadedRule]:
    by_problem: dict[str, list[CodeSpec]] = {}
    for code in sorted(knowledge.codes.values(), key=lambda c: c.code):
        by_problem.setdefault(code.problem, []).append(code)
    rules: list[LoadedRule] = []
    for problem, codes in by_problem.items():
        citations: list[Citation] = []
        for code in codes:
            citations += [c for c in code.source if c not in citations]
        spec = RuleSpec(
            id=f"catalog.{problem}",
            salience=0,
            when=[Condition(fact="error_code", op="one_of", values=[c.code for c in codes])],
            then=Then(problem=problem),
            example=[
                ExampleSpec(given={"error_code": c.code}, expect=Expect(problem=problem))
                for c in codes
            ],
            source=citations,
        )
        order = len(rules) - len(by_problem)  # before every rule file
        rules.append(LoadedRule(spec, CATALOG_PATH, order, problem, knowledge.cite(citations),
                                generated=True))  # fmt: skip
    return rules
