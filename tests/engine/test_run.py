"""The compiled engine: what fires, in which order, on warm per-thread engines."""

from __future__ import annotations

import threading

import pytest

import diagnose
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
    """Threads running the same engines at once (nothing remembered) get the answers one
    thread gets: a warm engine is lent to one run at a time."""
    shared = diagnose.KnowledgeBase(kb.knowledge, cache_size=0)
    codes = sorted(kb.knowledge.codes)
    tickets = [
        {"error_code": code, "facts": facts}
        for code in codes
        for facts in ({}, {"account_status": "arrears"}, {"modem_restarted": True})
    ]
    expected = [kb.diagnose(t) for t in tickets]
    kb = shared
    results: dict[int, list] = {}

    def work(number: int) -> None:
        results[number] = [kb.diagnose(t) for t in tickets]

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(found == expected for found in results.values())


def test_after_warm_up_no_ticket_builds_an_engine(kb, monkeypatch) -> None:
    """A long-running app warms up once; no call then waits for an engine to be built."""
    from diagnose._engine.experta import KnowledgeEngine

    built = []
    original = KnowledgeEngine.__init__

    def counting(self) -> None:
        built.append(type(self))
        original(self)

    monkeypatch.setattr(KnowledgeEngine, "__init__", counting)
    tickets = [Ticket(error_code=code, facts=facts) for code in sorted(kb.knowledge.codes)
               for facts in ({}, {"account_status": "arrears"})]  # fmt: skip
    cold = diagnose.KnowledgeBase(kb.knowledge, cache_size=0)
    for ticket in tickets:
        cold.diagnose(ticket)
    assert built  # without warm_up, engines are built as tickets need them
    warm = diagnose.KnowledgeBase(kb.knowledge, cache_size=0)
    warm.warm_up()
    built.clear()
    for ticket in tickets:
        warm.diagnose(ticket)
    assert built == []


def test_a_diagnosis_logs_nothing_through_the_engine(kb) -> None:
    """The rule engine's loggers stay silent at every level a host might listen at: no
    warning per ticket (experta warns of a fact declared before its initial fact)."""
    import logging

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("experta")
    handler, level = Keep(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # a host that wants to see more than warnings
    try:
        base = diagnose.KnowledgeBase(kb.knowledge, cache_size=0)
        for code in sorted(kb.knowledge.codes):
            base.diagnose(Ticket(error_code=code, text="已重启光猫"))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert [r for r in records if r.levelno >= logging.WARNING] == []
