"""A note as a colleague reads it: normalised, cut into clauses, its negations, questions
and markers of before and now found. Every word comes from ``reading.toml``.

- Normalise: full-width digits, letters and punctuation folded (NFKC), English
  lower-cased, the typos and short forms agents type replaced, spaces collapsed.
- Clauses end at punctuation, at a space between two Chinese characters (agents separate
  items so: 手厅登不上 手机在手上), and before a break word (但是, 后来).
- A clause asks from a question word on (是否有错误代码: the code, not what precedes),
  or all of it when it ends as a question (吗, 吧, ?) or hedges (好像, 不确定).
- A negation is a negation word outside an idiom (没问题, 登不上); an idiom where a phrase
  starts inside it is none (不|错误代码).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from .._knowledge.schema import ReadingSpec

__all__ = ["Note", "Vocabulary", "join_cjk", "words_pattern"]

_PUNCTUATION = "，,。.;；!！\n\r\t|/:："
_QUESTION_MARKS = "?？"
_CJK_SPACE = r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])"
_CJK_GAP = re.compile(_CJK_SPACE)


@dataclass(frozen=True)
class Note:
    """A normalised note: its clauses (by start), where each begins to ask, which speak of
    before or now, and its negations (start, end, word)."""

    text: str
    starts: list[int]
    ends: list[int]
    asking_from: list[int | None]
    past: list[bool]
    now: list[bool]
    negations: list[tuple[int, int, str]]

    def clause(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def asks(self, position: int) -> bool:
        """Whether the words at this position are asked or hedged, not stated."""
        start = self.asking_from[self.clause(position)]
        return start is not None and position >= start


class Vocabulary:
    """The words of ``reading.toml``, compiled; plain reading without them."""

    def __init__(self, reading: ReadingSpec | None) -> None:
        def words(name: str) -> list[str]:
            return [w.lower() for w in getattr(reading, name)] if reading else []

        self.window = reading.window if reading else 6
        spelt = {**reading.typos, **reading.abbreviations} if reading else {}
        self._spelt = {k.lower(): v.lower() for k, v in spelt.items()}
        self._spelling = words_pattern(list(self._spelt), whole=True)
        self.negation = words_pattern(words("negations"))
        self._idiom = words_pattern(words("idioms"))
        self._asks = words_pattern(words("questions"))
        self._hedges = words_pattern(words("hedges"))
        self._ends = tuple(words("question_ends"))
        self._past, self._now = words_pattern(words("past")), words_pattern(words("now"))
        self._after = re.compile(
            r"[ ]?(?:" + "|".join(re.escape(w) for w in words("negations_after")) + r")(?=$|[" +
            re.escape(_PUNCTUATION + _QUESTION_MARKS) + r"]| )"
        ) if words("negations_after") else None  # fmt: skip
        self.units = tuple(words("units"))
        self.alternatives = words_pattern(words("alternatives"))
        breaks = "|".join(re.escape(w) for w in sorted(words("breaks"), key=len, reverse=True))
        marks = "[" + re.escape(_PUNCTUATION + _QUESTION_MARKS) + "]|" + _CJK_SPACE
        self._break = re.compile(f"(?P<mark>{marks})" + (f"|(?P<word>{breaks})" if breaks else ""))

    def normalise(self, text: str) -> str:
        low = unicodedata.normalize("NFKC", text).lower()
        if self._spelt:
            low = self._spelling.sub(lambda m: self._spelt[m.group(0)], low)
        return " ".join(low.split())

    def note(self, text: str, phrase_starts: list[int]) -> Note:
        """The clauses of a normalised text; ``phrase_starts``: where phrases begin (an
        idiom a phrase starts inside is no idiom)."""
        starts, ends, closing = [0], list[int](), list[str]()
        for match in self._break.finditer(text):
            if match.group("word") and match.start() == starts[-1] and closing:
                continue  # a break word after another (后来又说): one clause
            ends.append(match.start())
            closing.append(match.group(0))
            starts.append(match.end() if match.group("mark") else match.start())
        ends.append(len(text))
        closing.append("")
        asking, past, now = [], [], []
        for start, end, mark in zip(starts, ends, closing, strict=True):
            clause = text[start:end]
            asking.append(self._asking_from(clause, start, mark))
            past.append(self._past.search(clause) is not None)
            now.append(self._now.search(clause) is not None)
        idioms = [(m.start(), m.end()) for m in self._idiom.finditer(text)
                  if not any(m.start() < p < m.end() for p in phrase_starts)]  # fmt: skip
        negations = [(m.start(), m.end(), m.group(0)) for m in self.negation.finditer(text)
                     if not any(a <= m.start() < b for a, b in idioms)]  # fmt: skip
        return Note(text, starts, ends, asking, past, now, negations)

    def _asking_from(self, clause: str, start: int, closing: str) -> int | None:
        if self._hedges.search(clause):
            return start
        forward = self._asks.search(clause)
        if forward is not None:
            return start + forward.start()
        asked = closing != "" and closing in _QUESTION_MARKS
        if asked or (self._ends and clause.rstrip().endswith(self._ends)):
            return start
        return None

    def negated_after(self, text: str, end: int) -> str | None:
        """A negation just after a phrase, ending its clause (路由器 无): the word, or None."""
        if self._after is None:
            return None
        match = self._after.match(text, end)
        return match.group(0).strip() if match else None


def words_pattern(words: list[str], *, whole: bool = False) -> re.Pattern[str]:
    """Any of the words, the longest first; with ``whole``, an English word only whole."""
    if not words:
        return re.compile("(?!)")

    def one(word: str) -> str:
        if whole and word.isascii() and word.isalpha():
            return rf"(?<![a-z]){re.escape(word)}(?![a-z])"
        return re.escape(word)

    return re.compile("|".join(one(w) for w in sorted(words, key=len, reverse=True)))


def join_cjk(text: str) -> str:
    """The text without the spaces between Chinese characters (已 重启 → 已重启)."""
    return _CJK_GAP.sub("", text)
