"""Read the error code and facts out of a ticket's free text.

The words are knowledge, not code: the markers around an error code are in
``settings.code_before``/``code_after`` and each fact's phrases in ``facts.toml``. Phrases
are plain text (no patterns); where several phrases of one fact match, the longest wins, so
"没有路由器" beats "有路由器".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._knowledge import Knowledge
from ._models import FactValue

__all__ = ["TextReader"]


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
        phrases: list[_Phrase] = []
        for name, spec in knowledge.facts.items():
            domain = knowledge.domains[name]
            for key, texts in spec.phrases.items():
                value: FactValue = (key == "true") if domain.type == "bool" else key
                phrases += [_Phrase(text.lower(), name, value) for text in texts]
        # longest first; among equals, the order of facts.toml
        self._phrases = sorted(phrases, key=lambda p: -len(p.text))

    def error_code(self, text: str) -> int | None:
        """The error code the text speaks of: one next to a marker word, else a bare
        three-digit number that is in the catalog."""
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
        """Facts mentioned in the text that are not already known: fact → (value, phrase)."""
        low = text.lower()
        found: dict[str, tuple[FactValue, str]] = {}
        for phrase in self._phrases:
            if phrase.fact in known or phrase.fact in found:
                continue
            if phrase.text in low:
                found[phrase.fact] = (phrase.value, phrase.text)
        return found


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
