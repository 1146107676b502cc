"""Errors raised by diagnose.

Every error a user can cause is a ``DiagnoseError``: it carries the exit code the CLI
uses and a ``show()`` that prints it without a traceback.

    DiagnoseError                 exit code 1 unless a subclass says otherwise
    ├── KnowledgeError            rule or knowledge files do not validate (exit 2);
    │                             ``issues`` lists every problem at once
    ├── TicketError               a ticket does not validate (exit 2);
    │                             ``issues`` lists every bad field
    ├── SessionError              an answer, skip or undo a session cannot take, or a
    │                             saved session that does not resume (exit 2)
    ├── InputError                replay: the export cannot be read at all (exit 2)
    ├── MappingError              replay: the column mapping is wrong; ``problems`` lists
    │                             every mistake (exit 2)
    └── OutputError               replay: the output or a report cannot be written, or a
                                  partial output cannot be resumed (exit 2)

``KnowledgeIssue`` and ``TicketIssue`` are the single problems inside them: each names
where the problem is (file, line, rule id and field; or ticket field) and how to fix it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

__all__ = [
    "DiagnoseError",
    "InputError",
    "KnowledgeError",
    "KnowledgeIssue",
    "MappingError",
    "OutputError",
    "SessionError",
    "TicketError",
    "TicketIssue",
]


class DiagnoseError(Exception):
    """Base of every error diagnose raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message

    def show(self, file: TextIO | None = None) -> None:
        print(f"Error: {self.format_message()}", file=file or sys.stderr)


@dataclass(frozen=True)
class KnowledgeIssue:
    """One problem in a rule or knowledge file."""

    path: str
    message: str
    rule_id: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.rule_id:
            where += f": {self.rule_id}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class KnowledgeError(DiagnoseError):
    """The rule or knowledge files do not validate; nothing was loaded."""

    exit_code = 2

    def __init__(self, issues: list[KnowledgeIssue]) -> None:
        self.issues = list(issues)
        count = len(self.issues)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the rules and knowledge:"]
        lines += [f"  {issue}" for issue in self.issues]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class TicketIssue:
    """One problem in a ticket: the field (``facts.account_status``) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class TicketError(DiagnoseError):
    """A ticket does not validate."""

    exit_code = 2

    def __init__(self, issues: list[TicketIssue], *, where: str = "ticket") -> None:
        self.issues = list(issues)
        if len(self.issues) == 1:
            message = f"bad {where}: {self.issues[0]}"
        else:
            message = f"bad {where}:\n" + "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(message)


class SessionError(DiagnoseError):
    """A session cannot take this answer, skip or undo (the message says why and what to
    do instead), or a saved session does not resume."""

    exit_code = 2

    def __init__(self, message: str, *, fact: str | None = None) -> None:
        super().__init__(message)
        self.fact = fact


class InputError(DiagnoseError):
    """The input file cannot be read at all (missing, no header, unknown encoding)."""

    exit_code = 2


class MappingError(DiagnoseError):
    """The column mapping is wrong: every problem is listed, with how to write it."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("bad column mapping:\n" + "\n".join(f"  {p}" for p in problems))


class OutputError(DiagnoseError):
    """The output cannot be written, or a partial one cannot be resumed."""

    exit_code = 2
