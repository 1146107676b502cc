"""``diagnose session``: a consultation at the keyboard, or scripted through a pipe.

The agent answers each question with its number or its value, or types a command (``help``
lists them). When the engine concludes, the next step, the escalation and the customer
wording are shown apart, and the agent goes on (another question) or finishes. Every
input is kept: with a save file, the transcript, the session and the diagnosis so far are
written after each one, so nothing is lost on Ctrl-C, end of input or a closed window.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .._errors import DiagnoseError, SessionError
from .._knowledge.model import DERIVED_FACTS
from .._models import Diagnosis, FactValue, Question
from .._session import Session
from .render import LABELS, escalation_line

__all__ = ["LOG_FORMAT", "Console", "read_saved"]

LOG_FORMAT = "diagnose-session-log/1"

_TEXT = {
    "zh": {
        "start": "诊断会话开始。输入编号或取值作答,help 查看命令。",
        "known": "已知",
        "question": "问题 {n} · {fact}",
        "number": "请输入数字",
        "conclusion": "结论",
        "next_step": "【下一步】",
        "escalation": "【转派】",
        "wording": "【客户话术】",
        "go_on": "还有可以改变结论的问题。输入 c 继续确认,f 结束。",
        "nothing_left": "没有能改变结论的问题了。",
        "finished": "会话结束。",
        "saved": "会话已保存到 {path}",
        "undone": "已撤回: {what}",
        "nothing_to_undo": "没有可撤回的回答。",
        "restarted": "已重新开始,回到最初的已知情况。",
        "skipped": "已跳过: {fact}(不再询问)",
        "unclear": "无法识别“{text}”:{why}。输入编号、取值,或 help。",
        "why_title": "为什么问 {fact}:",
        "why_rules": "等待这个答案的规则:",
        "why_answers": "各个答案的结果:",
        "why_then": "接着问 {fact}",
        "why_none": "当前没有要问的问题。",
        "how_title": "结论的推理过程(按触发顺序):",
        "how_decides": "← 当前结论",
        "interrupted": "会话已中断。",
        "not_saved": "注意:会话未能保存",
        "help": (
            "作答: 输入选项编号或取值(如 1、是、arrears);数字题直接输入数字。\n"
            "  名称=取值     回答任意一项,如 modem_restarted=是\n"
            "  why          为什么问这个问题,各个答案会得出什么\n"
            "  how          当前结论是由哪些规则得出的\n"
            "  back         撤回上一个回答\n"
            "  skip         不知道,跳过这个问题\n"
            "  restart      从头开始\n"
            "  c / f        得出结论后:继续确认 / 结束\n"
            "  quit         结束会话\n"
            "  help         显示本说明"
        ),
    },
    "en": {
        "start": "Diagnosis session. Answer with a number or a value; help lists the commands.",
        "known": "Known",
        "question": "Question {n} · {fact}",
        "number": "type a number",
        "conclusion": "Conclusion",
        "next_step": "[Next step]",
        "escalation": "[Escalate]",
        "wording": "[Customer wording]",
        "go_on": "Some questions could still change this. Type c to go on, f to finish.",
        "nothing_left": "No question left could change the conclusion.",
        "finished": "Session finished.",
        "saved": "Session saved to {path}",
        "undone": "Taken back: {what}",
        "nothing_to_undo": "Nothing to take back.",
        "restarted": "Started again from what was known at first.",
        "skipped": "Skipped: {fact} (not asked again)",
        "unclear": "Cannot read '{text}': {why}. Type a number, a value, or help.",
        "why_title": "Why {fact} is asked:",
        "why_rules": "Rules waiting on the answer:",
        "why_answers": "What each answer leads to:",
        "why_then": "then asks {fact}",
        "why_none": "Nothing is being asked now.",
        "how_title": "How the conclusion was reached (rules in firing order):",
        "how_decides": "<- the conclusion",
        "interrupted": "Session interrupted.",
        "not_saved": "Warning: the session was not saved",
        "help": (
            "Answer: type the choice's number or its value (1, yes, arrears); a number for\n"
            "number questions.\n"
            "  NAME=VALUE   answer any fact, e.g. modem_restarted=yes\n"
            "  why          why this question, and what each answer leads to\n"
            "  how          which rules reached the current conclusion\n"
            "  back         take back the last answer\n"
            "  skip         not known: skip this question\n"
            "  restart      start again\n"
            "  c / f        after a conclusion: go on / finish\n"
            "  quit         end the session\n"
            "  help         show this help"
        ),
    },
}

_COMMANDS = {
    "why": "why", "how": "how", "back": "back", "undo": "back", "skip": "skip",
    "restart": "restart", "quit": "quit", "q": "quit", "exit": "quit", "help": "help",
    "?": "help", "c": "continue", "continue": "continue", "f": "finish", "finish": "finish",
    "为什么": "why", "怎么得出": "how", "撤回": "back", "返回": "back", "跳过": "skip",
    "重来": "restart", "退出": "quit", "帮助": "help", "继续": "continue", "结束": "finish",
}  # fmt: skip

_RULE = "═" * 36
_YES_NO_EN = {"true": "yes", "false": "no"}


def read_saved(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The session (as Session.to_json text) and transcript from a save file, which holds
    either a whole session log or just a saved session."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SessionError(f"cannot read the saved session {path}: {error}") from None
    if isinstance(data, dict) and data.get("format") == LOG_FORMAT:
        transcript = data.get("transcript")
        return json.dumps(data.get("session")), transcript if isinstance(transcript, list) else []
    return json.dumps(data), []


class Console:
    """Runs one session on the terminal (or a pipe); ``run()`` returns the exit code."""

    def __init__(
        self,
        session: Session,
        *,
        lang: str = "zh",
        save: Path | None = None,
        transcript: list[dict[str, Any]] | None = None,
        read: Callable[[], str] | None = None,
        echo_input: bool = False,
    ) -> None:
        self.session = session
        self.lang = lang
        self.t = _TEXT[lang]
        self.save_path = save
        self.transcript = list(transcript or [])
        self._read = read or sys.stdin.readline
        self.echo_input = echo_input  # a pipe does not show what was typed: print it
        self.finished = False  # the agent finished (or quit); not just the end of input
        self._done = False
        self._shown: Diagnosis | None = None  # the conclusion last shown
        self._going_on = False  # after a conclusion, the agent chose to go on

    # -- output -----------------------------------------------------------------------------

    def say(self, text: str = "", **style: Any) -> None:
        # click drops the colour codes when the output is not a terminal
        plain = not style or os.environ.get("NO_COLOR")
        click.echo(text if plain else click.style(text, **style))

    def _en(self) -> bool:
        return self.lang == "en"

    def _facts_line(self) -> str:
        facts = self.session.diagnosis.facts
        shown = ", ".join(f"{k}={_value(v)}" for k, v in facts.items() if k not in DERIVED_FACTS)
        return f"{self.t['known']}: {shown}"

    def _show_question(self, question: Question) -> None:
        number = len(self.session.answers) + 1
        self.say()
        self.say(self.t["question"].format(n=number, fact=question.fact), bold=True)
        self.say(question.text_en if self._en() else question.text)
        if question.choices:
            for number, choice in enumerate(question.choices, 1):
                label = _YES_NO_EN.get(choice) if self._en() else question.labels.get(choice)
                shown = f"{label} ({choice})" if label else choice
                self.say(f"  {number}) {shown}")
        else:
            self.say(f"  ({self.t['number']})")

    def _show_conclusion(self, diagnosis: Diagnosis) -> None:
        en = self._en()
        labels = LABELS[self.lang]
        self.say()
        self.say(f"══ {self.t['conclusion']} {_RULE}", bold=True)
        self.say(
            f"{labels['problem']}: {diagnosis.problem_text_en if en else diagnosis.problem_text}"
        )
        if diagnosis.cause:
            cause = diagnosis.cause_text_en if en else diagnosis.cause_text
            self.say(f"{labels['cause']}: {cause}")
        status = labels["status_" + diagnosis.status]
        self.say(f"{labels['status']}: {status} ({diagnosis.status})")
        step = diagnosis.next_step
        blocks = (
            ("next_step", step.text_en if en else step.text),
            ("escalation", escalation_line(diagnosis.escalation, self.lang)),
            ("wording", diagnosis.wording_en if en else diagnosis.wording),
        )
        for key, text in blocks:
            self.say()
            self.say(self.t[key], bold=True)
            self.say(f"  {text}")
        self.say("═" * 44, bold=True)

    def _show_why(self) -> None:
        why = self.session.why()
        if why is None:
            self.say(self.t["why_none"])
            return
        en = self._en()
        self.say(self.t["why_title"].format(fact=why.question.fact))
        self.say(f"  {self.t['why_rules']}")
        for waiting in why.waiting:
            concludes = waiting.concludes_en if en else waiting.concludes
            self.say(f"    {waiting.rule}: {' & '.join(waiting.needs)}")
            self.say(f"      → {concludes}")
            self.say(f"      {waiting.source}")
        self.say(f"  {self.t['why_answers']}")
        for outcome in why.outcomes:
            answers = ", ".join(_value(v) for v in outcome.answers)
            step = outcome.next_step.text_en if en else outcome.next_step.text
            status = LABELS[self.lang]["status_" + outcome.status]
            line = f"    {answers} → {status}: {_short(step).rstrip('。.')}"
            if outcome.escalate:
                line += f" [{outcome.escalate}]"
            if outcome.status == "need_info" and outcome.next_question:
                line += f"; {self.t['why_then'].format(fact=outcome.next_question)}"
            self.say(line)

    def _show_how(self) -> None:
        en = self._en()
        self.say(self.t["how_title"])
        for number, reason in enumerate(self.session.how(), 1):
            mark = f"  {self.t['how_decides']}" if reason.decides else ""
            because = " & ".join(reason.because) or "—"
            self.say(f"  {number}. {reason.rule}: {because}{mark}")
            self.say(f"     → {_short(reason.concludes_en if en else reason.concludes)}")
            self.say(f"     {reason.source}")

    # -- input ------------------------------------------------------------------------------

    def _input(self) -> str | None:
        click.echo("> ", nl=False)
        line = self._read()
        if not line:
            click.echo()
            return None
        text = line.strip()
        if self.echo_input:
            click.echo(text)
        return text

    def _parse(self, question: Question | None, text: str) -> tuple[str, str, Any]:
        """(kind, fact, value): kind is a command, 'answer' or 'unclear'."""
        command = _COMMANDS.get(text.lower())
        if command is not None:
            return command, question.fact if question else "", None
        if "=" in text:
            name, _, value = text.partition("=")
            return "answer", name.strip(), value.strip()
        if question is None:
            return "unclear", "", "c / f / help"
        if question.choices and text.isdigit():
            index = int(text)
            if 1 <= index <= len(question.choices):
                return "answer", question.fact, question.choices[index - 1]
            return "unclear", question.fact, f"1-{len(question.choices)}"
        for choice, label in question.labels.items():
            if text == label:
                return "answer", question.fact, choice
        return "answer", question.fact, text

    def _log(self, question: Question | None, text: str, event: str, **extra: Any) -> None:
        entry: dict[str, Any] = {"asked": question.fact if question else None, "input": text}
        entry["event"] = event
        entry.update(extra)
        self.transcript.append(entry)
        try:
            self.save()
        except SessionError as error:  # the call goes on; the agent is told at once
            self.say(f"{self.t['not_saved']}: {error.message}")

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> int:
        """The exit code: 0 finished or end of input, 130 interrupted. A save file that
        cannot be written is a SessionError before the first question."""
        self.save()
        try:
            self._loop()
        except KeyboardInterrupt:
            click.echo()
            self.say(self.t["interrupted"])
            self.save()
            self._say_saved()
            return 130
        self.save()
        self._say_saved()
        return 0

    def _say_saved(self) -> None:
        if self.save_path is not None:
            self.say(self.t["saved"].format(path=self.save_path))

    def _loop(self) -> None:
        self.say(self.t["start"])
        self.say(self._facts_line())
        while not self._done:
            diagnosis = self.session.diagnosis
            question = self.session.next_question()
            concluded = diagnosis.status != "need_info"
            if concluded and _verdict(diagnosis) != _verdict(self._shown):
                self._show_conclusion(diagnosis)
                self._shown = diagnosis
                self._going_on = False
            if concluded and question is None:
                self.say(self.t["nothing_left"])
                self._finish(None, "", "finish")
                break
            if concluded and not self._going_on:
                self.say(self.t["go_on"])
                asked = None
            else:
                assert question is not None
                self._show_question(question)
                asked = question
            text = self._input()
            if text is None:  # end of input: keep what there is
                self._finish(asked, "", "end_of_input")
                break
            if text:
                self._handle(asked, question, text)

    def _finish(self, asked: Question | None, text: str, event: str) -> None:
        self._done = True
        self.finished = event != "end_of_input"
        self._log(asked, text, event)
        self.say(self.t["finished"])

    def _handle(self, asked: Question | None, pending: Question | None, text: str) -> None:
        kind, fact, value = self._parse(asked, text)
        if kind in ("quit", "finish"):
            self._finish(asked, text, kind)
        elif kind == "continue":
            self._going_on = True
            self._log(asked, text, "continue")
        elif kind == "help":
            self.say(self.t["help"])
        elif kind == "why":
            self._show_why()
            self._log(asked, text, "why")
        elif kind == "how":
            self._show_how()
            self._log(asked, text, "how")
        elif kind == "back":
            undone = self.session.undo()
            if undone is None:
                self.say(self.t["nothing_to_undo"])
            else:
                what = f"{undone.fact} ({'skip' if undone.skipped else _value(undone.value)})"
                self.say(self.t["undone"].format(what=what))
                # ask again rather than show an earlier conclusion again
                self._shown = self.session.diagnosis
                self._going_on = True
            self._log(asked, text, "back", fact=undone.fact if undone else None)
        elif kind == "restart":
            self.session.restart()
            self._shown = None
            self.say(self.t["restarted"])
            self._log(asked, text, "restart")
        elif kind == "skip":
            target = asked or pending
            if target is None:
                self._unclear(asked, text, "c / f / help")
                return
            self._try(asked, text, "skip", target.fact, None)
        elif kind == "answer":
            self._try(asked, text, "answer", fact, value)
        else:
            self._unclear(asked, text, str(value))

    def _try(
        self, asked: Question | None, text: str, event: str, fact: str, value: FactValue | None
    ) -> None:
        try:
            if event == "skip":
                self.session.skip(fact)
                self.say(self.t["skipped"].format(fact=fact))
            else:
                assert value is not None
                self.session.answer(fact, value)
        except DiagnoseError as error:
            self._unclear(asked, text, error.message)
            return
        recorded = self.session.answers[-1]
        extra = {"fact": fact} if event == "skip" else {"fact": fact, "value": recorded.value}
        self._log(asked, text, event, **extra)
        if asked is None:
            self._going_on = True

    def _unclear(self, asked: Question | None, text: str, why: str) -> None:
        self.say(self.t["unclear"].format(text=text, why=why))
        self._log(asked, text, "unclear", message=why)

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the session log (atomically: a crash leaves the previous one whole)."""
        if self.save_path is None:
            return
        data = {
            "format": LOG_FORMAT,
            "finished": self.finished,
            "session": json.loads(self.session.to_json()),
            "transcript": self.transcript,
            "diagnosis": self.session.diagnosis.model_dump(mode="json"),
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        folder = self.save_path.resolve().parent
        try:
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{self.save_path.name}.")
        except OSError as error:
            raise SessionError(f"cannot save the session to {self.save_path}: "
                               f"{error.strerror or error}") from None  # fmt: skip
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.save_path)
        except BaseException as error:
            Path(temporary).unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise SessionError(f"cannot save the session to {self.save_path}: "
                                   f"{error.strerror or error}") from None  # fmt: skip
            raise


def _verdict(diagnosis: Diagnosis | None) -> tuple[object, ...] | None:
    """What the agent acts on; a new answer that leaves it alone is not shown again."""
    if diagnosis is None:
        return None
    target = diagnosis.escalation.target if diagnosis.escalation else None
    return (diagnosis.status, diagnosis.cause, diagnosis.next_step.id, target, diagnosis.wording)


def _value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
