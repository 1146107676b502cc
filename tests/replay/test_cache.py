"""The replay cache: a diagnosis per distinct set of facts, an engine run per distinct view
of them, the same rows as without a cache, and bounded memory."""

from __future__ import annotations

import json

import diagnose
from diagnose._replay import CachedDiagnoser, Mapped, Result, RowProblem


def rows(diagnoser: CachedDiagnoser, tickets: list[Mapped]) -> list[Result | RowProblem]:
    return [diagnoser.diagnose(ticket) for ticket in tickets]


def test_identical_facts_run_the_engine_once() -> None:
    diagnoser = CachedDiagnoser(diagnose.load())  # nothing remembered yet
    rows(diagnoser, [Mapped(id="0", error_code=691)])
    once = diagnoser.engine_runs
    assert once > 0
    rows(diagnoser, [Mapped(id=str(n), error_code=691) for n in range(1, 50)])
    assert diagnoser.engine_runs == once
    # codes outside the catalog all look alike to the rules
    rows(diagnoser, [Mapped(error_code=100)])
    other = diagnoser.engine_runs
    assert other > once
    rows(diagnoser, [Mapped(error_code=code) for code in range(101, 160)])
    assert diagnoser.engine_runs == other


def test_numbers_the_rules_see_alike_run_the_engine_once() -> None:
    kb = diagnose.load()
    diagnoser = CachedDiagnoser(kb)
    threshold = kb.knowledge.settings.thresholds["area_incident"]
    high = [Mapped(error_code=734, facts={"area_reports": n}) for n in (threshold, threshold + 4)]
    low = [Mapped(error_code=734, facts={"area_reports": n}) for n in (0, threshold - 1)]
    rows(diagnoser, high[:1])
    one_view = diagnoser.engine_runs
    rows(diagnoser, low[:1])
    two_views = diagnoser.engine_runs
    assert two_views > one_view
    results = rows(diagnoser, high + low)
    assert diagnoser.engine_runs == two_views
    assert [r.counted.status for r in results if isinstance(r, Result)] == [
        "escalate", "escalate", "self_service", "self_service",
    ]  # fmt: skip


def test_a_cached_row_is_what_the_api_says(kb) -> None:
    diagnoser = CachedDiagnoser(kb)
    tickets = [Mapped(id="A", text="拨号提示691,欠费停机"), Mapped(id="B", error_code=678),
               Mapped(id="C", text="拨号提示691,欠费停机")]  # fmt: skip
    for ticket, result in zip(tickets, rows(diagnoser, tickets), strict=True):
        assert isinstance(result, Result)
        data = json.loads(b"{" + result.json_rest)
        expected = kb.diagnose({"text": ticket.text, "error_code": ticket.error_code})
        assert data == expected.model_dump(mode="json", exclude={"ticket_id"})


def test_a_bad_or_contradictory_ticket_is_a_row_problem(kb) -> None:
    diagnoser = CachedDiagnoser(kb)
    bad = diagnoser.diagnose(Mapped(facts={"account_status": "broke"}))
    assert isinstance(bad, RowProblem) and bad.kind == "bad_ticket"
    both = diagnoser.diagnose(Mapped(error_code=676, facts={"code_shown": False}))
    assert isinstance(both, RowProblem) and "decide different problems" in both.message


def test_the_cache_stays_within_its_limit(kb) -> None:
    diagnoser = CachedDiagnoser(kb, limit=10)
    codes = [code.code for code in kb.codes()]
    tickets = [Mapped(error_code=code, facts={"modem_restarted": restarted})
               for code in codes for restarted in (True, False)]  # fmt: skip
    rows(diagnoser, tickets)
    assert 0 < len(diagnoser) <= 10
