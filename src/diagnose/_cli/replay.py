"""``diagnose replay`` from the command line: open the export, map its columns, replay it
into the output, write the reports, print the counts, and update the frequency table."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from functools import partial
from pathlib import Path

import click

from .._api import KnowledgeBase
from .._errors import DiagnoseError, OutputError
from .._replay.mapping import Mapper
from .._replay.read import TicketSource
from .._replay.report import Report
from .._replay.run import csv_header, fingerprint, replay
from .._replay.sink import Sink

__all__ = ["run_replay", "write_frequencies"]


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
    resume: bool = False,
    workers: int = 1,
    update_frequencies: bool = False,
) -> None:
    for report_path in reports:
        if report_path.suffix.lower() not in (".html", ".htm", ".json"):
            raise OutputError(f"--report {report_path}: name it .html or .json")
        if not report_path.resolve().parent.is_dir():
            raise OutputError(f"--report {report_path}: the folder does not exist")
    source = TicketSource(source_path, encoding=encoding, kind=kind)
    try:
        mapper = Mapper(base._knowledge, pairs, mapping)
        if source.kind == "csv":
            mapper.resolve(source.columns)
        out_kind = "csv" if out is not None and out.suffix.lower() == ".csv" else "jsonl"
        header = csv_header() if out_kind == "csv" else ""
        sink = Sink(out, out_kind, stream=None if out else sys.stdout, header=header)
        workers = workers or os.cpu_count() or 1
        # the counts go to standard error when the rows go to standard output
        say = partial(click.echo, err=out is None)
        record = fingerprint(base, source, mapper, carrier=carrier, out_kind=out_kind)
        done = sink.resume(record) if resume else []
        if not resume:
            sink.start(record)
        report = Report(base._knowledge, source_path.name)
        progress = _Progress() if sys.stderr.isatty() else None
        try:
            summary = replay(base, source, mapper, sink, report, carrier=carrier,
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
    finally:
        source.close()
    for report_path in reports:
        report.write(report_path)
    rate = (summary.rows_in - summary.resumed) / summary.seconds if summary.seconds else 0.0
    resumed = f"  (resumed after {summary.resumed:,})" if summary.resumed else ""
    say(f"rows in: {summary.rows_in:,}  rows out: {summary.rows_out:,}  diagnosed: "
        f"{summary.diagnosed:,}  errors: {summary.errors:,}{resumed}")  # fmt: skip
    say(f"{rate:,.0f} rows/s, {summary.seconds:.1f} s; area incidents: {len(report.incidents)}")
    written = [str(p) for p in (out, *reports) if p is not None]
    if written:
        say("wrote " + ", ".join(written))
    if update_frequencies:
        target = write_frequencies(base, report.causes, summary.rows_in, source_path.name)
        say(f"updated {target}")


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


def write_frequencies(base: KnowledgeBase, causes: Counter[str], rows: int, source: str) -> Path:
    """Write the counted causes into the knowledge's frequencies.toml (atomically), keeping
    its header and source; causes not seen count 0."""
    knowledge = base._knowledge
    target = base.knowledge_dir / "frequencies.toml"
    if knowledge.frequencies is None or not target.exists():
        raise OutputError(f"no frequency table to update: {target} does not exist")
    old = target.read_text(encoding="utf-8")
    header = old[: old.index("[frequencies]")] if "[frequencies]" in old else ""
    sources = ", ".join(f'{{ doc = "{c.doc}", section = "{_escape(c.section)}" }}'
                        for c in knowledge.frequencies.source)  # fmt: skip
    lines = [
        "[frequencies]",
        f"# Counted by diagnose replay over {rows:,} rows of {source}; a cause not seen counts 0.",
        "default = 0",
        f"source = [{sources}]",
        "",
        "[frequencies.causes]",
        *(f'"{cause}" = {causes.get(cause, 0)}'
          for cause in sorted(knowledge.causes, key=lambda c: (-causes.get(c, 0), c))),
    ]  # fmt: skip
    text = header + "\n".join(lines) + "\n"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".frequencies.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, target)
    return target


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
