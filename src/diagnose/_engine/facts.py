"""From a ticket to the facts the rules test: checked, read from the text, derived.

``prepare`` checks every given value against the knowledge (every bad field reported at
once), reads the error code and the facts still unknown out of the ticket's text, and
adds what the knowledge says follows: the code catalog's ``code_catalogued`` and
``code_stage``, and each known fact's ``implies`` (a code on the screen means a dial-up
problem whose code was shown). Known facts that imply different values of one fact leave
it unknown, to be asked. What the ticket gives wins over what follows; what follows
from a known fact wins over what the text seems to say (the text fills only what is still
unknown, and what it fills may imply more).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .._errors import TicketError, TicketIssue
from .._knowledge.model import DERIVED_FACTS, Knowledge, parse_value
from .._models import FactValue
from .extract import TextReader

__all__ = ["Prepared", "TicketFields", "code_facts", "learned_through", "prepare"]

# Facts the engine derives from one the agent can be asked for.
_LEARNED_THROUGH = {"code_stage": "error_code", "code_catalogued": "error_code"}


def learned_through(fact: str) -> str:
    """The fact to ask for to learn this one: itself, or the one it is derived from."""
    return _LEARNED_THROUGH.get(fact, fact)


class TicketFields(Protocol):
    """What ``prepare`` reads of a ticket: a ``Ticket``, or a replayed row."""

    @property
    def id(self) -> str | None: ...
    @property
    def carrier(self) -> str | None: ...
    @property
    def error_code(self) -> int | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def facts(self) -> dict[str, FactValue]: ...


@dataclass(frozen=True)
class Prepared:
    """A validated ticket as facts: what was given, read from the text and derived."""

    ticket: TicketFields
    facts: dict[str, FactValue]
    extracted: dict[str, str]  # fact → the phrase of the text it was read from
    implied: dict[str, str]  # fact → the fact it follows from (``implies``, the catalog)
    carrier_assumed: bool = False  # nothing named the carrier: the knowledge's default


def prepare(knowledge: Knowledge, ticket: TicketFields, reader: TextReader) -> Prepared:
    facts = _given(knowledge, ticket)
    extracted: dict[str, str] = {}
    if ticket.text and "error_code" not in facts:
        code = reader.error_code(ticket.text)
        if code is not None:
            facts["error_code"] = code
            extracted["error_code"] = str(code)
    implied = derive(knowledge, facts)
    if ticket.text:
        for name, (value, phrase) in reader.facts(ticket.text, set(facts)).items():
            facts[name] = value
            extracted[name] = phrase
        implied |= derive(knowledge, facts)
    assumed = "carrier" not in facts
    facts.setdefault("carrier", knowledge.settings.default_carrier)
    return Prepared(ticket, facts, extracted, implied, assumed)


def _given(knowledge: Knowledge, ticket: TicketFields) -> dict[str, FactValue]:
    """The ticket's own facts and fields, each checked; a TicketError names every bad one."""
    facts: dict[str, FactValue] = {}
    issues: list[TicketIssue] = []
    for name, value in ticket.facts.items():
        field = f"facts.{name}"
        if name in DERIVED_FACTS:
            issues.append(TicketIssue(field, "is derived by the engine; it cannot be given"))
        elif name not in knowledge.facts:
            known = ", ".join(sorted(knowledge.facts))
            issues.append(TicketIssue(field, f"unknown fact (known facts: {known})"))
        else:
            try:
                facts[name] = parse_value(knowledge.domains[name], value)
            except ValueError as error:
                issues.append(TicketIssue(field, str(error)))
    for name, shown in (("error_code", ticket.error_code), ("carrier", ticket.carrier)):
        if shown is None:
            continue
        try:
            value = knowledge.domains[name].check(shown)
        except ValueError as error:
            issues.append(TicketIssue(name, str(error)))
            continue
        if name in facts and facts[name] != value:
            issues.append(TicketIssue(name, f"{value!r} differs from facts.{name}"))
        facts[name] = value
    if issues:
        raise TicketError(issues)
    return facts


def code_facts(knowledge: Knowledge, code: int) -> dict[str, FactValue]:
    """What the code catalog says of an error code: whether it is in it, and its stage."""
    entry = knowledge.codes.get(code)
    if entry is None:
        return {"code_catalogued": False}
    return {"code_catalogued": True, "code_stage": entry.stage}


def derive(knowledge: Knowledge, facts: dict[str, FactValue]) -> dict[str, str]:
    """Add what follows from the known facts, leaving every known fact as it is; each
    fact added, with the fact it follows from."""
    added: dict[str, str] = {}
    code = facts.get("error_code")
    if isinstance(code, int):
        derived = code_facts(knowledge, code)
        facts.update(derived)
        added |= dict.fromkeys(derived, "error_code")
    while True:  # until nothing more follows: one implied fact may imply another
        said: dict[str, dict[FactValue, str]] = {}  # unknown fact → value → the fact saying it
        for name, implies in knowledge.implies.items():
            if name in facts:
                for implied, value in implies.items():
                    if implied not in facts:
                        said.setdefault(implied, {}).setdefault(value, name)
        # known facts that imply different values leave the fact unknown: it is asked
        agreed = {fact: next(iter(values.items())) for fact, values in said.items()
                  if len(values) == 1}  # fmt: skip
        if not agreed:
            return added
        for fact, (value, source) in agreed.items():
            facts[fact] = value
            added[fact] = source
