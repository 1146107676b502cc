"""A note as a colleague reads it: normalised, cut into clauses, its negations, questions
and markers of before and now found. Every word comes from ``reading.toml``.

- Normalise: full-width digits, letters and punctuation folded (NFKC), English
  lower-cased, the typos and short forms agents type replaced, spaces collapsed; a space
  between two Chinese characters is taken out (光猫 已 重启 reads 光猫已重启) and ends a
  clause there (手厅登不上 手机在手上: two clauses).
- Clauses end at punctuation, at such a space or one between Chinese and digits
  (报错796 之前报678), and before a break word (但是, 后来).
- A clause asks from a question word on (是否有错误代码: the code, not what precedes),
  or all of it when it ends as a question (吗, 吧, ?) or hedges (好像, 不确定).
- Every reading word is found in one pass, the longest at each place: a negation inside
  an idiom (没问题, 登不上) or a question (有没有) is none.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from .._knowledge.schema import ReadingSpec

__all__ = ["Match", "Note", "Vocabulary", "automaton", "whole"]

_MARKS = ",。.;!\n\r\t|/:、"  # full-width ，；！： are folded to , ; ! :
_QUESTION_MARK = "?"
# full-width digits, letters and punctuation, and the ideographic space
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_FILLER = " :=,."  # around an answer (答: 没有)
_HEDGE_ONLY = 8  # at most this long, a clause that hedges hedges the one before (客户自己也说不清)
_ITEM_ENDS = " |,;"  # after a checklist answer, the next item (调账:N 修复:Y)
_MIXED_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=\d+(?![\da-z]))|(?<=\d) (?=[^\x00-\x7f])")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
# the kinds of reading words, as bits (a word may be of several kinds: 后来 breaks and is now)
NEGATION, AFTER, IDIOM, QUESTION, END, HEDGE, BREAK, PAST, NOW, ALTERNATIVE, MARK, ASKED, DOUBT = (
    1 << bit for bit in range(13)
)
# the lists of reading.toml, and the kind of word each holds
_KINDS = {
    "negations": NEGATION, "negations_after": AFTER, "idioms": IDIOM, "questions": QUESTION,
    "question_ends": END, "hedges": HEDGE, "breaks": BREAK, "past": PAST, "now": NOW,
    "alternatives": ALTERNATIVE, "doubts": DOUBT | HEDGE,
}  # fmt: skip

Match = tuple[int, int, str]  # start, end, the words
_LISTED = (NEGATION, IDIOM, ALTERNATIVE, AFTER, QUESTION)  # the kinds a note lists by place


def automaton(words: dict[str, object]) -> ahocorasick.Automaton:
    """An automaton finding the words (each with its value) in one pass."""
    found = ahocorasick.Automaton()
    for word, value in words.items():
        found.add_word(word, (word, value))
    if words:
        found.make_automaton()
    return found


def whole(text: str, start: int, end: int) -> bool:
    """Words starting or ending with a digit or an English letter are read only whole
    (no in know, 651 in 16513)."""
    first, last = text[start], text[end - 1]
    if start > 0 and _joined(text[start - 1], first):
        return False
    return not (end < len(text) and _joined(last, text[end]))


def _half_width(match: re.Match[str]) -> str:
    char = match.group(0)
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def _edge(word: str) -> bool:
    """Whether the word starts or ends with a digit or an English letter."""
    return any(c.isascii() and c.isalnum() for c in (word[0], word[-1]))


def _holds(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted list holds a position in [start, end)."""
    at = bisect.bisect_left(positions, start)
    return at < len(positions) and positions[at] < end


