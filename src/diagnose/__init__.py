"""diagnose: rules-driven troubleshooting for telecom customer-service agents.

Give it a ticket (an error code, the customer's words, what is known); it returns the next
step, who to escalate to and by when, and what to say to the customer.

    >>> import diagnose
    >>> diagnose.diagnose({"error_code": 676}).status
    'self_service'

The pipeline, one private package each: ``_knowledge`` (read, validate and check the
TOML files) → ``_engine`` (compile the rules into experta, turn a ticket into facts, run,
rank the questions, explain) → ``Session`` (ask what matters, one question at a time) and
``_replay`` (stream old tickets through the same engine) → ``_cli`` (the command line).
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:  # the names, for type checkers; at run time each is imported when first used
    from ._api import CodeInfo, FactInfo, KnowledgeBase, ProblemInfo, RuleInfo, diagnose, load
    from ._errors import (
        DiagnoseError,
        InputError,
        KnowledgeError,
        KnowledgeIssue,
        MappingError,
        OutputError,
        SessionError,
        TicketError,
        TicketIssue,
    )
    from ._examples import ExampleResult, check_examples
    from ._models import (
        Answer,
        BadLine,
        Carrier,
        Diagnosis,
        Escalation,
        FactScore,
        FactValue,
        Misread,
        NextStep,
        Outcome,
        Question,
        Reading,
        ReadingScore,
        Reason,
        Status,
        Ticket,
        TraceEntry,
        Waiting,
        Why,
    )
    from ._session import Session

# where each public name lives: a command or an app imports only what it uses
_WHERE = {
    "._api": ("CodeInfo", "FactInfo", "KnowledgeBase", "ProblemInfo", "RuleInfo", "diagnose",
              "load"),
    "._errors": ("DiagnoseError", "InputError", "KnowledgeError", "KnowledgeIssue",
                 "MappingError", "OutputError", "SessionError", "TicketError", "TicketIssue"),
    "._examples": ("ExampleResult", "check_examples"),
    "._models": ("Answer", "BadLine", "Carrier", "Diagnosis", "Escalation", "FactScore",
                 "FactValue", "Misread", "NextStep", "Outcome", "Question", "Reading",
                 "ReadingScore", "Reason", "Status", "Ticket", "TraceEntry", "Waiting", "Why"),
    "._session": ("Session",),
}  # fmt: skip
_MODULE = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> _Any:
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module 'diagnose' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
    "Answer",
    "BadLine",
    "Carrier",
    "CodeInfo",
    "DiagnoseError",
    "Diagnosis",
    "Escalation",
    "ExampleResult",
    "FactInfo",
    "FactScore",
    "FactValue",
    "InputError",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeIssue",
    "MappingError",
    "Misread",
    "NextStep",
    "Outcome",
    "OutputError",
    "ProblemInfo",
    "Question",
    "Reading",
    "ReadingScore",
    "Reason",
    "RuleInfo",
    "Session",
    "SessionError",
    "Status",
    "Ticket",
    "TicketError",
    "TicketIssue",
    "TraceEntry",
    "Waiting",
    "Why",
    "__version__",
    "check_examples",
    "diagnose",
    "load",
]
