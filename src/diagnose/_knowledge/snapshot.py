"""A loaded knowledge kept on disk, so that the next process starts without reading,
parsing and checking every file again (as Python keeps compiled modules).

A snapshot is found by what it was loaded from: the folders' paths and the bytes of every
TOML file in them, and the code of diagnose and the version of Python that loaded it; any
change is another snapshot, never a stale one. It holds rules and knowledge only, never a
ticket. It is written once a knowledge has loaded without a problem (a knowledge with
errors is read and reported every time), and read only from a folder of the user's own
that nobody else can write to. A snapshot that cannot be read or written is no error:
the files are loaded.

The folder: ``$DIAGNOSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/diagnose``, else
``~/.cache/diagnose``; ``DIAGNOSE_CACHE_DIR=`` (empty) keeps no snapshots. It keeps the
newest eight.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from .._files import write_atomic
from .model import Knowledge

__all__ = ["digest", "snapshot"]

_VERSION = "diagnose-knowledge/1"
_KEPT = 8  # snapshots kept in the folder, the newest


def digest(rules_dir: Path, knowledge_dir: Path) -> str:
    """The rule and knowledge files' digest: their names and bytes, rules first."""
    found = hashlib.sha256()
    for folder in (rules_dir, knowledge_dir):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            found.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return found.hexdigest()


def _code() -> str:
    """The digest of diagnose's own code: a snapshot is read by the code that wrote it."""
    global _CODE
    if _CODE is None:
        found = hashlib.sha256(sys.version.encode())
        package = Path(__file__).resolve().parents[1]
        for path in sorted(package.rglob("*.py")):
            found.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
        _CODE = found.hexdigest()
    return _CODE


_CODE: str | None = None


def _folder() -> Path | None:
    chosen = os.environ.get("DIAGNOSE_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diagnose"


def _own(path: Path) -> bool:
    """Whether a file or folder is the user's and nobody else can write to it."""
    found = path.stat()
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return mine and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def snapshot(rules_dir: Path, knowledge_dir: Path, load: Callable[[], Knowledge]) -> Knowledge:
    """The knowledge these folders hold: from its snapshot if there is one, else ``load()``
    (and a snapshot kept for next time)."""
    files = digest(rules_dir, knowledge_dir)
    folder = _folder()
    if folder is None:
        knowledge = load()
        knowledge.digest = files
        return knowledge
    key = hashlib.sha256("\0".join(
        (_VERSION, _code(), str(rules_dir.resolve()), str(knowledge_dir.resolve()), files)
    ).encode()).hexdigest()  # fmt: skip
    path = folder / f"{key}.pickle"
    try:
        if path.is_file() and _own(folder) and _own(path):
            kept = pickle.loads(path.read_bytes())  # the user's own (``_own``)
            if isinstance(kept, Knowledge) and kept.digest == files:
                return kept
    except Exception:  # a snapshot that does not read: the files are loaded
        pass
    knowledge = load()
    knowledge.digest = files
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _own(folder):
            write_atomic(path, pickle.dumps(knowledge, protocol=pickle.HIGHEST_PROTOCOL))
            _prune(folder)
    except Exception:  # none kept: the next start loads the files
        pass
    return knowledge


def _prune(folder: Path) -> None:
    """Keep the newest ``_KEPT`` snapshots: older code or files made the others."""
    found = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[_KEPT:]:
        old.unlink(missing_ok=True)