def _asking(
    text: str,
    starts: list[int],
    ends: list[int],
    forward: list[int | None],
    hedged: list[bool],
    asked: list[bool],
    phrases: list[int],
    worded: list[bool],
) -> list[int | None]:
    """Where each clause begins to ask: at its first question or hedge word (宽带拨号,好像
    是651: the code, not the dial-up); at its last phrase when it ends as a question
    (宽带密码忘了?), or when the next clause only hedges (线在LINE口,不确定; after a break
    word, the clauses the break goes back on too: 说是移动,又说是电信,不清楚)."""
    asking = list(forward)
    if not any(asked) and not any(hedged):
        return asking
    for c, start in enumerate(starts):
        if not asked[c] and not (c and hedged[c]):
            continue
        inside = phrases[bisect.bisect_left(phrases, start) : bisect.bisect_left(phrases, ends[c])]
        if asked[c]:
            last = inside[-1] if inside else start
            asking[c] = last if asking[c] is None else min(asking[c], last)  # type: ignore[type-var]
        # …,不确定: the last phrase before is unsettled; after 又说…, what was said before
        # it too (说手机在身边,又说在车里,不确定)
        short = len(text[start : ends[c]].strip()) <= _HEDGE_ONLY
        if c and hedged[c] and short and not inside:
            k = c - 1
            while True:
                before = phrases[bisect.bisect_left(phrases, starts[k]) : bisect.bisect_left(
                    phrases, ends[k])]  # fmt: skip
                last = before[-1] if before else starts[k]
                asking[k] = last if asking[k] is None else min(asking[k], last)  # type: ignore[type-var]
                if not worded[k] or not k:
                    break
                k -= 1
    return asking


def _clauses(
    text: str, gaps: list[int], found: list[tuple[int, int, str, int]]
) -> tuple[list[int], list[int], list[bool], list[bool]]:
    """Where each clause starts and ends, whether a question mark closes it, and whether a
    break word (又说, 但是) opens it."""
    # (where the clause ends, where the next starts, asked, the next opens with a word)
    cuts = [(at, at, False, False) for at in gaps]
    if " " in text:  # a space between Chinese and digits: 报错796 之前报678
        cuts += [(m.start(), m.end(), False, False) for m in _MIXED_SPACE.finditer(text)]
    cuts += [(start, end if kind & MARK else start, bool(kind & ASKED), not kind & MARK)
             for start, end, _, kind in found if kind & (MARK | BREAK)]  # fmt: skip
    if not cuts:
        return [0], [len(text)], [False], [False]
    starts, ends, asked, worded = [0], [], [], [False]
    for closes, opens, question, word in sorted(cuts):
        if opens == closes and closes == starts[-1]:
            worded[-1] |= word
            continue  # a break right after another (后来又说): one clause
        ends.append(closes)
        asked.append(question)
        starts.append(opens)
        worded.append(word)
    ends.append(len(text))
    asked.append(False)
    return starts, ends, asked, worded


def _negations_in(word: str, negations: list[str]) -> list[tuple[int, str]]:
    """The negations in a word, the longest at each place: (offset, negation)."""
    found, offset = [], 0
    while offset < len(word):
        negation = next((n for n in negations if word.startswith(n, offset)), None)
        if negation is None:
            offset += 1
        else:
            found.append((offset, negation))
            offset += len(negation)
    return found


