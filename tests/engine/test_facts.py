"""From a ticket to facts: given values checked, the code read from the text, and what the
knowledge says follows from a known fact."""

from __future__ import annotations

import pytest

import diagnose
from diagnose import Ticket


def prepared(kb, ticket: dict):
    return kb.engine.prepare(Ticket.model_validate(ticket))


def test_a_code_implies_a_dialup_problem_whose_code_was_shown(kb) -> None:
    facts = prepared(kb, {"error_code": 691}).facts
    assert (facts["topic"], facts["code_shown"]) == ("dialup", True)
    assert (facts["code_catalogued"], facts["code_stage"]) == (True, "auth")
    assert prepared(kb, {"error_code": 691}).implied["topic"] == "error_code"


def test_what_the_ticket_says_wins_over_what_follows(kb) -> None:
    facts = prepared(kb, {"error_code": 691, "facts": {"topic": "password"}}).facts
    assert facts["topic"] == "password"


def test_the_text_fills_only_what_is_unknown_and_its_code_implies_too(kb) -> None:
    ready = prepared(kb, {"text": "手机营业厅 拨号提示691", "facts": {"router_present": False}})
    assert ready.facts["error_code"] == 691 and ready.facts["topic"] == "dialup"
    assert ready.extracted["error_code"].phrase == "691" and "topic" not in ready.extracted


def test_the_carrier_defaults_to_the_knowledges(kb) -> None:
    assert prepared(kb, {}).facts["carrier"] == kb.default_carrier


@pytest.mark.parametrize(
    ("ticket", "field"),
    [
        ({"carrier": "vodafone"}, "carrier"),
        ({"facts": {"carrier": "vodafone"}}, "facts.carrier"),
        ({"error_code": 691, "facts": {"error_code": 678}}, "error_code"),
        ({"facts": {"code_stage": "auth"}}, "facts.code_stage"),
    ],
)
def test_bad_values_name_their_field(kb, ticket, field) -> None:
    with pytest.raises(diagnose.TicketError) as caught:
        prepared(kb, ticket)
    assert [issue.field for issue in caught.value.issues] == [field]


def _with_implies(tmp_path, lines: dict[str, str]) -> diagnose.KnowledgeBase:
    import shutil

    from diagnose._knowledge import default_dirs

    rules, knowledge = default_dirs()
    shutil.copytree(knowledge, tmp_path / "knowledge")
    facts = tmp_path / "knowledge" / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    for fact, implies in lines.items():
        text = text.replace(f"[facts.{fact}]\n", f"[facts.{fact}]\nimplies = {implies}\n")
    facts.write_text(text, encoding="utf-8")
    return diagnose.load(rules, tmp_path / "knowledge")


def test_what_an_implied_fact_implies_follows_too(tmp_path) -> None:
    # caller_verified is declared after billing_dispute: the chain runs against the
    # file's order
    kb = _with_implies(tmp_path, {"billing_dispute": "{ online_elsewhere = true }",
                                  "caller_verified": "{ billing_dispute = false }"})  # fmt: skip
    for text in (None, "x"):  # with or without a text to read: the same facts
        ready = prepared(kb, {"text": text, "facts": {"caller_verified": True}})
        assert (ready.facts["billing_dispute"], ready.facts["online_elsewhere"]) == (False, True)
        assert ready.implied == {"billing_dispute": "caller_verified",
                                 "online_elsewhere": "billing_dispute"}  # fmt: skip


def test_facts_that_imply_different_values_leave_the_fact_to_be_asked(kb) -> None:
    ready = prepared(kb, {"facts": {"service": "broadband", "login_channel": "app"}})
    assert "topic" not in ready.facts  # a password matter, or a login one: asked
    assert kb.diagnose({"facts": {"service": "broadband", "login_channel": "app"}}
                       ).questions[0].fact == "topic"  # fmt: skip
