"""A loaded knowledge kept on disk, so that the next process starts without reading,
parsing and checking every file again (as Python keeps compiled modules).

A snapshot is found by what it was loaded from: the folders' paths and the bytes of every
TOML file in them, and the code of diagnose and the versions of Python and pydantic that
loaded it; any change is another snapshot, never a stale one (nor is one kept of files
that changed while they loaded). It holds rules and knowledge only, never a ticket. It is
written once a knowledge has loaded without a problem (a knowledge with errors is read
and reported every time), and read only from a folder of the user's own that nobody else
can write to. A snapshot that cannot be read or written is no error: the files are
loaded.

The folder: ``$DIAGNOSE_CACHE_DIR``, else ``$XDG_CACHE_HOME/diagnose``, else
``~/.cache/diagnose``; ``DIAGNOSE_CACHE_DIR=`` (empty) keeps no snapshots. It keeps the
newest eight of its own (named by their key) and leaves any other file alone.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic.version import VERSION as PYDANTIC_VERSION  # a snapshot holds its models

from .._files import write_atomic
from .model import Knowledge

__all__ = ["digest", "snapshot"]

_VERSION = "diagnose-knowledge/1"
_KEPT = 8  # snapshots kept in the folder, the newest
_NAME = re.compile(r"[0-9a-f]{64}\.pickle")  # a snapshot's name: its key
_ATTEMPTS = 3  # loads tried while files change under them


def digest(rules_dir: Path, knowledge_dir: Path) -> str:
    """The rule and knowledge files' digest: their names and bytes, rules first (a file
    that cannot be read counts as such: loading it says why)."""
    found = hashlib.sha256()
    for folder in (rules_dir, knowledge_dir):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                data = path.read_bytes()
            except OSError as error:
                data = f"unreadable: {type(error).__name__}".encode()
            found.update(path.name.encode() + b"\0" + data + b"\0")
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


def _own(found: os.stat_result) -> bool:
    """Whether a file or folder is the user's and nobody else can write to it."""
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return mine and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _key(rules_dir: Path, knowledge_dir: Path, files: str) -> str:
    return hashlib.sha256("\0".join(
        (_VERSION, _code(), PYDANTIC_VERSION, str(rules_dir.resolve()),
         str(knowledge_dir.resolve()), files)
    ).encode()).hexdigest()  # fmt: skip


def snapshot(rules_dir: Path, knowledge_dir: Path, load: Callable[[], Knowledge]) -> Knowledge:
    """The knowledge these folders hold: from its snapshot if there is one, else ``load()``
    (and a snapshot kept for next time, unless a file changed while it loaded)."""
    folder = _folder()
    files = digest(rules_dir, knowledge_dir)
    if folder is not None:
        kept = _read(folder / f"{_key(rules_dir, knowledge_dir, files)}.pickle", files)
        if kept is not None:  # as loaded from these folders, however they were named then
            kept.rules_dir, kept.knowledge_dir = rules_dir, knowledge_dir
            return kept
    for _ in range(_ATTEMPTS):
        knowledge = load()
        after = digest(rules_dir, knowledge_dir)
        knowledge.digest = after
        if after == files:
            break
        files = after  # a file changed while it loaded: what it read is not known
    else:
        return knowledge  # the files keep changing: no snapshot of them
    if folder is not None:
        _write(folder, folder / f"{_key(rules_dir, knowledge_dir, files)}.pickle", knowledge)
    return knowledge


def _read(path: Path, files: str) -> Knowledge | None:
    """The snapshot at ``path``, if it is there, of these files, and only the user can have
    written it (its folder and the file itself, as opened: no link followed)."""
    try:
        if not _own(path.parent.stat()):
            return None
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as opened:
            if not _own(os.fstat(opened.fileno())):
                return None
            kept = pickle.loads(opened.read())  # the user's own (``_own``)
    except Exception:  # a snapshot that does not read: the files are loaded
        return None
    return kept if isinstance(kept, Knowledge) and kept.digest == files else None


def _write(folder: Path, path: Path, knowledge: Knowledge) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _own(folder.stat()):
            write_atomic(path, pickle.dumps(knowledge, protocol=pickle.HIGHEST_PROTOCOL))
            _prune(folder)
    except Exception:  # none kept: the next start loads the files
        pass


def _prune(folder: Path) -> None:
    """Keep the newest ``_KEPT`` snapshots (older code or files made the others); any
    other file in the folder is left alone."""
    found = [path for path in folder.glob("*.pickle") if _NAME.fullmatch(path.name)]
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in found[_KEPT:]:
        old.unlink(missing_ok=True)
