"""From a ticket to the facts the rules test: checked, read from the text, derived.

``prepare`` checks every given value against the knowledge (every bad field reported at
once), reads the error code and the facts still unknown out of the ticket's text, and
adds what the knowledge says follows: the code catalog's ``code_catalogued`` and
``code_stage``, and each known fact's ``implies`` (a code on the screen means a dial-up
problem whose code was shown). Known facts that imply different values of one fact leave
it unknown, to be asked. What the ticket gives wins over what follows; what follows
from a known fact wins over what the text seems to say (the text fills only what is still
unknown, and what it fills may imply more); a hint (密码) fills only what is unknown
after that, and only where it fits what is known.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from .._errors import TicketError, TicketIssue
from .._knowledge.model import DERIVED_FACTS, Knowledge, parse_value
from .._limits import MAX_FACTS, MAX_TEXT, read_part
from .._models import FactValue, Reading

# what a text says: the code, the phrases' facts and the hints' (``TextReader.read``)
TextSays = tuple[Reading | None, dict[str, Reading], dict[str, Reading]]

__all__ = ["Prepared", "Reads", "TicketFields", "code_facts", "learned_through", "prepare"]

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


class Reads(Protocol):
    """What ``prepare`` needs of a reader: a ``TextReader``, or one that keeps a reading."""

    def read(self, text: str) -> TextSays: ...


@dataclass(frozen=True)
class Prepared:
    """A validated ticket as facts: what was given, read from the text and derived."""

    ticket: TicketFields
    facts: dict[str, FactValue]
    extracted: dict[str, Reading]  # fact → what the text said of it (perhaps left open)
    implied: dict[str, str]  # fact → the fact it follows from (``implies``, the catalog)
    carrier_assumed: bool = False  # nothing named the carrier: the knowledge's default


def _within_limits(ticket: TicketFields) -> tuple[str, dict[str, Reading]]:
    """Refuse a ticket of too many facts; the text as read (at most its first ``MAX_TEXT``
    characters: a whole export pasted into one field; ``read_part``), and the note that
    says so."""
    if len(ticket.facts) > MAX_FACTS:
        message = f"{len(ticket.facts):,} facts; a ticket gives at most {MAX_FACTS}"
        raise TicketError([TicketIssue("facts", message)])
    text = ticket.text or ""
    if len(text) <= MAX_TEXT:
        return text, {}
    part = read_part(text)
    cut = Reading(phrase=f"{len(part)}/{len(text)}", value=None, how="cut")
    return part, {"text": cut}


def prepare(knowledge: Knowledge, ticket: TicketFields, reader: Reads) -> Prepared:
    text, extracted = _within_limits(ticket)
    facts = _given(knowledge, ticket)
    if not ticket.text:
        implied = derive(knowledge, facts)
        return _prepared(knowledge, ticket, facts, {}, implied)
    code, said, hinted = reader.read(text)
    if code is not None and "error_code" not in facts:
        extracted["error_code"] = code  # two codes, neither said now: left open, and asked
        if code.value is not None:
            facts["error_code"] = code.value
    if knowledge.topics:
        said, hinted = _in_topic(knowledge, facts, said, hinted)
    implied = derive(knowledge, facts)
    filled = False
    for name, reading in said.items():  # the phrases fill what is still unknown
        if name not in facts:
            extracted[name] = reading
            if reading.value is not None:
                facts[name] = reading.value
                filled = True
    # a fact said two ways (691还是619) is still said: what it implies either way follows
    spoken = {name for name, reading in extracted.items() if reading.how == "conflict"}
    if filled or spoken:
        implied |= derive(knowledge, facts, spoken)
    if hinted and _hint(knowledge, hinted, facts, extracted):
        implied |= derive(knowledge, facts)
    return _prepared(knowledge, ticket, facts, extracted, implied)


def _in_topic(
    knowledge: Knowledge,
    facts: dict[str, FactValue],
    said: dict[str, Reading],
    hinted: dict[str, Reading],
) -> tuple[dict[str, Reading], dict[str, Reading]]:
    """A fact of some topics only (``topics``) is not taken from a note about another
    topic: the ticket's own topic, else the note's words for one, its error code, or a fact
    only one topic has (拨号报691 客户说密码没改过 is no handset login); it is read as
    ``other_topic``, with what named the topic. The reader's readings are left as they
    are (they are kept for the next ticket of the same text)."""
    about = _topic(knowledge, facts, said)
    if about is None:
        return said, hinted
    topic, words = about

    def scoped(found: dict[str, Reading]) -> dict[str, Reading]:
        off = {fact: Reading(phrase=reading.phrase, value=None, how="other_topic",
                             others=(words,))
               for fact, reading in found.items() if reading.value is not None
               and topic not in knowledge.topics.get(fact, (topic,))}  # fmt: skip
        return {**found, **off} if off else found

    return scoped(said), scoped(hinted)


def _topic(
    knowledge: Knowledge, facts: dict[str, FactValue], said: dict[str, Reading]
) -> tuple[str, str] | None:
    """The topic a ticket is about, and the words that say so, as far as it is known
    before the rules run: given, said, implied by the code or by a fact only one topic
    has (not hinted: a fact said outweighs a hint, as it does in filling the topic)."""
    given = facts.get("topic")
    if isinstance(given, str):
        return given, f"topic={given}"
    reading = said.get("topic")
    if reading is not None and isinstance(reading.value, str):
        return reading.value, reading.phrase
    code = facts.get("error_code")
    implied = knowledge.implies.get("error_code", {}).get("topic")
    if code is not None and isinstance(implied, str):
        return implied, str(code)
    # a fact read that only one topic has (服务密码: a password call)
    found = {(str(knowledge.implies[fact]["topic"]), r.phrase) for fact, r in said.items()
             if r.value is not None and fact not in knowledge.topics
             and "topic" in knowledge.implies.get(fact, {})}  # fmt: skip
    if len({topic for topic, _ in found}) != 1:
        return None
    return min(found)


def _hint(
    knowledge: Knowledge,
    hinted: dict[str, Reading],
    facts: dict[str, FactValue],
    extracted: dict[str, Reading],
) -> bool:
    """Fill from the hints what no phrase spoke of (or only negated), facts.toml order;
    whether a value was filled."""
    filled = False
    for name in sorted(hinted, key=knowledge.fact_order.__getitem__):
        reading, before = hinted[name], extracted.get(name)
        if name in facts or (before is not None and before.how != "negated"):
            continue
        if reading.value is None and before is not None:
            continue
        if _within(knowledge, name, facts):  # 宽带 says broadband only in a password call
            extracted[name] = reading
            if reading.value is not None:
                facts[name] = reading.value
                filled = True
    return filled


def _prepared(
    knowledge: Knowledge,
    ticket: TicketFields,
    facts: dict[str, FactValue],
    extracted: dict[str, Reading],
    implied: dict[str, str],
) -> Prepared:
    assumed = "carrier" not in facts
    facts.setdefault("carrier", knowledge.settings.default_carrier)
    return Prepared(ticket, facts, extracted, implied, assumed)


def _within(knowledge: Knowledge, name: str, facts: dict[str, FactValue]) -> bool:
    """Whether what a fact implies is known already, and agrees: a hint adds a detail to
    what the note has settled, and never settles more."""
    implies = knowledge.implies.get(name, {})
    return all(facts.get(fact) == value for fact, value in implies.items())


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


def derive(
    knowledge: Knowledge, facts: dict[str, FactValue], spoken: Collection[str] = ()
) -> dict[str, str]:
    """Add what follows from the known facts (and from ``spoken``: facts a note gives two
    values, which imply what any value implies), leaving every known fact as it is; each
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
            if name in facts or name in spoken:
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
