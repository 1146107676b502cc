"""Read the error code and facts out of a ticket's free text, as a colleague reads a note.

1. The note (``note``): normalised, cut into clauses, its negations and questions found.
2. Every phrase of every fact is found (``facts.toml`` phrases and hints; a carrier's in
   ``carriers.toml``), spaces between Chinese characters allowed (光猫 已 重启). A phrase
   inside a longer one is not read (没有路由器, not 有路由器; 重启过电脑 is no restarted
   modem), a hint only inside a longer hint or a neutral phrase (上网正常); digits and
   English words match whole.
3. Each phrase is read in its clause: asked or hedged, it leaves the fact open; a negation
   just before it (or ending the clause just after it: 路由器 无) flips a yes/no fact and
   leaves another one open; two negations leave it open.
4. One fact, two values: a later clause about now (or earlier ones about before) is a
   change and the later value stands; otherwise a conflict, and the fact stays open.
5. The error code: next to a marker word, or a bare three-digit code of the catalog; not
   an amount or a count (678元, 691次), not one asked, negated (不是796) or given as one
   of two (691还是619); codes said before give way to the one said now.

Every phrase, negation and marker word is knowledge, never code. Each fact read comes with
its ``Reading``: the phrase, the value, how it was read.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from .._knowledge.model import Knowledge
from .._models import FactValue, Reading
from .note import Note, Vocabulary, join_cjk

__all__ = ["TextReader", "phrase_pattern"]

_CACHED = 50_000  # texts whose reading is kept (exports repeat their descriptions)
_MISSING = object()


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One pattern finding every phrase at every position (overlaps too): the phrases as a
    trie, longest first, so a position costs one pass however many phrases there are. A
    space may stand between two Chinese characters of a phrase."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict, after: str = "") -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = []
        for char, child in sorted(node.items()):
            if char:
                gap = " ?" if after and not after.isascii() and not char.isascii() else ""
                branches.append(gap + re.escape(char) + walk(child, char))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    body = walk(trie) or "(?!)"
    return re.compile(f"(?=({body}))")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    phrase: str
    fact: str  # "": a neutral phrase, read as nothing
    value: FactValue
    weak: bool  # a hint: read only if nothing else gives the fact


class TextReader:
    def __init__(self, knowledge: Knowledge) -> None:
        self._words = Vocabulary(knowledge.reading)
        self._init_codes(knowledge)
        self._by_phrase: dict[str, list[tuple[str, FactValue, bool]]] = {}

        def add(text: str, fact: str, value: FactValue, weak: bool) -> None:
            key = join_cjk(self._words.normalise(text))
            self._by_phrase.setdefault(key, []).append((fact, value, weak))

        for name, spec in knowledge.facts.items():
            boolean = knowledge.domains[name].type == "bool"
            for weak, keyed in ((False, spec.phrases), (True, spec.hints)):
                for key, texts in keyed.items():
                    for text in texts:
                        add(text, name, (key == "true") if boolean else key, weak)
        for text in knowledge.reading.neutral if knowledge.reading else []:
            add(text, "", "", False)
        if "carrier" in knowledge.facts:  # a carrier is named by its own words
            for carrier, said in knowledge.carriers.items():
                for text in said.phrases:
                    add(text, "carrier", carrier, False)
        self._phrases = phrase_pattern(list(self._by_phrase))
        self._read: dict[str, tuple[dict[str, Reading], dict[str, Reading]]] = {}

    def _init_codes(self, knowledge: Knowledge) -> None:
        settings = knowledge.settings
        before = _alternation(settings.code_before)
        after = _alternation(settings.code_after)
        patterns = []
        if before:
            patterns.append(
                rf"(?:{before})\s*[::=]?\s*(?:是|为|了)?\s*[\"“”']?(?<!\d)(\d{{3,4}})(?!\d)"
            )
        if after:
            patterns.append(rf"(?<!\d)(\d{{3,4}})\s*(?:{after})")
        # three digits alone: not part of a longer number, a time, a date or an amount
        patterns.append(r"(?<!\d)(?<!\d[.:/-])(\d{3})(?!\d|[.:/-]\d)")
        self._bare = len(patterns) - 1
        self._code_patterns = [re.compile(p, re.IGNORECASE) for p in patterns]
        self._catalog = frozenset(knowledge.codes)
        self._codes: dict[str, object] = {}

    # -- the error code --------------------------------------------------------------------

    def error_code(self, text: str) -> int | None:
        """The error code the text speaks of, if it settles one."""
        reading = self.code(text)
        return reading.value if reading is not None else None  # type: ignore[return-value]

    def code(self, text: str) -> Reading | None:
        """The error code the text speaks of, with how it was read: one next to a marker
        word, else a bare three-digit number that is in the catalog; None if the text
        settles none."""
        cached = self._codes.get(text, _MISSING)
        if cached is _MISSING:
            cached = self._read_code(self._words.normalise(text))
            if len(self._codes) >= _CACHED:
                self._codes.clear()
            self._codes[text] = cached
        return cached  # type: ignore[return-value]

    def _read_code(self, text: str) -> Reading | None:
        found: dict[int, int] = {}  # position → code
        for index, pattern in enumerate(self._code_patterns):
            for match in pattern.finditer(text):
                code, start = int(match.group(1)), match.start(1)
                if index == self._bare and code not in self._catalog:
                    continue
                if not text.startswith(self._words.units, match.end(1)):
                    found.setdefault(start, code)
        if not found:
            return None
        note = self._words.note(text, [])
        said = [(p, c) for p, c in sorted(found.items())
                if not note.asks(p) and not self._negation_before(note, p)]  # fmt: skip
        if self._alternatives(note, said):
            return None
        return _settle([(note.clause(p), Reading(phrase=str(c), value=c, how="said"))
                        for p, c in said], note) if said else None  # fmt: skip

    def _negation_before(self, note: Note, position: int) -> bool:
        clause = note.clause(position)
        return any(0 <= position - end <= 1 and note.clause(start) == clause
                   for start, end, _ in note.negations)  # fmt: skip

    def _alternatives(self, note: Note, said: list[tuple[int, int]]) -> bool:
        """Two codes given as one or the other (691还是619)."""
        for (a, first), (b, second) in itertools.pairwise(said):
            if first != second and self._words.alternatives.search(note.text, a, b):
                return True
        return False

    # -- the facts -------------------------------------------------------------------------

    def facts(self, text: str, known: set[str]) -> dict[str, Reading]:
        """What the text's phrases say of each fact not already known (a reading whose value
        is None says the text left the fact open, and why)."""
        said = self._readings(text)[0]
        return {name: reading for name, reading in said.items() if name not in known}

    def hints(self, text: str, known: set[str]) -> dict[str, Reading]:
        """What the text's hints suggest of each fact not known."""
        hinted = self._readings(text)[1]
        return {name: reading for name, reading in hinted.items() if name not in known}

    def _readings(self, text: str) -> tuple[dict[str, Reading], dict[str, Reading]]:
        every = self._read.get(text)
        if every is None:
            every = self._read_facts(text)
            if len(self._read) >= _CACHED:
                self._read.clear()
            self._read[text] = every
        return every

    def _hits(self, text: str) -> list[_Hit]:
        """Every phrase found, but none that lies inside a longer phrase (a hint only inside
        a longer hint of its fact), nor one overlapping a longer (or earlier) phrase of the
        same fact."""
        hits: list[_Hit] = []
        for match in self._phrases.finditer(text):
            found = match.group(1)
            start, end = match.start(1), match.start(1) + len(found)
            if _whole(text, start, end):
                phrase = join_cjk(found)
                hits += [_Hit(start, end, phrase, fact, value, weak)
                         for fact, value, weak in self._by_phrase[phrase]]  # fmt: skip
        strong = {(h.start, h.end) for h in hits if not h.weak}
        neutral = {(h.start, h.end) for h in hits if not h.fact}
        hits = [hit for hit in hits if not any(
            a <= hit.start and hit.end <= b and b - a > hit.end - hit.start
            for a, b in ([(k.start, k.end) for k in hits if k.weak and k.fact == hit.fact]
                         + list(neutral) if hit.weak else strong))]  # fmt: skip
        # two phrases of one fact that overlap (没有重启|重启过猫): the longer, then the first
        kept: list[_Hit] = []
        for hit in sorted((h for h in hits if h.fact), key=lambda h: (h.start - h.end, h.start)):
            if not any(k.fact == hit.fact and k.weak == hit.weak and k.start < hit.end
                       and hit.start < k.end for k in kept):  # fmt: skip
                kept.append(hit)
        return sorted(kept, key=lambda h: (h.start, h.fact))

    def _read_facts(self, text: str) -> tuple[dict[str, Reading], dict[str, Reading]]:
        """The readings of the phrases, and of the hints, per fact."""
        low = self._words.normalise(text)
        hits = self._hits(low)
        note = self._words.note(low, [hit.start for hit in hits])
        negating = self._negating(note, hits)
        readings: tuple[dict[str, list[tuple[int, Reading]]], ...] = ({}, {})
        for hit in hits:
            clause = note.clause(hit.start)
            reading = self._reading(note, hit, negating.get(hit.start, []))
            readings[hit.weak].setdefault(hit.fact, []).append((clause, reading))
        said, hinted = ({fact: _settle(found, note) for fact, found in kind.items()}
                        for kind in readings)  # fmt: skip
        return said, hinted

    def _negating(self, note: Note, hits: list[_Hit]) -> dict[int, list[str]]:
        """The negations each phrase (by its start) has: one just before it applies to the
        next phrase of its clause, within the window, and to no other; one just after it
        that ends the clause (路由器 无) applies to it."""
        spans = sorted({(hit.start, hit.end) for hit in hits})
        starts = [start for start, _ in spans]
        found: dict[int, list[str]] = {}
        for start, end, word in note.negations:
            if any(a <= start < b for a, b in spans):
                continue  # part of a phrase (没有路由器): the phrase says it
            # the next phrase: after it, or starting inside it (没能|能看到本地连接)
            index = bisect.bisect_right(starts, start)
            if index == len(starts) or starts[index] - end > self._words.window:
                continue
            following, phrase_end = spans[index]
            if following < end and self._words.negation.match(note.text, following, phrase_end):
                continue  # the phrase holds this negation itself (还|没有重启)
            if note.clause(following) == note.clause(start):
                found.setdefault(following, []).append(word)
        for start, end in spans:
            after = self._words.negated_after(note.text, end)
            if after is not None:
                found.setdefault(start, []).append(after)
        return found

    def _reading(self, note: Note, hit: _Hit, before: list[str]) -> Reading:
        if note.asks(hit.start):
            return Reading(phrase=hit.phrase, value=None, how="questioned")
        if not before:
            return Reading(phrase=hit.phrase, value=hit.value, how="said")
        inside = any(hit.start <= n[0] < hit.end for n in note.negations)
        if len(before) + inside >= 2:  # 不是没重启: twice negated, left open
            return Reading(phrase=hit.phrase, value=None, how="double_negation",
                           negation=before[-1])  # fmt: skip
        value = (not hit.value) if isinstance(hit.value, bool) else None
        return Reading(phrase=hit.phrase, value=value, how="negated", negation=before[-1])


