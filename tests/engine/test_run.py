"""The compiled engine: what fires, in which order, on warm per-thread engines."""

from __future__ import annotations

import threading

import pytest

from diagnose import Ticket


def fired(kb, ticket: dict) -> list[str]:
    prepared = kb.engine.prepare(Ticket.model_validate(ticket))
    return [kb.knowledge.rules[index].id for index in kb.engine.run(prepared.facts)]


def test_the_rules_that_decide_the_problem_fire_first(kb) -> None:
    # ladder.provincial (salience 90) needs no problem; it still fires after the catalog
    order = fired(kb, {"error_code": 678, "facts": {"prior_escalation": "back_office"}})
    assert order[0] == "catalog.broadband.no_response"
    assert "ladder.provincial_unicom" in order


def test_a_rule_of_absent_conditions_only_fires_once_on_nothing(kb) -> None:
    assert fired(kb, {}).count("intake.ask_topic") == 1


def test_the_same_facts_fire_the_same_rules_in_the_same_order(kb) -> None:
    ticket = {"error_code": 691, "facts": {"account_status": "arrears", "billing_dispute": True}}
    first = fired(kb, ticket)
    fired(kb, {"error_code": 676})  # the warm engine is reset in between
    assert fired(kb, ticket) == first


@pytest.mark.parametrize("threads", [4])
def test_threads_share_a_knowledge_base(kb, threads) -> None:
    tickets = [{"error_code": code} for code in (678, 691, 676, 734)] * 25
    expected = [kb.diagnose(t) for t in tickets]
    results: dict[int, list] = {}

    def work(number: int) -> None:
        results[number] = [kb.diagnose(t) for t in tickets]

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(found == expected for found in results.values())
