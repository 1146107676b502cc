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
from .._errors import DiagnoseError
from .area import AreaWatch
from .cache import CachedDiagnoser
from .mapping import Mapped, Mapper
from .read import RowProblem, TicketSource
from .report import Report
from .rows import Counted, Result, counted_of, diagnosis_line, error_line
from .sink import Sink

__all__ = ["ReplaySummary", "fingerprint", "replay"]

_CHUNK = 1000
_Item = tuple[int, Mapped | None, RowProblem | None]
# what the report needs of a row: what its diagnosis counts for, or why it has none
_Stats = Counted | RowProblem


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

# In a worker process: its diagnoser, the output kind and the default carrier.
_worker: tuple[CachedDiagnoser, str, str | None] | None = None


def _start_worker(folders: tuple[Path, Path], kind: str, carrier: str | None) -> None:
    """Set up a worker process: it loads the knowledge itself."""
    global _worker
    _worker = (CachedDiagnoser(load(*folders)), kind, carrier)


def _work(chunk: list[_Item]) -> list[tuple[str, _Stats]]:
    assert _worker is not None
    return _rows(*_worker, chunk)


def _rows(
    diagnoser: CachedDiagnoser, kind: str, carrier: str | None, chunk: list[_Item]
) -> list[tuple[str, _Stats]]:
    return [_row(diagnoser, kind, carrier, item) for item in chunk]


def _row(
    diagnoser: CachedDiagnoser, kind: str, carrier: str | None, item: _Item
) -> tuple[str, _Stats]:
    number, mapped, problem = item
    row_id = mapped.id if mapped is not None else None
    if mapped is not None and problem is None:
        if mapped.carrier is None:
            mapped.carrier = carrier
        outcome = diagnoser.diagnose(mapped)
        if isinstance(outcome, Result):
            return diagnosis_line(number, row_id, outcome, kind), outcome.counted
        problem = outcome
    assert problem is not None
    return error_line(number, row_id, problem, kind), problem


# -- the replay --------------------------------------------------------------------------------


def _items(
    source: TicketSource, mapper: Mapper, watch: AreaWatch, base: KnowledgeBase
) -> Iterator[_Item]:
    reader = base.engine.reader
    counts_areas = "area_reports" in base.knowledge.facts
    for row in source:
        if row.problem is not None or row.fields is None:
            yield row.number, None, row.problem or RowProblem("empty", "empty line")
            continue
        mapped = mapper.map(row.fields)
        if mapped.problem is not None:
            yield row.number, mapped, mapped.problem
            continue
        if counts_areas and mapped.area and mapped.reported_at:
            code = mapped.error_code
            if code is None and mapped.text and reader.may_name(mapped.text, watch.codes):
                code = reader.error_code(mapped.text)
            problem = watch.problem(code)
            if problem is not None:
                count = watch.observe(row.number, mapped.area, mapped.reported_at, problem)
                mapped.facts.setdefault("area_reports", count)
        yield row.number, mapped, None


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

    def emit(chunk: list[_Item], results: list[tuple[str, _Stats]]) -> None:
        nonlocal shown
        sink.write([line for line, _ in results])
        for item, (_, stats) in zip(chunk, results, strict=True):
            _count(report, item, stats)
        if progress is not None and time.perf_counter() - shown > 0.25:
            shown = time.perf_counter()
            progress(sink.written, source.fraction_read)

    if workers <= 1:
        diagnoser = CachedDiagnoser(base)
        for chunk in _chunks(items):
            emit(chunk, _rows(diagnoser, sink.kind, carrier, chunk))
        engine_runs = diagnoser.engine_runs
    else:
        _in_workers(base, items, sink.kind, carrier, workers, emit)
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
    kind: str,
    carrier: str | None,
    workers: int,
    emit: Callable[[list[_Item], list[tuple[str, _Stats]]], None],
) -> None:
    """Diagnose chunks in worker processes, emitting their rows in input order."""
    context = multiprocessing.get_context("fork" if _can_fork() else "spawn")
    folders = (base.rules_dir, base.knowledge_dir)
    with context.Pool(workers, _start_worker, (folders, kind, carrier)) as pool:
        pending: deque[tuple[Any, list[_Item]]] = deque()
        for chunk in _chunks(items):
            pending.append((pool.apply_async(_work, (chunk,)), chunk))
            if len(pending) >= workers * 2:
                result, sent = pending.popleft()
                emit(sent, result.get())
        while pending:
            result, sent = pending.popleft()
            emit(sent, result.get())


def _count(report: Report, item: _Item, stats: _Stats) -> None:
    number, mapped, _ = item
    if isinstance(stats, RowProblem):
        report.error(number, stats.kind, stats.message)
    else:
        report.diagnosed(stats, mapped.text if mapped else None,
                         mapped.recorded_target if mapped else None,
                         mapped.resolved if mapped else None)  # fmt: skip


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
