"""Step 2 of the pipeline: the knowledge compiled into experta, and tickets run through it.

``conditions`` owns what a rule condition means (evaluation, wording, intervals);
``modules`` splits the rules into an intake module and one module per problem,
``compile`` builds each module's experta engine from the conditions and ``run`` runs a
ticket through the intake module and its problem's module; ``memo`` keeps what was
worked out. A ticket
becomes facts in ``facts`` (with ``extract`` reading free text); ``questions`` ranks what
to ask and ``explain`` writes the ``Diagnosis``; ``engine`` puts the steps together;
``scoring`` measures the reading against an annotated corpus of notes.
"""

from .conditions import Check, Conditions
from .engine import Consultation, Engine
from .explain import concludes, question
from .extract import TextReader
from .facts import Prepared, Reads, TextSays, TicketFields, learned_through
from .memo import Memo
from .questions import Candidate, Ranker
from .scoring import score_reading

__all__ = [
    "Candidate",
    "Check",
    "Conditions",
    "Consultation",
    "Engine",
    "Memo",
    "Prepared",
    "Ranker",
    "Reads",
    "TextReader",
    "TextSays",
    "TicketFields",
    "concludes",
    "learned_through",
    "question",
    "score_reading",
]
