"""``diagnose session`` driven through a pipe, as a script or a test harness types it: each
seed case reaches its diagnosis, and the transcript shows the questions and the
conclusion the agent reads."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import diagnose
from diagnose._cli import cli
from diagnose._cli.console import Console

NONE = None
# (arguments, what the agent types, the facts asked in order, status, escalation target,
#  a phrase the customer wording must hold). A conclusion shows once no open question
# could change the status, the step or the target.
SESSIONS = [
    # Q10 678/651: the LINE port and the restart settle the step; a line fault goes to repair
    (["678"], ["1", "2"], ["line_in_line_port", "modem_restarted"], "self_service", NONE, "电源"),
    (["651"], ["1", "1"], ["line_in_line_port", "modem_restarted"], "escalate", "repair_dispatch",
     "报修"),
    (["678"], ["否"], ["line_in_line_port"], "self_service", NONE, "LINE"),
    # Q11 691/619/629, each sub-cause; account state and area before any conclusion
    (["691", "--carrier", "unicom"], ["2", "1", "否", "0", "否"],
     ["password_forgotten", "account_status", "online_elsewhere", "area_reports",
      "billing_dispute"], "self_service", NONE, "重新输入"),
    (["619"], ["1", "1", "0", "否", "否", "1"],
     ["password_forgotten", "caller_verified", "area_reports", "billing_dispute",
      "online_elsewhere", "account_status"], "agent_action", NONE, "重新设置"),
    (["629"], ["1", "2", "0", "否", "否", "1"],
     ["password_forgotten", "caller_verified", "area_reports", "billing_dispute",
      "online_elsewhere", "account_status"], "escalate", "business_hall", "身份证件"),
    (["691"], ["2", "arrears", "否"], ["password_forgotten", "account_status", "billing_dispute"],
     "escalate", "partner_hall", "续费"),
    (["691", "--carrier", "telecom"], ["否", "3", "否"],
     ["password_forgotten", "account_status", "billing_dispute"], "self_service", NONE, "10000"),
    (["691"], ["2", "1", "是", "0", "否"],
     ["password_forgotten", "account_status", "online_elsewhere", "area_reports",
      "billing_dispute"], "agent_action", NONE, "下线"),
    (["691"], ["2", "billing_dispute=是"], ["password_forgotten", "account_status"],
     "escalate", "marketing_dept", "在24小时内"),
    # Q12 676
    (["676"], [], [], "self_service", NONE, "10分钟"),
    # Q13 796: the operator side only when the code is re-read as 796; 769 is the card
    (["796"], ["1", "1", "1"], ["nic_listed", "card_enabled", "code_confirmed"], "escalate",
     "back_office", "按规定时限"),
    (["796"], ["1", "1", "2"], ["nic_listed", "card_enabled", "code_confirmed"], "self_service",
     NONE, "网线"),
    (["769"], ["2"], ["nic_listed"], "self_service", NONE, "网卡"),
    # Q14 734, with and without an area-wide fault; hours only where the carrier gives them
    (["734"], ["否", "0"], ["connection_recreated", "area_reports"], "self_service", NONE,
     "宽带连接"),
    (["734"], ["是", "0", "否"], ["connection_recreated", "area_reports", "modem_restarted"],
     "self_service", NONE, "断电重启"),
    (["734"], ["否", "12"], ["connection_recreated", "area_reports"], "escalate", "network_ops",
     "按规定时限"),
    (["691", "--carrier", "telecom"], ["2", "billing_dispute=是"],
     ["password_forgotten", "account_status"], "escalate", "marketing_dept", "在3小时内"),
    # Q15 no code, with and without a router
    ([], ["1", "2", "1"], ["topic", "code_shown", "router_present"], "self_service", NONE,
     "路由器"),
    ([], ["dialup", "否", "否"], ["topic", "code_shown", "router_present"], "self_service", NONE,
     "Windows 10"),
    # broadband password: identity first; Unicom also takes the account's own password
    ([], ["2", "1", "是"], ["topic", "service", "caller_verified"], "agent_action", NONE, "新密码"),
    (["--carrier", "telecom"], ["password", "broadband", "否"], ["topic", "service",
     "caller_verified"], "escalate", "business_hall", "身份证件"),
    (["--carrier", "unicom"], ["2", "1", "否", "1"], ["topic", "service", "caller_verified",
     "caller_password"], "agent_action", NONE, "新密码"),
    (["--carrier", "unicom"], ["2", "1", "否", "2"], ["topic", "service", "caller_verified",
     "caller_password"], "escalate", "business_hall", "身份证件"),
    # Q18 and the 10086 code table: each carrier's own way, handset and number state first
    (["--carrier", "unicom"], ["2", "2", "1"], ["topic", "service", "has_handset"],
     "self_service", NONE, "1001031"),
    (["--carrier", "mobile"], ["2", "2", "1", "1"], ["topic", "service", "account_status",
     "has_handset"], "self_service", NONE, "CZMM#"),
    (["--carrier", "mobile"], ["2", "2", "2"], ["topic", "service", "account_status"],
     "self_service", NONE, "停机"),
    (["--carrier", "telecom"], ["2", "2", "1"], ["topic", "service", "caller_verified"],
     "agent_action", NONE, "身份已核实"),
    # Q16-Q19 handset business hall
    (["--carrier", "unicom"], ["3", "app", "2", "2", "2"],
     ["topic", "login_channel", "device", "password_forgotten", "initial_password"],
     "self_service", NONE, "wap.10010.com"),
    (["手机营业厅登不上,初始密码登录不了", "--carrier", "unicom"], ["1"], ["has_handset"],
     "self_service", NONE, "1001031"),
    (["手机营业厅初始密码登录不了", "--carrier", "mobile"], ["1", "1"],
     ["has_handset", "account_status"], "self_service", NONE, "BGMM#"),
    (["手机营业厅初始密码登录不了", "--carrier", "telecom"], ["1"], ["caller_verified"],
     "agent_action", NONE, "身份已核实"),
    (["--carrier", "unicom"], ["3", "skip", "是", "1", "2"],
     ["topic", "login_channel", "password_forgotten", "has_handset", "initial_password"],
     "self_service", NONE, "405"),
    (["--carrier", "mobile"], ["3", "skip", "1", "是", "1", "2"],
     ["topic", "login_channel", "account_status", "password_forgotten", "has_handset",
      "initial_password"], "self_service", NONE, "CZMM#"),
    (["--carrier", "telecom"], ["3", "skip", "是", "1"],
     ["topic", "login_channel", "password_forgotten", "caller_verified"], "agent_action", NONE,
     "身份已核实"),
]  # fmt: skip


def _asked(output: str) -> list[str]:
    """The facts asked, in order, each counted once however often it was shown."""
    facts = re.findall(r"^问题 \d+ · (\w+)$", output, flags=re.MULTILINE)
    return list(dict.fromkeys(facts))


def _last_conclusion(output: str) -> list[str]:
    start = max(output.rfind("══ 结论 "), output.rfind("══ 暂定结论"))
    assert start >= 0, output
    return output[start:].split("\n═")[0].splitlines()


@pytest.mark.parametrize(
    ("args", "typed", "asked", "status", "target", "phrase"),
    SESSIONS,
    ids=lambda v: " ".join(v) if isinstance(v, list) and v and "--" in " ".join(v) else None,
)
def test_scripted_session_reaches_the_seed_diagnosis(
    runner, args, typed, asked, status, target, phrase
) -> None:
    result = runner.invoke(cli, ["session", *args], input="".join(f"{t}\n" for t in typed))
    assert result.exit_code == 0, result.output
    output = result.output
    assert _asked(output) == asked
    conclusion = _last_conclusion(output)
    assert any(line.endswith(f"({status})") for line in conclusion), conclusion
    escalation = conclusion[conclusion.index("【转派】") + 1]
    assert escalation.endswith(f"[{target}]") if target else escalation == "  无需转派"
    wording = conclusion[conclusion.index("【客户话术】") + 1]
    assert phrase in wording
    assert output.rstrip().endswith("会话结束。")
    assert "\x1b[" not in output  # no colour codes into a pipe
    for line in typed:  # what was typed is in the transcript
        assert f"> {line}" in output


def test_the_conclusion_shown_is_the_api_diagnosis(runner, kb) -> None:
    result = runner.invoke(cli, ["session", "691"], input="2\narrears\nf\n")
    diagnosis = kb.diagnose({"error_code": 691,
                             "facts": {"password_forgotten": False, "account_status": "arrears"}})  # fmt: skip
    conclusion = _last_conclusion(result.output)
    for text in (diagnosis.next_step.text, diagnosis.wording, diagnosis.cause_text):
        assert f"  {text}" in conclusion or any(line.endswith(str(text)) for line in conclusion)


def test_why_how_back_and_help(runner) -> None:
    typed = ["why", "2", "how", "back", "help", "2", "arrears", "f"]
    result = runner.invoke(cli, ["session", "691"], input="\n".join(typed) + "\n")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "为什么问 password_forgotten:" in lines
    assert "    auth.verify_caller: password_forgotten = true" in lines
    assert any(
        line.startswith("    true → ") and "接着问 caller_verified" in line for line in lines
    )
    assert "结论的推理过程(按触发顺序):" in lines
    assert (
        "  1. catalog.broadband.auth_failed: error_code ∈ {619, 629, 646, 647, 648, 649, 691, 708, 739}"
        in lines
    )
    assert "已撤回: password_forgotten (false)" in lines
    assert any("why" in line and "为什么" in line for line in lines)  # help
    assert _asked(result.output) == ["password_forgotten", "account_status", "billing_dispute"]


def test_english_session(runner) -> None:
    result = runner.invoke(cli, ["session", "734", "--lang", "en"], input="c\nno\n12\n")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Question 2 · area_reports" in lines
    assert "  (type a number)" in lines
    assert "[Escalate]" in lines
    assert "══ Conclusion ════════════════════════════════════" in lines


def test_a_bad_answer_is_explained_and_asked_again(runner) -> None:
    result = runner.invoke(cli, ["session", "691"], input="7\nmaybe\n2\nf\n")
    lines = result.output.splitlines()
    assert "无法识别“7”:1-2。输入编号、取值,或 help。" in lines
    assert any(line.startswith("无法识别“maybe”:bad answer for 'password_forgotten'")
               for line in lines)  # fmt: skip
    assert result.output.count("问题 1 · password_forgotten") == 3
    assert "问题 2 · account_status" in lines


def test_restart_and_quit(runner) -> None:
    result = runner.invoke(cli, ["session", "691"], input="2\nrestart\nquit\n")
    assert result.exit_code == 0
    assert "已重新开始,回到最初的已知情况。" in result.output
    assert result.output.count("问题 1 · password_forgotten") == 2


def test_save_on_end_of_input_then_resume(runner, tmp_path) -> None:
    saved = tmp_path / "call.json"
    first = runner.invoke(cli, ["session", "691", "--save", str(saved)], input="2\n")
    assert first.exit_code == 0
    assert f"会话已保存到 {saved}" in first.output
    log = json.loads(saved.read_text(encoding="utf-8"))
    assert log["finished"] is False
    assert [e["event"] for e in log["transcript"]] == ["answer", "end_of_input"]
    assert log["diagnosis"]["status"] == "need_info"

    second = runner.invoke(cli, ["session", "--resume", str(saved)], input="arrears\nf\n")
    assert second.exit_code == 0, second.output
    # a billing dispute would still change the target: finished early, it is provisional
    assert _asked(second.output) == ["account_status", "billing_dispute"]
    assert "══ 暂定结论(仍有未确认的问题,不是最终答复) ═" in second.output
    log = json.loads(saved.read_text(encoding="utf-8"))
    assert log["finished"] is True
    assert log["diagnosis"]["escalation"]["target"] == "partner_hall"
    assert log["diagnosis"]["provisional"] is True
    assert [q["fact"] for q in log["diagnosis"]["questions"]] == ["billing_dispute"]
    assert [e["input"] for e in log["transcript"]] == ["2", "", "arrears", "f"]
    session = diagnose.Session.from_json(json.dumps(log["session"]))
    assert session.diagnosis.model_dump(mode="json") == log["diagnosis"]


def test_ctrl_c_saves_what_was_typed(kb, tmp_path) -> None:
    typed = iter(["2\n"])

    def read() -> str:
        for line in typed:
            return line
        raise KeyboardInterrupt

    saved = tmp_path / "call.json"
    console = Console(diagnose.Session({"error_code": 691}, knowledge=kb), save=saved, read=read)
    assert console.run() == 130
    log = json.loads(saved.read_text(encoding="utf-8"))
    assert log["session"]["answers"] == [{"fact": "password_forgotten", "value": False}]
    assert log["transcript"][0]["input"] == "2"
    assert not list(tmp_path.glob(".call.json.*"))  # no temporary file left behind


def test_resume_takes_no_new_case(runner, tmp_path) -> None:
    saved = tmp_path / "call.json"
    saved.write_text(diagnose.Session({"error_code": 678}).to_json(), encoding="utf-8")
    result = runner.invoke(cli, ["session", "691", "--resume", str(saved)])
    assert result.exit_code == 2
    assert "--resume continues a saved case" in result.output


def test_resume_of_a_damaged_file_is_exit_2(runner, tmp_path) -> None:
    saved = tmp_path / "call.json"
    saved.write_text('{"format": "diagnose-session/1", "ticket": {}, "answers": [{"fact": '
                     '"topic", "value": "weather"}]}', encoding="utf-8")  # fmt: skip
    result = runner.invoke(cli, ["session", "--resume", str(saved)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: saved session, answers[0]: bad answer for 'topic': 'weather' is not one of "
        "dialup, password, handset_login, wifi, speed, sites, sms_code, sim_lock"
    ]


def test_a_save_file_that_cannot_be_written_is_exit_2_before_any_question(runner, tmp_path):
    target = tmp_path / "no such folder" / "call.json"
    result = runner.invoke(cli, ["session", "691", "--save", str(target)], input="2\n")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: cannot save the session to {target}: No such file or directory"
    ]


def test_a_real_pipe_into_the_installed_command() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "diagnose", "session", "691", "--carrier", "mobile"],
        input="2\narrears\nf\n", capture_output=True, text=True, encoding="utf-8", env=env,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert _asked(done.stdout) == ["password_forgotten", "account_status", "billing_dispute"]
    assert "> arrears" in done.stdout.splitlines()
    conclusion = _last_conclusion(done.stdout)
    wording = conclusion[conclusion.index("【客户话术】") + 1]
    assert wording.startswith("  查到您的宽带账号已欠费或到期") and "10086" in wording
    assert "\x1b[" not in done.stdout


def test_english_yes_no_choices(runner) -> None:
    result = runner.invoke(cli, ["session", "691", "--lang", "en"], input="no\nf\n")
    lines = result.output.splitlines()
    start = lines.index("Question 1 · password_forgotten") + 2
    assert lines[start : start + 2] == ["  1) yes (true)", "  2) no (false)"]
    assert "Question 2 · account_status" in lines
