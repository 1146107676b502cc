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
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.*)$""")
_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)""")


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def _depth(text: str) -> int:
    """How many brackets and braces the text opens minus closes, outside strings."""
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


@dataclass
class Lines:
    """Where each part of a TOML document is written (1-based line numbers)."""

    found: dict[Key, int] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str) -> Lines:
        lines = cls()
        table: Key = ()
        counts: dict[Key, int] = {}
        open_value: Key | None = None  # a key whose value spans lines
        depth = element = 0
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if open_value is not None:
                if depth == 1 and stripped and not stripped.startswith(("#", "]", "}")):
                    lines.found.setdefault((*open_value, element), number)
                    element += 1
                depth += _depth(line)
                if depth <= 0:
                    open_value = None
                continue
            if not stripped or stripped.startswith("#"):
                continue
            header = _HEADER.match(line)
            if header:
                table = tuple(_parts(header.group(2)))
                if header.group(1) == "[[":
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    table = (*table, index)
                lines.found.setdefault(table, number)
                continue
            assign = _ASSIGN.match(line)
            if assign:
                key = (*table, *_parts(assign.group(1)))
                lines.found.setdefault(key, number)
                depth = _depth(assign.group(2))
                if depth > 0:
                    open_value, element = key, 0
        return lines

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
