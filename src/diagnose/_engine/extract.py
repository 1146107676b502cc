"""Read the error code and facts out of a ticket's free text.

The words are knowledge, not code: the markers around an error code are in
``settings.code_before``/``code_after``, each fact's phrases in ``facts.toml`` and the words
naming a carrier (联通, 10086) in ``carriers.toml``. Phrases
are plain text (no patterns); where several phrases of one fact match, the longest wins, so
"没有路由器" beats "有路由器".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._knowledge.model import Knowledge
from .._models import FactValue

__all__ = ["TextReader"]

_CACHED = 50_000  # texts whose reading is kept (exports repeat their descriptions)
_MISSING = object()


@dataclass(frozen=True)
class _Phrase:
    text: str
    fact: str
    value: FactValue


class TextReader:
    def __init__(self, knowledge: Knowledge) -> None:
        settings = knowledge.settings
        before = _alternation(settings.code_before)
        after = _alternation(settings.code_after)
        patterns = []
        if before:
            patterns.append(rf"(?:{before})\s*[::=]?\s*(?:是|为|了)?\s*(?<!\d)(\d{{3,4}})(?!\d)")
        if after:
            patterns.append(rf"(?<!\d)(\d{{3,4}})\s*(?:{after})")
        self._marked = [re.compile(p, re.IGNORECASE) for p in patterns]
        self._bare = re.compile(r"(?<![\d.])(\d{3})(?![\d.])")
        self._catalog = frozenset(knowledge.codes)
        self._codes: dict[str, object] = {}
        self._phrases: dict[str, dict[str, tuple[FactValue, str]]] = {}
        # one pattern per fact: at each position, the longest of its phrases found there
        self._facts: list[tuple[str, re.Pattern[str], dict[str, tuple[int, _Phrase]]]] = []
        for name, spec in knowledge.facts.items():
            domain = knowledge.domains[name]
            phrases: list[_Phrase] = []
            for key, texts in spec.phrases.items():
                value: FactValue = (key == "true") if domain.type == "bool" else key
                phrases += [_Phrase(text.lower(), name, value) for text in texts]
            if name == "carrier":  # a carrier is named by its own words (carriers.toml)
                phrases += [_Phrase(text.lower(), name, carrier)
                            for carrier, said in knowledge.carriers.items()
                            for text in said.phrases]  # fmt: skip
            if not phrases:
                continue
            ordered = sorted(phrases, key=lambda p: -len(p.text))  # longest first, stable
            rank = {p.text: (index, p) for index, p in reversed(list(enumerate(ordered)))}
            pattern = re.compile("(?=(" + "|".join(re.escape(p.text) for p in ordered) + "))")
            self._facts.append((name, pattern, rank))

    def error_code(self, text: str) -> int | None:
        """The error code the text speaks of: one next to a marker word, else a bare
        three-digit number that is in the catalog."""
        cached = self._codes.get(text, _MISSING)
        if cached is _MISSING:
            cached = self._read_code(text)
            if len(self._codes) >= _CACHED:
                self._codes.clear()
            self._codes[text] = cached
        return cached  # type: ignore[return-value]

    def _read_code(self, text: str) -> int | None:
        found: list[tuple[int, int]] = []
        for pattern in self._marked:
            found += [(m.start(1), int(m.group(1))) for m in pattern.finditer(text)]
        if found:
            return min(found)[1]
        for match in self._bare.finditer(text):
            if int(match.group(1)) in self._catalog:
                return int(match.group(1))
        return None

    def facts(self, text: str, known: set[str]) -> dict[str, tuple[FactValue, str]]:
        """Facts mentioned in the text that are not already known: fact → (value, phrase).
        Of one fact's phrases in the text, the longest wins (then the first listed)."""
        every = self._phrases.get(text)
        if every is None:
            every = self._read_facts(text)
            if len(self._phrases) >= _CACHED:
                self._phrases.clear()
            self._phrases[text] = every
        return {name: hit for name, hit in every.items() if name not in known}

    def _read_facts(self, text: str) -> dict[str, tuple[FactValue, str]]:
        low = text.lower()
        found: dict[str, tuple[FactValue, str]] = {}
        for name, pattern, rank in self._facts:
            matches = pattern.findall(low)
            if matches:
                _, phrase = min(rank[m] for m in matches)
                found[name] = (phrase.value, phrase.text)
        return found


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
