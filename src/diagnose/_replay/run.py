"""Replay old fault tickets: read → map → count areas → diagnose (cached) → write → report.

Rows stream through: memory holds the rows in flight, the caches and the report's
counters, never the file. Every input row gives exactly one output row, in input order:
its diagnosis, or what was wrong with it. With ``workers`` > 1, chunks of rows are
diagnosed in other processes while this one reads, counts areas (which depends on the
order of the rows) and writes.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._api import KnowledgeBase, load
from .._engine import TextSays
from .._errors import DiagnoseError
from .._limits import MAX_TEXT, read_part
from .area import AreaWatch
from .cache import CachedDiagnoser
from .mapping import Mapped, Mapper
from .read import RowProblem, TicketSource
from .report import Report
from .rows import Counted, Result, counted_of, diagnosis_line, error_line
from .sink import Sink

__all__ = ["ReplaySummary", "fingerprint", "replay"]

_CHUNK = 1000
# a row: its number, its fields, why it cannot be diagnosed, and what this process has
# read of its text already (the area count needs its code): a worker does not read it again
_Item = tuple[int, Mapped | None, RowProblem | None, tuple[str, TextSays] | None]
# what the report needs of a row: what its diagnosis counts for, or why it has none
_Stats = Counted | RowProblem
_Outcome = Result | RowProblem  # a row's diagnosis, or why it has none


@dataclass(frozen=True)
class ReplaySummary:
    rows_in: int
    rows_out: int
    resumed: int
    diagnosed: int
    errors: int
    engine_runs: int  # engine runs in this process (with workers, those run elsewhere)
    seconds: float


def fingerprint(
    base: KnowledgeBase, source: TicketSource, mapper: Mapper, **options: Any
) -> dict[str, Any]:
    """What a partial output was made from; --resume goes on only if nothing changed."""
    stat = source.path.stat()
    return {
        "input": str(source.path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
        "kind": source.kind, "encoding": source.encoding, "columns": mapper.columns,
        "values": mapper.values, "knowledge": base.knowledge.digest, **options,
    }  # fmt: skip


# -- diagnosing (in this process or a worker) ---------------------------------------------------

# In a worker process: its diagnoser and the default carrier.
_worker: tuple[CachedDiagnoser, str | None] | None = None
# The knowledge of the replay starting workers: a forked worker has it already
_forked: KnowledgeBase | None = None


def _start_worker(folders: tuple[Path, Path], carrier: str | None) -> None:
    """Set up a worker process: the knowledge it was forked with, else loaded itself."""
    global _worker
    base = _forked if _forked is not None else load(*folders)
    _worker = (CachedDiagnoser(base), carrier)


def _work(chunk: list[_Item]) -> list[_Outcome]:
    assert _worker is not None
    return _outcomes(*_worker, chunk)


def _outcomes(
    diagnoser: CachedDiagnoser, carrier: str | None, chunk: list[_Item]
) -> list[_Outcome]:
    """Each row's diagnosis, or why it has none. A worker sends these back, not the rows
    written: a diagnosis that many rows share travels once per chunk."""
    return [_outcome(diagnoser, carrier, item) for item in chunk]


def _outcome(diagnoser: CachedDiagnoser, carrier: str | None, item: _Item) -> _Outcome:
    _, mapped, problem, read = item
    if read is not None:
        diagnoser.remember(*read)
    if mapped is None or problem is not None:
        assert problem is not None
        return problem
    if mapped.carrier is None:
        mapped.carrier = carrier
    return diagnoser.diagnose(mapped)


def _line(item: _Item, outcome: _Outcome, kind: str) -> str | bytes:
    number, mapped, _, _ = item
    row_id = mapped.id if mapped is not None else None
    if isinstance(outcome, Result):
        return diagnosis_line(number, row_id, outcome, kind)
    return error_line(number, row_id, outcome, kind)


# -- the replay --------------------------------------------------------------------------------


def _items(
    source: TicketSource, mapper: Mapper, watch: AreaWatch, base: KnowledgeBase
) -> Iterator[_Item]:
    reader = base.engine.reader
    counts_areas = "area_reports" in base.knowledge.facts
    for row in source:
        if row.problem is not None or row.fields is None:
            yield row.number, None, row.problem or RowProblem("empty", "empty line"), None
            continue
        mapped = mapper.map(row.fields)
        if mapped.problem is not None:
            yield row.number, mapped, mapped.problem, None
            continue
        read: tuple[str, TextSays] | None = None
        if counts_areas and mapped.area and mapped.reported_at:
            code = mapped.error_code
            text = mapped.text or ""
            if len(text) > MAX_TEXT:
                text = read_part(text)  # as the diagnosis reads it
            if code is None and text and reader.may_name(text, watch.codes):
                read = (text, reader.read(text))
                said = read[1][0]
                code = said.value if said is not None and isinstance(said.value, int) else None
            problem = watch.problem(code)
            if problem is not None:
                count = watch.observe(row.number, mapped.area, mapped.reported_at, problem)
                mapped.facts.setdefault("area_reports", count)
        yield row.number, mapped, None, read


def _chunks(items: Iterator[_Item]) -> Iterator[list[_Item]]:
    chunk: list[_Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def replay(
    base: KnowledgeBase,
    source: TicketSource,
    mapper: Mapper,
    sink: Sink,
    report: Report,
    *,
    carrier: str | None = None,
    workers: int = 1,
    resume_from: list[str] | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> ReplaySummary:
    """Replay every row of the source into the sink; the report counts them all."""
    started = time.perf_counter()
    watch = AreaWatch(base.knowledge)
    items = _items(source, mapper, watch, base)
    resumed = _skip_done(items, resume_from or [], source, sink, report)
    shown = time.perf_counter()

    def emit(chunk: list[_Item], outcomes: list[_Outcome]) -> None:
        nonlocal shown
        paired = list(zip(chunk, outcomes, strict=True))
        sink.write([_line(item, outcome, sink.kind) for item, outcome in paired])
        for item, outcome in paired:
            _count(report, item, outcome.counted if isinstance(outcome, Result) else outcome)
        if progress is not None and time.perf_counter() - shown > 0.25:
            shown = time.perf_counter()
            progress(sink.written, source.fraction_read)

    if workers <= 1:
        diagnoser = CachedDiagnoser(base)
        for chunk in _chunks(items):
            emit(chunk, _outcomes(diagnoser, carrier, chunk))
        engine_runs = diagnoser.engine_runs
    else:
        _in_workers(base, items, carrier, workers, emit)
        engine_runs = 0
    report.incidents = [incident.as_dict() for incident in watch.incidents]
    if progress is not None:
        progress(sink.written, 1.0)
    errors = sum(report.errors.values())
    rows_in = source.rows_read
    return ReplaySummary(rows_in=rows_in, rows_out=sink.written, resumed=resumed,
                         diagnosed=rows_in - errors, errors=errors, engine_runs=engine_runs,
                         seconds=time.perf_counter() - started)  # fmt: skip


def _skip_done(
    items: Iterator[_Item], done: list[str], source: TicketSource, sink: Sink, report: Report
) -> int:
    """Count the rows written before (--resume) and read past them; how many there were."""
    for line in done:
        item = next(items, None)
        if item is None:
            raise DiagnoseError(f"the partial output holds {len(done)} rows, more than "
                                f"{source.path} has; replay again without --resume")  # fmt: skip
        _count(report, item, counted_of(line, sink.kind))
    return len(done)


def _in_workers(
    base: KnowledgeBase,
    items: Iterator[_Item],
    carrier: str | None,
    workers: int,
    emit: Callable[[list[_Item], list[_Outcome]], None],
) -> None:
    """Diagnose chunks in worker processes, emitting their rows in input order."""
    global _forked
    context = multiprocessing.get_context("fork" if _can_fork() else "spawn")
    folders = (base.rules_dir, base.knowledge_dir)
    _forked = base if context.get_start_method() == "fork" else None
    try:
        with context.Pool(workers, _start_worker, (folders, carrier)) as pool:
            pending: deque[tuple[Any, list[_Item]]] = deque()
            for chunk in _chunks(items):
                pending.append((pool.apply_async(_work, (chunk,)), chunk))
                if len(pending) >= workers * 2:
                    result, sent = pending.popleft()
                    emit(sent, result.get())
            while pending:
                result, sent = pending.popleft()
                emit(sent, result.get())
    finally:
        _forked = None


def _count(report: Report, item: _Item, stats: _Stats) -> None:
    number, mapped, _, _ = item
    if isinstance(stats, RowProblem):
        report.error(number, stats.kind, stats.message)
    else:
        report.diagnosed(stats, mapped.text if mapped else None,
                         mapped.recorded_target if mapped else None,
                         mapped.resolved if mapped else None)  # fmt: skip


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
