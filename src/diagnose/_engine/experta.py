"""The one place diagnose imports experta, made safe for a library.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``: gone since
Python 3.10. When that old frozendict is what the installer picked, the name is lent for
the length of the import and taken back at once. experta also calls
``logging.basicConfig()`` on import, which would install a handler on the host's root
logger; the root logger's handlers and level are put back as they were.

experta logs every match and firing through its ``experta.*`` loggers. A library keeps
quiet in its host's logs: those loggers stop at WARNING and do not propagate. A host that
wants the trace raises them: ``logging.getLogger("experta").setLevel(logging.DEBUG)`` and
``.propagate = True``.
"""

from __future__ import annotations

import collections
import collections.abc
import logging


def _import_experta() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    lent = not hasattr(collections, "Mapping")
    if lent:
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    try:
        import experta  # noqa: F401
    finally:
        if lent:
            del collections.Mapping  # type: ignore[attr-defined]
        root.handlers[:] = handlers
        root.setLevel(level)


def _silence_experta() -> None:
    logger = logging.getLogger("experta")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(logging.NullHandler())


_import_experta()
_silence_experta()

from experta import NOT, Fact, InitialFact, KnowledgeEngine, P, Rule  # noqa: E402
from experta.abstract import Strategy  # noqa: E402
from experta.matchers import ReteMatcher  # noqa: E402
from experta.matchers.rete.utils import prepare_rule  # noqa: E402

__all__ = [
    "NOT", "Fact", "InitialFact", "KnowledgeEngine", "P", "ReteMatcher", "Rule", "Strategy",
    "prepare_rule",
]  # fmt: skip