def _settle(found: list[tuple[int, Reading]], note: Note) -> Reading:
    """One reading per fact: the values agree (the first phrase saying it); or a clause
    after the other value is about now (or the other value's clauses are about before) and
    the later value stands; or the fact stays open."""
    values = [(clause, r) for clause, r in found if r.value is not None]
    distinct = {r.value for _, r in values}
    if len(distinct) <= 1:
        return values[0][1] if values else found[0][1]
    last_clause, last = values[-1]
    earlier = [c for c, r in values if r.value != last.value]
    others = list(dict.fromkeys(r.phrase for _, r in values if r.value != last.value))
    # said now after the other value (已插好, 入户线正常), or the other said before
    if any(note.now[c] for c in range(earlier[-1] + 1, last_clause + 1)) or all(
        note.past[c] for c in earlier
    ):
        return last.model_copy(update={"how": "changed", "others": others})
    return Reading(phrase=last.phrase, value=None, how="conflict", others=others)


def _whole(text: str, start: int, end: int) -> bool:
    """A phrase starting or ending with a digit or an English letter is read only whole."""
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _ascii_word(first) and _ascii_word(before) and _same_kind(first, before):
        return False
    return not (_ascii_word(last) and _ascii_word(after) and _same_kind(last, after))


def _ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _same_kind(a: str, b: str) -> bool:
    return a.isdigit() == b.isdigit()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