def _joined(a: str, b: str) -> bool:
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum() and (
        a.isdigit() == b.isdigit()
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Note:
    """A normalised note: its clauses (by start and end), where each begins to ask, which
    speak of before or now; its negations, the negations that may follow a phrase, its
    idioms (start, end, word) and where an either-or word stands."""

    text: str
    starts: list[int]
    ends: list[int]
    asking_from: list[int | None]
    past: list[bool]
    now: list[int]  # where a word about now stands (现在, 已)
    negations: list[Match]
    afters: dict[int, Match]
    idioms: list[Match]
    alternatives: list[int]
    asking: bool  # some clause asks
    answers: dict[int, bool]  # a clause that asks → the yes or no the next clause gives it
    questions: list[Match]  # the question words
    doubted: list[bool]  # per clause: whether a doubt word leaves all of it open (不确定)

    def clause(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position) - 1

    def answer(self, position: int) -> bool | None:
        """The yes or no the next clause gives, if the words here are asked (重启了吗?没有);
        for a phrase that starts inside an either-or question (有没|有路由器), the yes
        and the no of the question, not of the phrase."""
        said = self.answers.get(self.clause(position)) if self.answers else None
        if said is not None and any(q[0] < position < q[1] for q in self.questions):
            return not said
        return said

    def asks(self, position: int) -> bool:
        """Whether the words at this position are asked or hedged, not stated."""
        if not self.asking:
            return False
        start = self.asking_from[self.clause(position)]
        return start is not None and position >= start

    def negated_after(self, end: int) -> str | None:
        """A negation just after a phrase (at ``end``, or after a space or a colon) that
        ends its clause or its item (路由器 无, 路由:无, 调账:N 修复:Y): the word, or None."""
        if not self.afters:
            return None
        word = self.afters.get(end) or self.afters.get(end + 1) or self.afters.get(end + 2)
        if word is None or self.text[end : word[0]].strip(" :=") or word[0] - end > 2:
            return None  # 路由无, 路由 无, 路由:无, dispute: n
        rest = self.text[word[1] : self.ends[self.clause(word[0])]]
        return word[2] if not rest.strip() or rest[0] in _ITEM_ENDS else None


class Vocabulary:
    """The words of ``reading.toml``, compiled; plain reading without them."""

    def __init__(self, reading: ReadingSpec | None) -> None:
        self.window = reading.window if reading else 6
        self._leads = tuple(w.lower() for w in reading.answer_leads) if reading else ()
        self._yes = frozenset(w.lower() for w in reading.answers_yes) if reading else frozenset()
        self._no = frozenset(w.lower() for w in reading.answers_no) if reading else frozenset()
        self.answers = tuple(self._yes | self._no)  # every yes and no, as a note writes it
        spelt = {**reading.typos, **reading.abbreviations} if reading else {}
        self._spelling = automaton({k.lower(): (_edge(k), v.lower()) for k, v in spelt.items()})
        kinds: dict[str, int] = {}
        for field, kind in _KINDS.items():
            for word in getattr(reading, field) if reading else []:
                kinds[word.lower()] = kinds.get(word.lower(), 0) | kind
        for mark in _MARKS:
            kinds[mark] = kinds.get(mark, 0) | MARK
        kinds[_QUESTION_MARK] = kinds.get(_QUESTION_MARK, 0) | MARK | ASKED
        self._words = automaton({word: (_edge(word), kind) for word, kind in kinds.items()})
        negations = sorted((w for w, k in kinds.items() if k & NEGATION), key=len, reverse=True)
        self.negation_words = tuple(negations)
        # the negations inside each longer word, should a phrase start inside it (不|错误代码,
        # 不|过期): the word is then none, its negations are
        self._inside = {word: inside for word, kind in kinds.items()
                        if kind & (IDIOM | BREAK) and not kind & NEGATION
                        and (inside := _negations_in(word, negations))}  # fmt: skip

    def normalise(self, text: str) -> tuple[str, list[int]]:
        """The text as read, and where a space between Chinese characters was taken out."""
        low = _FULL_WIDTH.sub(_half_width, text)
        if not low.isascii() and not unicodedata.is_normalized("NFKC", low):
            low = unicodedata.normalize("NFKC", low)
        low = self._respell(low.lower())
        low = " ".join(low.split())
        if " " not in low:
            return low, []
        gaps: list[int] = []
        pieces, last = [], 0
        for match in _CJK_GAP.finditer(low):
            pieces.append(low[last : match.start()])
            last = match.end()
            gaps.append(match.start() - len(gaps))
        pieces.append(low[last:])
        return "".join(pieces), gaps

    def _respell(self, text: str) -> str:
        """The text with the typos and short forms replaced (English ones only whole)."""
        pieces, last = [], 0
        for end, (wrong, (edge, right)) in self._spelling.iter_long(text):
            start = end + 1 - len(wrong)
            if not edge or whole(text, start, end + 1):
                pieces += [text[last:start], right]
                last = end + 1
        return "".join([*pieces, text[last:]]) if pieces else text

    def note(
        self, text: str, gaps: list[int], phrases: list[int], heads: Sequence[int] = ()
    ) -> Note:
        """The clauses of a normalised text and the reading words in it; ``phrases``: where
        phrases start, sorted (a word a phrase starts inside is none), ``heads``: where the
        first words of phrases with a gap stand (so too a word one starts inside: 不|断电…再开)."""
        found = [(end + 1 - len(word), end + 1, word, kind)
                 for end, (word, (edge, kind)) in self._words.iter_long(text)
                 if not edge or whole(text, end + 1 - len(word), end + 1)]  # fmt: skip
        if gaps:  # a word does not run across a clause's end (口了 没插: no 了没)
            found = [item for item in found if not _holds(gaps, item[0] + 1, item[1])]
        inside = self._inside
        if inside and any(item[2] in inside for item in found):
            found = self._unmasked(found, sorted({*phrases, *heads}) if heads else phrases)
        starts, ends, asked, worded = _clauses(text, gaps, found)
        count = len(starts)
        forward: list[int | None] = [None] * count
        hedged, past, doubted = [False] * count, [False] * count, [False] * count
        now: list[int] = []
        words: dict[int, list[Match]] = {kind: [] for kind in _LISTED}
        for start, end, word, kind in found:
            if kind & MARK:
                continue
            for each in _LISTED:
                if kind & each:
                    words[each].append((start, end, word))
            clause = bisect.bisect_right(starts, start) - 1 if count > 1 else 0
            if kind & DOUBT:  # 用的是初始密码还是服务密码说不清: the whole clause is open
                forward[clause] = starts[clause]
                doubted[clause] = True
            elif kind & (QUESTION | HEDGE) and forward[clause] is None:
                forward[clause] = start
            hedged[clause] |= bool(kind & HEDGE)
            asked[clause] |= bool(kind & END) and not text[end : ends[clause]].strip()
            past[clause] |= bool(kind & PAST)
            if kind & NOW:
                now.append(start)
        asking = _asking(text, starts, ends, forward, hedged, asked, phrases, worded)
        afters = {w[0]: w for w in words[AFTER]}
        alternatives = [w[0] for w in words[ALTERNATIVE]]
        asks = any(a is not None for a in asking)
        answers = self._answers(text, starts, ends, asking) if asks else {}
        return Note(text, starts, ends, asking, past, now, words[NEGATION], afters,
                    words[IDIOM], alternatives, asks, answers, words[QUESTION],
                    doubted)  # fmt: skip

    def _answers(
        self, text: str, starts: list[int], ends: list[int], asking: list[int | None]
    ) -> dict[int, bool]:
        """The questions answered by the clause after them (or after a lone 答): yes or no."""
        found: dict[int, bool] = {}
        question = None
        for c in range(len(starts)):
            said, led = text[starts[c] : ends[c]].strip(_FILLER), None
            while said.startswith(self._leads):  # 查了 客户说: 没有
                lead = next(w for w in self._leads if said.startswith(w))
                said = led = said[len(lead) :].strip(_FILLER)
            if question is not None and (said in self._yes or said in self._no):
                found[question] = said in self._yes
            if not (said == "" and led is not None and question is not None):
                question = c if asking[c] is not None else None  # 有路由吗 答: 有
        return found

    def _unmasked(
        self, found: list[tuple[int, int, str, int]], phrases: list[int]
    ) -> list[tuple[int, int, str, int]]:
        """The words, each one a phrase starts inside replaced by its negations before the
        phrase (不错误提示: 不 negates 错误提示; 不过期: 不 negates 过期, no break)."""
        kept = []
        for item in found:
            start, end, word, _ = item
            inside = self._inside.get(word)
            at = bisect.bisect_right(phrases, start) if inside else 0
            if inside and at < len(phrases) and phrases[at] < end:
                before = phrases[at] - start
                kept += [(start + offset, start + offset + len(negation), negation, NEGATION)
                         for offset, negation in inside if offset < before]  # fmt: skip
            else:
                kept.append(item)
        return kept
