"""diagnose: rules-driven troubleshooting for telecom customer-service agents.

Give it a ticket (an error code, the customer's words, what is known); it returns the next
step, who to escalate to and by when, and what to say to the customer.

    >>> import diagnose
    >>> diagnose.diagnose({"error_code": 676}).status
    'self_service'

The pipeline, one module each: ``_load`` (read and validate the TOML files) → ``_compile``
(build the experta engine) → ``_run`` (ticket to facts, run the engine) → ``_explain``
(the fired rules as a Diagnosis).
"""

from ._api import CodeInfo, FactInfo, KnowledgeBase, RuleInfo, diagnose, load
from ._errors import DiagnoseError, KnowledgeError, KnowledgeIssue, TicketError, TicketIssue
from ._examples import ExampleResult, check_examples
from ._models import (
    Carrier,
    Diagnosis,
    Escalation,
    FactValue,
    NextStep,
    Question,
    Status,
    Ticket,
    TraceEntry,
)

__version__ = "0.1.0"

__all__ = [
    "Carrier",
    "CodeInfo",
    "DiagnoseError",
    "Diagnosis",
    "Escalation",
    "ExampleResult",
    "FactInfo",
    "FactValue",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeIssue",
    "NextStep",
    "Question",
    "RuleInfo",
    "Status",
    "Ticket",
    "TicketError",
    "TicketIssue",
    "TraceEntry",
    "__version__",
    "check_examples",
    "diagnose",
    "load",
]
