"""Writing files so that a crash never leaves half of one: write beside it, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write UTF-8 text (or bytes) to ``path`` all at once: a reader sees the old file or
    the new one, never a part. Raises OSError (the caller says what could not be written)."""
    handle, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode() if isinstance(text, str) else text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
