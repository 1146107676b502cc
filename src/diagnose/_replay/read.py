"""Read ticket exports row by row: CSV (any delimiter the csv module sniffs) or JSONL.

Old systems export UTF-8, UTF-8 with a BOM, or GBK/GB18030; the encoding is detected from
the start of the file unless given. Nothing is held in memory but the current row. A row
that cannot be read (bytes not in the encoding, a wrong number of fields, broken JSON, an
empty line, a field too large) is yielded as a ``RowProblem``, never dropped, and the
rows after it are read as usual.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .._errors import InputError

__all__ = ["MAX_FIELD", "Row", "RowProblem", "TicketSource", "detect_encoding"]

MAX_FIELD = 100_000  # characters in one field
_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class RowProblem:
    """Why a row could not be read or used: a short kind and a message for a person."""

    kind: str
    message: str


@dataclass(frozen=True)
class Row:
    """One input row: its number (from 1, in file order) and its fields, or the problem."""

    number: int
    fields: dict[str, Any] | None
    problem: RowProblem | None = None


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig with a BOM; utf-8 when the sample reads as UTF-8 but for a stray bad byte
    or two (those rows are reported); else gb18030 (a superset of GBK and GB2312)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    bad = sample.decode("utf-8", errors="replace").count("\ufffd")
    return "utf-8" if bad <= 2 + len(sample) // 1000 else "gb18030"


def _check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        known = "utf-8, utf-8-sig, gbk, gb18030"
        raise InputError(f"unknown encoding '{name}' (try {known})") from None


class TicketSource:
    """The rows of one export file, in order. ``fraction_read`` tells how far it got."""

    def __init__(self, path: Path, *, encoding: str | None = None, kind: str | None = None) -> None:
        self.path = path
        try:
            self._raw: BinaryIO = path.open("rb")
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror or error}") from None
        self.size = max(path.stat().st_size, 1)
        sample = self._raw.read(_SAMPLE)
        self._raw.seek(0)
        self.encoding = _check_encoding(encoding) if encoding else detect_encoding(sample)
        if encoding and self.encoding == "utf-8" and sample.startswith(codecs.BOM_UTF8):
            self.encoding = "utf-8-sig"
        suffix = path.suffix.lower()
        self.kind = kind or ("jsonl" if suffix in (".jsonl", ".ndjson", ".json") else "csv")
        self.columns: list[str] = []
        self.rows_read = 0
        if self.kind == "csv":
            self._reader = self._open_csv(sample)

    def _open_csv(self, sample: bytes) -> Iterator[list[str]]:
        """The CSV reader, past the header (read now, so the columns can be checked)."""
        dialect = _sniff(sample.decode(self.encoding, errors="replace"))
        text = io.TextIOWrapper(self._raw, encoding=self.encoding, errors="surrogateescape",
                                newline="")  # fmt: skip
        reader = csv.reader(text, dialect)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{self.path} is empty: a CSV export needs a header row") from None
        except csv.Error as error:
            raise InputError(f"cannot read the header of {self.path}: {error}") from None
        self.columns = [name.strip().lstrip("\ufeff") for name in header]
        if _undecodable(" ".join(header)):
            raise InputError(f"the header of {self.path} is not {self.encoding} text; give the "
                             "encoding with --encoding")  # fmt: skip
        return reader

    @property
    def fraction_read(self) -> float:
        try:
            return min(self._raw.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return 1.0

    def close(self) -> None:
        self._raw.close()

    def __iter__(self) -> Iterator[Row]:
        rows = self._jsonl() if self.kind == "jsonl" else self._csv()
        for row in rows:
            self.rows_read = row.number
            yield row

    # -- CSV --------------------------------------------------------------------------------

    def _csv(self) -> Iterator[Row]:
        number = 0
        while True:
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                if "field limit" in str(error):  # the csv module's own limit, 131,072
                    yield _bad(number, "too_large", f"a field holds more than "
                               f"{csv.field_size_limit():,} characters")  # fmt: skip
                else:
                    yield _bad(number, "csv", f"cannot read the row: {error}")
                continue
            number += 1
            yield self._csv_row(number, record)

    def _csv_row(self, number: int, record: list[str]) -> Row:
        if not record or all(not field.strip() for field in record):
            return _bad(number, "empty", "empty line")
        if len(record) != len(self.columns):
            found, wanted = len(record), len(self.columns)
            return _bad(number, "columns", f"{found} fields where the header has {wanted}")
        if max(map(len, record)) > MAX_FIELD or _undecodable("".join(record)):
            for name, value in zip(self.columns, record, strict=True):
                if len(value) > MAX_FIELD:
                    return _bad(number, "too_large", f"column '{name}' holds {len(value):,} "
                                f"characters; at most {MAX_FIELD:,} are read")  # fmt: skip
                if _undecodable(value):
                    return _bad(number, "encoding", f"column '{name}' has bytes that are not "
                                f"{self.encoding}")  # fmt: skip
        return Row(number, dict(zip(self.columns, record, strict=True)))

    # -- JSONL ------------------------------------------------------------------------------

    def _jsonl(self) -> Iterator[Row]:
        number = 0
        for line in self._raw:
            number += 1
            if len(line) > MAX_FIELD * 4:
                yield _bad(number, "too_large", f"the line holds {len(line):,} bytes; at "
                           f"most {MAX_FIELD * 4:,} are read")  # fmt: skip
                continue
            try:
                text = line.decode(self.encoding)
            except UnicodeDecodeError:
                yield _bad(number, "encoding", f"the line has bytes that are not {self.encoding}")
                continue
            text = text.strip().lstrip("\ufeff")
            if not text:
                yield _bad(number, "empty", "empty line")
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                yield _bad(number, "json", f"not JSON: {error.msg} at column {error.colno}")
                continue
            if not isinstance(value, dict):
                yield _bad(number, "json", "not a JSON object")
                continue
            yield Row(number, value)


def _bad(number: int, kind: str, message: str) -> Row:
    return Row(number, None, RowProblem(kind, message))


def _sniff(sample: str) -> type[csv.Dialect] | csv.Dialect:
    lines = sample.splitlines()
    head = "\n".join(lines[:50])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _undecodable(text: str) -> bool:
    """Whether decoding left bytes it could not read (as surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
