"""Faults only visible across tickets: many of one kind in one area at once.

Replay reads tickets in file order. For each area and each problem of
``settings.area_problems`` it keeps the times of that problem's tickets within the last
``settings.area_window_minutes``; a ticket's ``area_reports`` is how many there are,
itself included. From ``thresholds.area_incident`` on, the area has an incident of that
problem: it lasts while such tickets keep coming within the window; the report lists it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from .._knowledge import Knowledge

__all__ = ["AreaWatch", "Incident"]


@dataclass
class Incident:
    """An area where counted tickets reached the threshold within the window."""

    area: str
    problem: str
    started: datetime  # the first counted ticket of the window that reached the threshold
    last: datetime
    first_row: int  # the row at which the threshold was reached
    last_row: int
    tickets: int  # counted tickets from ``started`` to ``last``
    peak: int  # the most counted within one window

    def as_dict(self) -> dict[str, object]:
        return {"area": self.area, "problem": self.problem, "from": self.started.isoformat(sep=" "),
                "to": self.last.isoformat(sep=" "), "first_row": self.first_row,
                "last_row": self.last_row, "tickets": self.tickets, "peak": self.peak}  # fmt: skip


class AreaWatch:
    def __init__(self, knowledge: Knowledge) -> None:
        settings = knowledge.settings
        self.window = timedelta(minutes=settings.area_window_minutes)
        self.threshold = settings.thresholds.get("area_incident")
        self._problems = frozenset(settings.area_problems)
        self._code_problem = {code: spec.problem for code, spec in knowledge.codes.items()}
        # the codes whose tickets are counted
        self.codes = frozenset(c for c, p in self._code_problem.items() if p in self._problems)
        self._recent: dict[tuple[str, str], deque[datetime]] = {}
        self._open: dict[tuple[str, str], Incident] = {}
        self.incidents: list[Incident] = []

    def problem(self, error_code: int | None) -> str | None:
        """The problem a ticket with this code is counted under, if it is counted."""
        problem = self._code_problem.get(error_code) if error_code is not None else None
        return problem if problem in self._problems else None

    def observe(self, row: int, area: str, when: datetime, problem: str | None) -> int:
        """Record a ticket; how many of its problem its area had within the window."""
        if problem is None:
            return 0
        key = (area, problem)
        recent = self._recent.get(key)
        if recent is None:
            recent = self._recent[key] = deque()
        while recent and recent[0] < when - self.window:
            recent.popleft()
        recent.append(when)
        count = len(recent)
        incident = self._open.get(key)
        if incident is not None and when - incident.last > self.window:
            incident = None  # that one ended; a new one may start
            del self._open[key]
        if incident is not None:
            incident.last, incident.last_row = when, row
            incident.tickets += 1
            incident.peak = max(incident.peak, count)
        elif self.threshold is not None and count >= self.threshold:
            incident = Incident(area, problem, recent[0], when, row, row, count, count)
            self._open[key] = incident
            self.incidents.append(incident)
        return count
