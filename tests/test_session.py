"""Sessions: the engine asks, the caller answers, skips or takes an answer back."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import KB, answer, contradicts_itself, tickets

import diagnose

ASKABLE = [fact.name for fact in KB.facts() if fact.askable]


def _give(session: diagnose.Session, fact: str, value: object) -> None:
    """Answer, or skip when the value is None."""
    if value is None:
        session.skip(fact)
    else:
        session.answer(fact, value)


def _start(ticket: dict) -> diagnose.Session:
    """A session on the ticket; a ticket that contradicts itself is not a case here."""
    try:
        return diagnose.Session(ticket, knowledge=KB)
    except diagnose.TicketError as error:
        assert contradicts_itself(error), error
        assume(False)
        raise


def _step(session: diagnose.Session, data: st.DataObject) -> tuple[diagnose.Question, object]:
    """Answer (or skip) the next question with any valid value; the question and value."""
    question = session.next_question()
    assert question is not None
    value = data.draw(answer(question), label=question.fact)
    _give(session, question.fact, value)
    return question, value


@settings(max_examples=150, deadline=None)
@given(tickets(), st.data())
def test_any_answers_end_in_a_conclusion_without_asking_twice(ticket, data) -> None:
    session = _start(ticket)
    start = set(session.diagnosis.facts)
    asked: list[str] = []
    while session.next_question() is not None:
        assert len(asked) < len(ASKABLE), asked
        question, _ = _step(session, data)
        asked.append(question.fact)
        if session.diagnosis.status == "need_info":  # never stuck without a question
            assert session.next_question() is not None
    assert len(asked) == len(set(asked))  # never asked twice
    assert not set(asked) & start  # never asked for what was known
    assert session.diagnosis.status != "need_info"


@settings(max_examples=100, deadline=None)
@given(tickets(), st.data())
def test_back_then_the_same_answer_gives_the_same_state(ticket, data) -> None:
    session = _start(ticket)
    for _ in range(data.draw(st.integers(1, 6))):
        if session.next_question() is None:
            break
        question, value = _step(session, data)
        state = (session.to_json(), session.diagnosis, session.next_question())
        undone = session.undo()
        assert undone is not None and undone.fact == question.fact
        assert session.next_question() == question  # the same question again
        _give(session, question.fact, value)
        assert (session.to_json(), session.diagnosis, session.next_question()) == state


UNCACHED = diagnose.KnowledgeBase(KB.knowledge, cache_size=0)


@settings(max_examples=100, deadline=None)
@given(tickets(), st.data())
def test_asking_why_first_changes_nothing(ticket, data) -> None:
    """why() weighs every answer and keeps where each leads; answering after it is the
    same as answering without it, and the same as with nothing remembered at all."""
    session = _start(ticket)
    plain = diagnose.Session(ticket, knowledge=UNCACHED)
    for _ in range(data.draw(st.integers(1, 6))):
        question = session.next_question()
        if question is None:
            break
        why = session.why()
        assert why is not None and why == plain.why()
        value = data.draw(st.one_of(answer(question), st.sampled_from(
            [v for o in why.outcomes for v in o.answers] or [None])))  # fmt: skip
        try:
            _give(session, question.fact, value)
        except diagnose.SessionError:
            with pytest.raises(diagnose.SessionError):
                _give(plain, question.fact, value)
            break
        _give(plain, question.fact, value)
        assert session.diagnosis == plain.diagnosis
        assert session.next_question() == plain.next_question()


@pytest.mark.parametrize("start", [{}, {"facts": {"topic": "dialup", "code_shown": True}},
                                   {"facts": {"topic": "password"}}], ids=str)  # fmt: skip
def test_every_answer_why_lists_leads_where_it_says(start) -> None:
    """why() weighs answers in groups; each answer of a group, given, leads to the outcome
    shown, even where it decides the problem and brings that problem's rules in."""
    session = diagnose.Session(start, knowledge=UNCACHED)
    question = session.next_question()
    assert question is not None
    why = session.why()
    assert why is not None
    for outcome in why.outcomes:
        for value in outcome.answers:
            reached = diagnose.Session(start, knowledge=UNCACHED).answer(question.fact, value)
            assert (reached.status, reached.problem, reached.next_step, reached.cause) == (
                outcome.status,
                outcome.problem,
                outcome.next_step,
                outcome.cause,
            ), value
            assert (reached.questions[0].fact if reached.questions else None) == (
                outcome.next_question
            )
    # answers that lead to the same place are shown as one outcome
    led_to = [outcome.model_dump(exclude={"answers"}) for outcome in why.outcomes]
    assert all(a != b for i, a in enumerate(led_to) for b in led_to[i + 1 :])


