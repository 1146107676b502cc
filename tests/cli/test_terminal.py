"""``diagnose session`` on a real terminal (a pty), typed as an agent types: start with
691, answer, ask why, go back, answer again, finish. The README shows this transcript;
the test keeps the two the same."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect

TYPED = ["2", "why", "back", "1", "1", "0", "否", "否", "1"]
COMMAND = ["-m", "diagnose", "session", "691", "--carrier", "unicom"]
README = Path(__file__).resolve().parents[2] / "README.md"
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def run_in_terminal() -> tuple[str, str]:
    """What the terminal showed, with and without its colour codes."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, COMMAND, encoding="utf-8", env=env, timeout=60,
                          dimensions=(40, 120))  # fmt: skip
    shown = io.StringIO()
    child.logfile_read = shown
    for line in TYPED:
        child.expect_exact("> ")
        child.sendline(line)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, shown.getvalue()
    raw = shown.getvalue().replace("\r\n", "\n")
    return raw, _COLOUR.sub("", raw)


def _readme_transcript() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("$ diagnose session 691 --carrier unicom\n")
    end = text.index("```", start)
    return text[start:end].split("\n", 1)[1]


def test_a_terminal_session_691_answer_why_back_finish() -> None:
    raw, shown = run_in_terminal()
    lines = shown.splitlines()
    assert "\x1b[1m" in raw  # headings in bold on a terminal
    # typed answers appear once: the terminal echoes them, the session does not repeat them
    assert shown.count("> 2\n") == 1
    assert lines.count("问题 1 · password_forgotten") == 2  # asked again after back
    assert "为什么问 account_status:" in lines
    assert "已撤回: password_forgotten (false)" in lines
    assert "问题 2 · caller_verified" in lines
    assert "处理方式: 客服当场处理 (agent_action)" in lines
    assert lines[-1] == "会话结束。"
    assert shown == _readme_transcript()


def test_answers_are_typed_with_line_editing() -> None:
    """Backspace takes back a whole Chinese character; Up brings back an earlier input."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
    child = pexpect.spawn(sys.executable, COMMAND, encoding="utf-8", env=env, timeout=60,
                          dimensions=(40, 120))  # fmt: skip
    shown = io.StringIO()
    child.logfile_read = shown
    child.expect_exact("> ")
    child.send("why\r")  # asked why for the first question
    child.expect_exact("> ")
    child.send("是\x7f否\r")  # typed 是, took it back, answered 否
    child.expect_exact("问题 2 · account_status")
    child.expect_exact("> ")
    child.send("\x1b[A\x1b[A\r")  # Up, Up: the 'why' typed two inputs ago
    child.expect_exact("为什么问 account_status:")
    child.expect_exact("> ")
    child.send("quit\r")
    child.expect(pexpect.EOF)
    child.close()
    output = _COLOUR.sub("", shown.getvalue().replace("\r\n", "\n"))
    assert "^[[A" not in output
    assert child.exitstatus == 0, output
