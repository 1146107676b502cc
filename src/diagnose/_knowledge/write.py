"""Write what replay counted back into the knowledge: the cause frequencies that order
session questions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .._errors import OutputError
from .._files import write_atomic
from .model import Knowledge

__all__ = ["write_frequencies"]


def write_frequencies(knowledge: Knowledge, causes: Counter[str], rows: int, source: str) -> Path:
    """Write the counted causes into the knowledge's frequencies.toml (atomically), keeping
    its header and source; causes not seen count 0."""
    target = knowledge.knowledge_dir / "frequencies.toml"
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
    try:
        write_atomic(target, header + "\n".join(lines) + "\n")
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
