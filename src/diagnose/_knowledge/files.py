"""Read one TOML file, and find the line each table, entry and key is written on.

``tomllib`` gives the data but no positions, so ``Lines`` scans the text itself: table
headers (``[facts.topic]``, ``[[rule]]``), keys (``when = [``) and, inside a value that
spans lines, each element that starts a line. A problem found in the data is then shown
at the line of the deepest part of its path that was found (``rule #3 → when → 0``).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["Lines", "Unreadable", "read_toml", "shown_path"]

Key = tuple[str | int, ...]
_KEY = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_PART = re.compile(rf"\s*({_KEY})\s*(?:\.|$)")


def _parts(dotted: str) -> list[str]:
    return [p[1:-1] if p[:1] in "\"'" else p for p in _PART.findall(dotted)]


def _skip_string(text: str, start: int) -> int:
    """The index after the one-line string opening at ``start``."""
    quote, index = text[start], start + 1
    while index < len(text) and text[index] != quote:
        index += 2 if quote == '"' and text[index] == "\\" else 1
    return index + 1


def _advance(text: str, depth: int, string: str) -> tuple[int, str]:
    """Read on through a value: the bracket depth after the text, and the delimiter of a
    multi-line string still open at its end ("" when none is)."""
    index = 0
    while index < len(text):
        if string:
            end = text.find(string, index)
            if end < 0:
                return depth, string
            index, string = end + 3, ""
            continue
        char = text[index]
        if text.startswith(('"""', "'''"), index):
            string, index = text[index : index + 3], index + 3
            continue
        if char in "\"'":
            index = _skip_string(text, index)
            continue
        if char == "#":
            break
        depth += (char in "[{") - (char in "]}")
        index += 1
    return depth, string


@dataclass
class _Scan:
    """Where the scan is: the table, arrays of tables seen, and a value spanning lines."""

    table: Key = ()
    arrays: dict[Key, int] = field(default_factory=dict)
    open_value: Key | None = None
    depth: int = 0
    string: str = ""
    element: int = 0

    def header(self, parts: list[str], array: bool) -> Key:
        """The key of a table header: a part that names an array of tables stands for its
        last entry, so [[rule.example]] belongs to the rule above it."""
        path: Key = ()
        for index, part in enumerate(parts):
            path = (*path, part)
            if path in self.arrays and (index < len(parts) - 1 or not array):
                path = (*path, self.arrays[path] - 1)
        if array:
            count = self.arrays.get(path, 0)
            self.arrays[path] = count + 1
            path = (*path, count)
        self.table = path
        return path


@dataclass
class Lines:
    """Where each part of a TOML document is written (1-based line numbers)."""

    found: dict[Key, int] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str) -> Lines:
        lines, at = cls(), _Scan()
        for number, line in enumerate(text.splitlines(), 1):
            if at.open_value is not None:
                lines._inside_value(at, number, line)
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            header = _HEADER.match(line)
            if header:
                key = at.header(_parts(header.group(2)), header.group(1) == "[[")
                lines.found.setdefault(key, number)
                continue
            assign = _ASSIGN.match(line)
            if assign:
                key = (*at.table, *_parts(assign.group(1)))
                lines.found.setdefault(key, number)
                at.depth, at.string = _advance(assign.group(2), 0, "")
                if at.depth > 0 or at.string:
                    at.open_value, at.element = key, 0
        return lines

    def _inside_value(self, at: _Scan, number: int, line: str) -> None:
        """A line of a value that spans lines: each element of an array starts a line."""
        stripped = line.strip()
        starts = stripped and not stripped.startswith(("#", "]", "}"))
        if not at.string and at.depth == 1 and starts:
            assert at.open_value is not None
            self.found.setdefault((*at.open_value, at.element), number)
            at.element += 1
        at.depth, at.string = _advance(line, at.depth, at.string)
        if at.depth <= 0 and not at.string:
            at.open_value = None

    def line(self, *path: str | int) -> int | None:
        """The line of the deepest part of the path that is written in the file."""
        for end in range(len(path), 0, -1):
            number = self.found.get(tuple(path[:end]))
            if number is not None:
                return number
        return None


def shown_path(path: Path, root: Path) -> str:
    """'rules/dialup_auth.toml': the file under its folder's name."""
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Unreadable:
    """Why a file cannot be read, and the line where the trouble is, if known."""

    message: str
    line: int | None = None


_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_toml(path: Path) -> tuple[dict[str, Any], Lines] | Unreadable:
    """The file's data and lines, or why it cannot be read (said for a knowledge editor)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return Unreadable("not UTF-8 text; save the file as UTF-8")
    except OSError as error:
        return Unreadable(f"cannot read the file: {error.strerror or error}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = _AT_LINE.search(str(error))
        return Unreadable(f"not valid TOML: {error}", int(at.group(1)) if at else None)
    return data, Lines.scan(text)
