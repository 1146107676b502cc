"""Replay old tickets: read → map → count areas → diagnose (cached) → write → report.

``read`` streams an export's rows, ``mapping`` turns its columns into ticket fields,
``area`` counts tickets of one problem in one area, ``cache`` diagnoses each distinct set
of facts once, ``rows`` is the output row format that ``sink`` writes (atomically, with
resume), ``report`` sums it all up; ``run`` drives them.
"""

from .area import AreaWatch, Incident
from .cache import CachedDiagnoser
from .mapping import FIELDS, Mapped, Mapper, parse_time
from .read import Row, RowProblem, TicketSource, detect_encoding
from .report import Report
from .rows import COMPACT, CSV_COLUMNS, Counted, Result, csv_header
from .run import ReplaySummary, fingerprint, replay
from .sink import Sink, partial_rows

__all__ = [
    "COMPACT",
    "CSV_COLUMNS",
    "FIELDS",
    "AreaWatch",
    "CachedDiagnoser",
    "Counted",
    "Incident",
    "Mapped",
    "Mapper",
    "ReplaySummary",
    "Report",
    "Result",
    "Row",
    "RowProblem",
    "Sink",
    "TicketSource",
    "csv_header",
    "detect_encoding",
    "fingerprint",
    "parse_time",
    "partial_rows",
    "replay",
]
