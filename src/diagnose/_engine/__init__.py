"""Step 2 of the pipeline: the knowledge compiled into experta, and tickets run through it.

``conditions`` owns what a rule condition means (experta pattern, evaluation, wording,
intervals); ``compile`` builds the experta engine from them and ``run`` runs it. A ticket
becomes facts in ``facts`` (with ``extract`` reading free text); ``questions`` ranks what
to ask and ``explain`` writes the ``Diagnosis``; ``engine`` puts the steps together;
``scoring`` measures the reading against an annotated corpus of notes.
"""

from .conditions import Check, Conditions
from .engine import Consultation, Engine
from .explain import concludes, question
from .extract import TextReader
from .facts import Prepared, TicketFields, learned_through
from .questions import Candidate, Ranker
from .scoring import score_reading

__all__ = [
    "Candidate",
    "Check",
    "Conditions",
    "Consultation",
    "Engine",
    "Prepared",
    "Ranker",
    "TextReader",
    "TicketFields",
    "concludes",
    "learned_through",
    "question",
    "score_reading",
]
