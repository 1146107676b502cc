"""The public Python API: its surface, ticket validation, and manners as a library."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagnose


def test_public_names_are_exactly_all() -> None:
    public = {name for name in dir(diagnose) if not name.startswith("_")}
    assert public == set(diagnose.__all__) - {"__version__"}
    for name in diagnose.__all__:
        assert getattr(diagnose, name) is not None


def test_accepts_ticket_dict_and_json() -> None:
    as_model = diagnose.diagnose(diagnose.Ticket(error_code=676))
    as_dict = diagnose.diagnose({"error_code": 676})
    as_json = diagnose.diagnose(json.dumps({"error_code": 676}))
    assert as_model == as_dict == as_json
    assert as_model.status == "self_service"


def test_diagnosis_json_round_trips() -> None:
    diagnosis = diagnose.diagnose(
        {"id": "T1", "error_code": 691, "facts": {"account_status": "arrears"}}
    )
    data = json.loads(json.dumps(diagnosis.model_dump(mode="json"), ensure_ascii=False))
    assert data["ticket_id"] == "T1"
    assert data["escalation"]["target"] == "partner_hall"
    assert diagnose.Diagnosis.model_validate(data) == diagnosis


@pytest.mark.parametrize(
    ("ticket", "field", "words"),
    [
        ({"facts": {"modem_colour": "red"}}, "facts.modem_colour", "unknown fact"),
        ({"facts": {"account_status": "broke"}}, "facts.account_status", "is not one of"),
        ({"facts": {"area_reports": -3}}, "facts.area_reports", "below the minimum"),
        ({"facts": {"problem": "x"}}, "facts.problem", "derived by the engine"),
        ({"error_code": "abc"}, "error_code", "integer"),
        ({"carrier": "vodafone"}, "carrier", "telecom"),
        ({"colour": 1}, "colour", "Extra inputs"),
    ],
)
def test_bad_ticket_names_the_field(ticket, field, words) -> None:
    with pytest.raises(diagnose.TicketError) as caught:
        diagnose.diagnose(ticket)
    issue = caught.value.issues[0]
    assert issue.field == field
    assert words in issue.message
    assert caught.value.exit_code == 2


def test_all_bad_facts_are_reported_at_once() -> None:
    with pytest.raises(diagnose.TicketError) as caught:
        diagnose.diagnose({"facts": {"a_b": 1, "router_present": "perhaps"}})
    assert [i.field for i in caught.value.issues] == ["facts.a_b", "facts.router_present"]


def test_text_is_read_for_the_code_and_facts() -> None:
    diagnosis = diagnose.diagnose({"text": "宽带拨号显示错误678,已经重启过猫"})
    assert diagnosis.facts["error_code"] == 678
    assert diagnosis.extracted["error_code"].value == 678
    assert diagnosis.extracted["modem_restarted"].value is True
    assert diagnosis.next_step.id == "no_response.check_wiring"


def test_given_facts_win_over_the_text() -> None:
    diagnosis = diagnose.diagnose({"text": "有路由器", "facts": {"router_present": False}})
    assert diagnosis.facts["router_present"] is False
    assert "router_present" not in diagnosis.extracted


def test_default_carrier_comes_from_the_knowledge(kb) -> None:
    assert diagnose.diagnose({}).carrier == kb.default_carrier


def _host(code: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_a_diagnosis_writes_nothing_to_the_hosts_logs(level) -> None:
    result = _host(
        f"import logging; logging.basicConfig(level=logging.{level})\n"
        "import diagnose\n"
        "diagnose.diagnose({'error_code': 691, 'facts': {'account_status': 'arrears'}})\n"
        "diagnose.Session({'error_code': 678}).why()\n"
        "logging.getLogger('host').warning('the host still logs')\n"
    )
    assert result.stderr.splitlines() == ["WARNING:host:the host still logs"]


def test_import_leaves_the_hosts_logging_alone() -> None:
    result = _host(
        "import logging; root = logging.getLogger(); before = (list(root.handlers), root.level)\n"
        "import diagnose; diagnose.diagnose({'error_code': 691})\n"
        "assert (list(root.handlers), root.level) == before, root.handlers\n"
        "print('ok')"
    )
    assert result.stdout.strip() == "ok"


def test_trace_cites_document_titles() -> None:
    trace = diagnose.diagnose({"error_code": 676}).trace
    assert any(
        entry.rule == "busy.wait" and "《客服应知应会材料》 Q12" in entry.source for entry in trace
    )


_junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
              st.binary(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["id", "text", "error_code", "carrier", "facts", "topic",
                                 "account_status", "x"]), inner, max_size=4)),
    max_leaves=8,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_junk)
def test_the_public_entry_points_raise_only_the_documented_errors(value) -> None:
    for call in (diagnose.diagnose, diagnose.Session):
        with contextlib.suppress(diagnose.TicketError, diagnose.SessionError):
            call(value)
    with contextlib.suppress(diagnose.SessionError):
        diagnose.Session.from_json(value if isinstance(value, (str, bytes)) else repr(value))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), _junk)
def test_a_session_answer_raises_only_session_errors(fact, value) -> None:
    session = diagnose.Session({"error_code": 691})
    for name in (fact, "account_status", "area_reports", "error_code"):
        before = session.to_json()
        try:
            session.answer(name, value)
        except diagnose.SessionError:
            assert session.to_json() == before  # a refused answer changes nothing


def test_none_and_other_objects_are_ticket_errors() -> None:
    for value in (None, 42, ["error_code", 691]):
        with pytest.raises(diagnose.TicketError, match="expected a Ticket, a mapping or JSON text"):
            diagnose.diagnose(value)  # type: ignore[arg-type]
    with pytest.raises(diagnose.KnowledgeError, match="expected a folder path"):
        diagnose.load(rules=42)  # type: ignore[arg-type]


def _imported_after(code: str) -> list[str]:
    """The heavy packages a fresh interpreter has imported after running ``code``."""
    heavy = "('pydantic', 'experta', 'tomllib')"
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {heavy} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True)  # fmt: skip
    return json.loads(found.stdout.strip().splitlines()[-1].replace("'", '"'))


def test_importing_diagnose_or_asking_for_help_loads_no_engine() -> None:
    """A command imports what it needs when it runs it: ``import diagnose`` and
    ``diagnose --help`` load neither the models, the rule engine nor the TOML reader."""
    assert _imported_after("import diagnose") == []
    help_ = "from diagnose._cli import main\nimport sys\nsys.argv = ['diagnose', '--help']\n"
    assert _imported_after(help_ + "try:\n    main()\nexcept SystemExit:\n    pass") == []
    assert _imported_after("import diagnose\ndiagnose.Ticket") == ["pydantic"]
