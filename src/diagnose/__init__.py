"""diagnose: rules-driven troubleshooting for telecom customer-service agents.

Give it a ticket (an error code, the customer's words, what is known); it returns the next
step, who to escalate to and by when, and what to say to the customer.

    >>> import diagnose
    >>> diagnose.diagnose({"error_code": 676}).status
    'self_service'

The pipeline, one module each: ``_load`` (read and validate the TOML files) → ``_compile``
(build the experta engine) → ``_run`` (ticket to facts, run the engine) → ``_explain``
(the fired rules as a Diagnosis). ``Session`` asks the questions that matter, one at a
time (``_questions`` picks them). ``diagnose replay`` streams old tickets through the same
pipeline: ``_read`` → ``_mapping`` → ``_area`` → ``_cache`` → ``_output`` and ``_report``,
driven by ``_replay``.
"""

from ._api import CodeInfo, FactInfo, KnowledgeBase, RuleInfo, diagnose, load
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
    Carrier,
    Diagnosis,
    Escalation,
    FactValue,
    NextStep,
    Outcome,
    Question,
    Reason,
    Status,
    Ticket,
    TraceEntry,
    Waiting,
    Why,
)
from ._session import Session

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "Carrier",
    "CodeInfo",
    "DiagnoseError",
    "Diagnosis",
    "Escalation",
    "ExampleResult",
    "FactInfo",
    "FactValue",
    "InputError",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeIssue",
    "MappingError",
    "NextStep",
    "Outcome",
    "OutputError",
    "Question",
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
