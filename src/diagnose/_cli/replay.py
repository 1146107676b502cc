"""``diagnose replay`` from the command line: open the export, map its columns, replay it
into the output, write the reports, print the counts, and update the frequency table."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click

from .._api import KnowledgeBase
from .._errors import DiagnoseError, OutputError
from .._knowledge import write_frequencies
from .._replay import (
    COMPACT,
    Mapper,
    ReplaySummary,
    Report,
    Sink,
    TicketSource,
    csv_header,
    fingerprint,
)
from .._replay import replay as replay_rows

__all__ = ["run_replay"]


def run_replay(
    base: KnowledgeBase,
    source_path: Path,
    *,
    pairs: tuple[str, ...] = (),
    mapping: Path | None = None,
    encoding: str | None = None,
    kind: str | None = None,
    carrier: str | None = None,
    out: Path | None = None,
    reports: tuple[Path, ...] = (),
    compact: bool = False,
    resume: bool = False,
    workers: int = 1,
    update_frequencies: bool = False,
) -> None:
    if compact and out is not None and out.suffix.lower() == ".csv":
        raise OutputError(f"--compact writes JSONL; name the output .jsonl, not {out.name}")
    for report_path in reports:
        if report_path.suffix.lower() not in (".html", ".htm", ".json"):
            raise OutputError(f"--report {report_path}: name it .html or .json")
        if not report_path.resolve().parent.is_dir():
            raise OutputError(f"--report {report_path}: the folder does not exist")
    source = TicketSource(source_path, encoding=encoding, kind=kind)
    try:
        mapper = Mapper(base, pairs, mapping)
        if source.kind == "csv":
            mapper.resolve(source.columns)
        report = Report(base.knowledge, source_path.name)
        summary = _replay(base, source, mapper, report, carrier=carrier, out=out,
                          compact=compact, resume=resume,
                          workers=workers or os.cpu_count() or 1)  # fmt: skip
    finally:
        source.close()
    for report_path in reports:
        report.write(report_path)
    # the counts go to standard error when the rows go to standard output
    say = partial(click.echo, err=out is None)
    _say_summary(say, summary, report, [p for p in (out, *reports) if p is not None])
    if update_frequencies:
        target = write_frequencies(base.knowledge, report.causes, summary.rows_in,
                                   source_path.name)  # fmt: skip
        say(f"updated {target}")


def _replay(
    base: KnowledgeBase,
    source: TicketSource,
    mapper: Mapper,
    report: Report,
    *,
    carrier: str | None,
    out: Path | None,
    compact: bool,
    resume: bool,
    workers: int,
) -> ReplaySummary:
    """Replay into OUT.partial (or standard output); a complete replay becomes OUT."""
    out_kind = "csv" if out is not None and out.suffix.lower() == ".csv" else "jsonl"
    out_kind = COMPACT if compact else out_kind
    header = csv_header() if out_kind == "csv" else ""
    sink = Sink(out, out_kind, stream=None if out else sys.stdout, header=header)
    record = fingerprint(base, source, mapper, carrier=carrier, out_kind=out_kind)
    done = sink.resume(record) if resume else []
    if not resume:
        sink.start(record)
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        summary = replay_rows(base, source, mapper, sink, report, carrier=carrier,
                              workers=workers, resume_from=done,
                              progress=progress.show if progress else None)  # fmt: skip
    except BaseException:
        sink.abandon()
        raise
    finally:
        if progress is not None:
            progress.end()
    if summary.rows_out != summary.rows_in:
        sink.abandon()
        raise DiagnoseError(f"{summary.rows_in} rows read but {summary.rows_out} written; "
                            "the output is left as .partial")  # fmt: skip
    sink.finish()
    return summary


def _say_summary(
    say: Callable[[str], None], summary: ReplaySummary, report: Report, written: list[Path]
) -> None:
    rate = (summary.rows_in - summary.resumed) / summary.seconds if summary.seconds else 0.0
    resumed = f"  (resumed after {summary.resumed:,})" if summary.resumed else ""
    say(f"rows in: {summary.rows_in:,}  rows out: {summary.rows_out:,}  diagnosed: "
        f"{summary.diagnosed:,}  errors: {summary.errors:,}{resumed}")  # fmt: skip
    say(f"{rate:,.0f} rows/s, {summary.seconds:.1f} s; area incidents: {len(report.incidents)}")
    if written:
        say("wrote " + ", ".join(str(p) for p in written))


class _Progress:
    """A progress line with the rate and the time left, on a terminal only."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.shown = False

    def show(self, rows: int, fraction: float) -> None:
        elapsed = time.perf_counter() - self.started
        rate = rows / elapsed if elapsed else 0.0
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        bar = "#" * int(fraction * 30)
        minutes, seconds = divmod(int(left), 60)
        click.echo(f"\r[{bar:<30}] {fraction:4.0%} {rows:>11,} rows {rate:>9,.0f}/s "
                   f"ETA {minutes}:{seconds:02d} ", nl=False, err=True)  # fmt: skip
        self.shown = True

    def end(self) -> None:
        if self.shown:
            click.echo(err=True)