@settings(max_examples=100, deadline=None)
@given(tickets(), st.data())
def test_save_then_resume_gives_the_same_state(ticket, data) -> None:
    session = _start(ticket)
    for _ in range(data.draw(st.integers(0, 5))):
        if session.next_question() is None:
            break
        _step(session, data)
    resumed = diagnose.Session.from_json(session.to_json(), knowledge=KB)
    assert resumed.to_json() == session.to_json()
    assert resumed.diagnosis == session.diagnosis
    assert resumed.next_question() == session.next_question()
    assert resumed.answers == session.answers


def test_691_step_by_step_to_the_partner_hall() -> None:
    session = diagnose.Session({"error_code": 691, "carrier": "unicom"}, knowledge=KB)
    assert session.diagnosis.status == "need_info"
    session.answer("password_forgotten", "否")  # typed text is read like the CLI reads it
    session.answer("account_status", "arrears")
    diagnosis = session.diagnosis
    assert (diagnosis.status, diagnosis.cause) == ("escalate", "auth.arrears")
    assert diagnosis.escalation is not None and diagnosis.escalation.target == "partner_hall"
    assert [a.fact for a in session.answers] == ["password_forgotten", "account_status"]


def test_skipped_facts_are_not_asked_again_and_can_still_be_answered() -> None:
    session = diagnose.Session({"error_code": 691}, knowledge=KB)
    first = session.next_question()
    assert first is not None
    session.skip(first.fact)
    assert first.fact not in [q.fact for q in session.diagnosis.questions]
    session.answer(first.fact, True)  # the customer remembers after all
    assert session.diagnosis.facts[first.fact] is True
    session.undo()
    assert first.fact not in [q.fact for q in session.diagnosis.questions]  # skipped again


def test_skipping_everything_ends_as_not_covered() -> None:
    session = diagnose.Session({}, knowledge=KB)
    while (question := session.next_question()) is not None:
        session.skip(question.fact)
    assert session.diagnosis.status == "unknown"
    assert session.diagnosis.escalation is None


@pytest.mark.parametrize(
    ("fact", "value", "message"),
    [
        ("modem_colour", True, "unknown fact 'modem_colour' (known facts: topic, "),
        ("account_status", "broke", "bad answer for 'account_status': 'broke' is not one of "
         "normal, arrears, expired"),
        ("modem_restarted", "perhaps", "bad answer for 'modem_restarted': expected yes or no"),
        ("error_code", 678, "'error_code' is already known (691): it was given with the ticket"),
        ("topic", "password", "'topic' is already known ('dialup'): it follows from error_code"),
        ("problem", "x", "unknown fact 'problem'"),
        ("carrier", "mobile", "'carrier' is already known ('unicom'): it is the knowledge's "
         "default carrier"),
    ],
)  # fmt: skip
def test_a_bad_answer_says_what_is_wrong_and_changes_nothing(fact, value, message) -> None:
    session = diagnose.Session({"error_code": 691}, knowledge=KB)
    before = session.to_json()
    with pytest.raises(diagnose.SessionError) as caught:
        session.answer(fact, value)
    assert caught.value.message.startswith(message), caught.value.message
    assert caught.value.exit_code == 2
    assert session.to_json() == before


def test_an_answer_may_correct_a_fact_read_from_the_text_but_not_a_given_one() -> None:
    session = diagnose.Session({"text": "691 欠费了", "facts": {"password_forgotten": False}},
                               knowledge=KB)  # fmt: skip
    assert session.diagnosis.extracted["account_status"].phrase == "欠费"
    session.answer("account_status", "normal")  # the billing system says otherwise
    assert session.diagnosis.facts["account_status"] == "normal"
    with pytest.raises(diagnose.SessionError, match="was answered; use undo"):
        session.answer("account_status", "expired")
    with pytest.raises(diagnose.SessionError, match="given with the ticket"):
        session.answer("password_forgotten", True)


