"""Write replay results, one row per input row, so that a crash never passes for a result.

Rows go to ``OUT.partial`` as they come; only a complete replay renames it to ``OUT``.
Beside it, ``OUT.partial.json`` records what is being replayed (input file, options,
knowledge); ``--resume`` checks that record, keeps the complete rows of the partial file
(a row cut off by the crash is dropped and written again) and goes on after them.
JSONL rows are JSON objects; CSV rows keep every value on one line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .._errors import OutputError
from .._files import write_atomic
from .rows import row_number

__all__ = ["Sink", "partial_rows"]


class Sink:
    """Where the output rows go: a file (JSONL or CSV, atomically) or standard output."""

    def __init__(
        self, path: Path | None, kind: str, stream: TextIO | None = None, header: str = ""
    ) -> None:
        self.path = path
        self.kind = kind
        self.header = header
        self.written = 0
        self._stream = stream
        self._file: BinaryIO | None = None  # the partial output, written as UTF-8

    @property
    def partial(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".partial")

    @property
    def record(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".partial.json")

    def start(self, fingerprint: dict[str, Any]) -> None:
        """Begin a new output: an empty partial file and its record."""
        if self.path is None:
            if self.header and self._stream is not None:
                self._stream.write(self.header)
            return
        try:
            write_atomic(self.record, json.dumps(fingerprint, ensure_ascii=False, indent=2))
            self._file = self.partial.open("wb")
        except OSError as error:
            raise OutputError(f"cannot write {self.partial}: {error.strerror or error}") from None
        self._file.write(self.header.encode())

    def resume(self, fingerprint: dict[str, Any]) -> list[str]:
        """Continue a partial output; the complete rows it holds, in order."""
        if self.path is None:
            raise OutputError("--resume needs --out: there is no partial output to continue")
        if not self.partial.exists():
            raise OutputError(f"nothing to resume: {self.partial} does not exist")
        try:
            recorded = json.loads(self.record.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            recorded = None
        if recorded != fingerprint:
            raise OutputError(f"{self.partial} was written for another input, options or "
                              "knowledge; replay again without --resume")  # fmt: skip
        rows, keep = partial_rows(self.partial, self.kind, bool(self.header))
        with self.partial.open("r+b") as handle:
            handle.truncate(keep)
        self._file = self.partial.open("ab")
        self.written = len(rows)
        return rows

    def write(self, lines: Sequence[str | bytes]) -> None:
        """Write rows, each text or UTF-8."""
        if self._file is not None:
            self._file.write(b"".join(
                line if isinstance(line, bytes) else line.encode() for line in lines))  # fmt: skip
        else:
            assert self._stream is not None
            self._stream.write("".join(
                line if isinstance(line, str) else line.decode() for line in lines))  # fmt: skip
        self.written += len(lines)

    def flush(self) -> None:
        out: BinaryIO | TextIO | None = self._file or self._stream
        if out is not None:
            out.flush()

    def finish(self) -> None:
        """Make the output complete: the partial file becomes OUT."""
        if self._file is None:
            self.flush()
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        assert self.path is not None
        os.replace(self.partial, self.path)
        self.record.unlink(missing_ok=True)

    def abandon(self) -> None:
        """Stop writing but keep the partial file for --resume."""
        if self._file is not None:
            self._file.flush()
            self._file.close()
            self._file = None


def partial_rows(path: Path, kind: str, header: bool) -> tuple[list[str], int]:
    """The complete rows of a partial output and the byte length they take (with the
    header): a last row cut off, or one that does not read, ends it."""
    rows: list[str] = []
    keep = 0
    expected = 1
    with path.open("rb") as handle:
        if header:
            first = handle.readline()
            if not first.endswith(b"\n"):
                return [], 0
            keep = len(first)
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            line = raw.decode("utf-8", errors="replace")
            if row_number(line, kind) != expected:
                break
            rows.append(line)
            keep += len(raw)
            expected += 1
    return rows, keep
