"""``diagnose session``: a consultation at the keyboard, or scripted through a pipe.

The agent answers each question with its number or its value, or types a command (``help``
lists them). When the engine concludes, the next step, the escalation and the customer
wording are shown apart, and the agent goes on (another question) or finishes. Every
input is kept: with a save file, the transcript, the session and the diagnosis so far are
written after each one, so nothing is lost on Ctrl-C, end of input or a closed window.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .._errors import DiagnoseError, SessionError
from .._files import write_atomic
from .._knowledge import show_value
from .._models import Diagnosis, FactValue, Question
from .._session import Session
from . import render
from .render import Line

__all__ = ["LOG_FORMAT", "Console", "read_saved"]

LOG_FORMAT = "diagnose-session-log/1"

_COMMANDS = {
    "why": "why", "how": "how", "back": "back", "undo": "back", "skip": "skip",
    "restart": "restart", "quit": "quit", "q": "quit", "exit": "quit", "help": "help",
    "?": "help", "c": "continue", "continue": "continue", "f": "finish", "finish": "finish",
    "为什么": "why", "怎么得出": "how", "撤回": "back", "返回": "back", "跳过": "skip",
    "重来": "restart", "退出": "quit", "帮助": "help", "继续": "continue", "结束": "finish",
}  # fmt: skip


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
        self.t = render.TEXT[lang]
        self.save_path = save
        self.transcript = list(transcript or [])
        # at a terminal, answers are typed with line editing: arrow keys, history, and
        # Backspace over a Chinese character; a pipe is read line by line
        self._terminal = read is None and sys.stdin.isatty()
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

    def show(self, lines: list[Line]) -> None:
        for text, heading in lines:
            if heading:
                self.say(text, bold=True)
            else:
                self.say(text)

    # -- input ------------------------------------------------------------------------------

    def _input(self) -> str | None:
        if self._terminal:
            _line_editing()
            try:
                return input("> ").strip()
            except EOFError:
                click.echo()
                return None
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
        if question.choices and text.isascii() and text.isdigit():
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
        self.say(render.known(self.session.diagnosis, self.lang))
        while not self._done:
            diagnosis = self.session.diagnosis
            question = self.session.next_question()
            # a conclusion is shown once no open question could change what the agent does
            concluded = diagnosis.status != "need_info" and (
                not diagnosis.provisional or question is None
            )
            if concluded and _verdict(diagnosis) != _verdict(self._shown):
                self.show(render.conclusion(diagnosis, self.lang))
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
                self.show(render.question(question, len(self.session.answers) + 1, self.lang))
                asked = question
            text = self._input()
            if text is None:  # end of input: keep what there is
                self._finish(asked, "", "end_of_input")
                break
            if text:
                self._handle(asked, question, text)

    def _finish(self, asked: Question | None, text: str, event: str) -> None:
        diagnosis = self.session.diagnosis
        if event != "end_of_input" and diagnosis.provisional:
            self.show(render.conclusion(diagnosis, self.lang))  # finished early: provisional
        self._done = True
        self.finished = event != "end_of_input"
        self._log(asked, text, event)
        self.say(self.t["finished"])

    def _handle(self, asked: Question | None, pending: Question | None, text: str) -> None:
        kind, fact, value = self._parse(asked, text)
        commands = {"continue": self._go_on, "help": self._help, "why": self._why,
                    "how": self._how, "back": self._back, "restart": self._restart}  # fmt: skip
        if kind in ("quit", "finish"):
            self._finish(asked, text, kind)
        elif kind in commands:
            commands[kind](asked, text)
        elif kind == "skip" and (asked or pending) is None:
            self._unclear(asked, text, "c / f / help")
        elif kind == "skip":
            target = asked or pending
            assert target is not None
            self._try(asked, text, "skip", target.fact, None)
        elif kind == "answer":
            self._try(asked, text, "answer", fact, value)
        else:
            self._unclear(asked, text, str(value))

    def _go_on(self, asked: Question | None, text: str) -> None:
        self._going_on = True
        self._log(asked, text, "continue")

    def _help(self, asked: Question | None, text: str) -> None:
        self.say(self.t["help"])

    def _why(self, asked: Question | None, text: str) -> None:
        self.show(render.why(self.session.why(), self.lang))
        self._log(asked, text, "why")

    def _how(self, asked: Question | None, text: str) -> None:
        self.show(render.how(self.session.how(), self.lang))
        self._log(asked, text, "how")

    def _restart(self, asked: Question | None, text: str) -> None:
        self.session.restart()
        self._shown = None
        self.say(self.t["restarted"])
        self._log(asked, text, "restart")

    def _back(self, asked: Question | None, text: str) -> None:
        undone = self.session.undo()
        if undone is None:
            self.say(self.t["nothing_to_undo"])
        else:
            shown = "skip" if undone.skipped else show_value(undone.value)
            self.say(self.t["undone"].format(what=f"{undone.fact} ({shown})"))
            # ask again rather than show an earlier conclusion again
            self._shown = self.session.diagnosis
            self._going_on = True
        self._log(asked, text, "back", fact=undone.fact if undone else None)

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
        try:
            write_atomic(self.save_path, text)
        except OSError as error:
            raise SessionError(f"cannot save the session to {self.save_path}: "
                               f"{error.strerror or error}") from None  # fmt: skip


def _verdict(diagnosis: Diagnosis | None) -> tuple[object, ...] | None:
    """What the agent acts on; a new answer that leaves it alone is not shown again."""
    if diagnosis is None:
        return None
    target = diagnosis.escalation.target if diagnosis.escalation else None
    return (diagnosis.status, diagnosis.cause, diagnosis.next_step.id, target, diagnosis.wording)


@functools.cache
def _line_editing() -> None:
    """Turn on the standard library's line editing for input(), once (where it exists)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        return
    # no bracketed-paste codes around each answer: the transcript stays plain text
    readline.parse_and_bind("set enable-bracketed-paste off")