def test_undo_with_nothing_to_undo_and_restart() -> None:
    session = diagnose.Session({"error_code": 678}, knowledge=KB)
    assert session.undo() is None
    start = session.diagnosis
    session.answer("modem_restarted", True)
    session.skip("line_in_line_port")
    session.restart()
    assert session.answers == [] and session.diagnosis == start


def test_why_names_the_waiting_rules_and_where_each_answer_leads() -> None:
    session = diagnose.Session({"error_code": 691}, knowledge=KB)
    why = session.why()
    assert why is not None and why.question == session.next_question()
    fact = why.question.fact
    assert why.waiting and all(any(fact in need for need in w.needs) for w in why.waiting)
    assert all(w.source for w in why.waiting)
    # every answer appears in exactly one outcome, and each outcome is what answering gives
    answered = [value for outcome in why.outcomes for value in outcome.answers]
    assert sorted(map(str, answered)) == sorted(map(str, set(answered)))
    for outcome in why.outcomes:
        for value in outcome.answers:
            trial = diagnose.Session({"error_code": 691}, knowledge=KB)
            result = trial.answer(fact, value)
            assert (result.status, result.next_step, result.cause) == (
                outcome.status, outcome.next_step, outcome.cause,
            )  # fmt: skip
    assert len(why.outcomes) > 1


def test_why_has_nothing_to_say_when_nothing_is_asked() -> None:
    session = diagnose.Session(
        {"error_code": 734, "facts": {"area_reports": 0, "connection_recreated": False}},
        knowledge=KB,
    )
    assert session.next_question() is None
    assert session.why() is None


def test_how_lists_the_fired_rules_with_sources_and_marks_the_deciding_one() -> None:
    session = diagnose.Session({"error_code": 691, "facts": {"account_status": "arrears"}},
                               knowledge=KB)  # fmt: skip
    reasons = session.how()
    assert [r.rule for r in reasons] == [t.rule for t in session.diagnosis.trace]
    assert [r.rule for r in reasons if r.decides] == ["auth.renewal"]
    renewal = next(r for r in reasons if r.rule == "auth.renewal")
    assert "account_status ∈ {arrears, expired}" in renewal.because
    assert "《客服应知应会材料》" in renewal.source


def test_a_saved_session_that_no_longer_fits_says_which_answer() -> None:
    text = (
        '{"format": "diagnose-session/1", "ticket": {"error_code": 691}, "answers": ['
        '{"fact": "password_forgotten", "value": false}, {"fact": "account_status", '
        '"value": "bankrupt"}]}'
    )
    with pytest.raises(diagnose.SessionError, match=r"answers\[1\]: bad answer for"):
        diagnose.Session.from_json(text, knowledge=KB)
    with pytest.raises(diagnose.SessionError, match="not a saved session"):
        diagnose.Session.from_json('{"ticket": {}}', knowledge=KB)
    with pytest.raises(
        diagnose.SessionError, match="saved session, ticket: bad ticket: error_code"
    ):
        diagnose.Session.from_json(
            '{"format": "diagnose-session/1", "ticket": {"error_code": -1}, "answers": []}',
            knowledge=KB,
        )


# What each carrier's reset needs settled first: the handset at hand (its SMS is the
# identity), the number not suspended (China Mobile), the caller verified (China Telecom).
RESET_NEEDS = {"unicom": {"has_handset"}, "mobile": {"account_status", "has_handset"},
               "telecom": {"caller_verified"}}  # fmt: skip
RESETS = {"service_password.forgotten", "handset.forgotten", "handset.initial_password"}


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(RESET_NEEDS)), st.sampled_from(["service", "forgotten", "initial"]),
       st.data())  # fmt: skip
def test_no_carrier_concludes_a_reset_before_identity_and_number_state(carrier, case, data) -> None:
    facts = {"service": {"service": "mobile"}, "initial": {"initial_password": True},
             "forgotten": {"topic": "handset_login", "password_forgotten": True}}[case]  # fmt: skip
    session = diagnose.Session({"carrier": carrier, "facts": facts}, knowledge=KB)
    while True:
        diagnosis = session.diagnosis
        if (
            diagnosis.cause in RESETS
            and diagnosis.status != "need_info"
            and not diagnosis.provisional
        ):
            assert RESET_NEEDS[carrier] <= set(diagnosis.facts), (carrier, diagnosis.facts)
        if session.next_question() is None:
            break
        _step(session, data)
