"""Read the error code and facts out of a ticket's free text, as a colleague reads a note.

1. The note (``note``): normalised, cut into clauses, its negations and questions found.
2. The phrases and hints of every fact (``facts.toml``; a carrier's in ``carriers.toml``)
   are found in one pass, the longest at each place: one inside a longer one is not read
   (没有路由器, not 有路由器; 重启过电脑, a neutral phrase, is no restarted modem; 上网 in
   上网正常). Digits and English words match whole.
3. Each phrase is read in its clause: asked or hedged, it leaves the fact open; a negation
   just before it (or ending the clause just after it: 路由器 无) flips a yes/no fact and
   leaves another one open; two negations leave it open.
4. One fact, two values: a clause after the other value about now (or the other said
   before) is a change and the later value stands; otherwise a conflict: left open.
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
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from .._knowledge.model import GAP, Knowledge, checklist_phrases, parse_value
from .._models import FactValue, Reading
from .note import Note, Vocabulary, automaton, whole

__all__ = ["TextReader"]

_CACHED = 50_000  # texts whose reading is kept (exports repeat their descriptions)
_LONG_NUMBER = re.compile(r"\d{7,}")  # says nothing: a phone, an ID, a ticket number
_DIGITS = re.compile(r"(?<!\d)\d{3,4}(?!\d)")  # a number that may be an error code
_FILLER = " :=\"“”'"  # between a marker word and its code
_ITEM_ENDS = " |,;.!?。、\n\r\t"  # what may follow a checklist's answer (在线:是 挂死:否)
_CHOICE_MARKS = " /|、,;"  # between the choices of a form left unfilled (是 / 否)
_BETWEEN = " |,;.!、\t"  # between an answer and the clause after it
_SPELT_DIGITS = re.compile("[零〇一二三四五六七八九]{3}")  # a code read out: 六七八
_SPELT = str.maketrans("零〇一二三四五六七八九", "00123456789")
# what makes digits part of a time, a date or an amount
_PART_AFTER, _PART_BEFORE = re.compile(r"[.:/-]\d"), re.compile(r"\d[.:/-]\Z")
_NEUTRAL = ""  # the fact of a neutral phrase: it says none


_Hit = tuple[int, int, str, str, FactValue]  # start, end, the phrase, its fact and value


_Key = int | tuple[int, int, str]  # a phrase by its start; one with a gap by its own place
# a word of phrases with a gap: start, end, the word, the phrases it ends (by their first
# word), whether it begins one
_Part = tuple[int, int, str, tuple[tuple[str, tuple[int, ...]], ...], bool]
_Meanings = tuple[tuple[str, FactValue, bool], ...]  # what a phrase says: fact, value, hint
_Said = tuple[int, Reading, FactValue]  # where the phrase stands, its reading, what it says
_Read = tuple["Reading | None", dict[str, Reading], dict[str, Reading]]


class TextReader:
    """Reads notes for one knowledge. Safe to share between threads (its caches are only
    added to, and cleared whole)."""

    def __init__(self, knowledge: Knowledge, remember: int = _CACHED) -> None:
        self._remember = remember  # texts whose reading is kept
        self._read: dict[str, _Read] = {}
        self._searches: dict[frozenset[int], Callable[[str], object]] = {}  # ``may_name``
        # its tables are built the first time a note is read: a ticket without text never
        # pays for them
        self._knowledge: Knowledge | None = knowledge
        self._building = threading.Lock()

    def _build(self) -> None:
        with self._building:
            knowledge = self._knowledge
            if knowledge is None:  # built by another thread meanwhile
                return
            self._words = Vocabulary(knowledge.reading)
            self._init_codes(knowledge)
            self._init_facts(knowledge)
            # phrase → what it says: (fact, value, whether only a hint)
            phrases: dict[str, list[tuple[str, FactValue, bool]]] = {}
            # a phrase with a gap (猫…重启): what it says, and its two words
            self._gapped: list[tuple[str, str, FactValue, bool, str, str]] = []
            for text, fact, value, hint in _said_by(knowledge):
                if GAP in text:
                    head, tail = (self._words.normalise(part)[0] for part in text.split(GAP, 1))
                    self._gapped.append((f"{head}{GAP}{tail}", fact, value, hint, head, tail))
                else:
                    key = self._words.normalise(text)[0]
                    phrases.setdefault(key, []).append((fact, value, hint))
            self._phrases = automaton({k: (_edge(k), tuple(v)) for k, v in phrases.items()})
            # a checklist's items (在线:是): read apart, each only where its answer ends it
            items: dict[str, list[tuple[str, FactValue, bool]]] = {}
            for name, spec in knowledge.facts.items():
                for key, texts in checklist_phrases(spec, knowledge.reading).items():
                    for text in texts:
                        items.setdefault(self._words.normalise(text)[0], []).append(
                            (name, key == "true", False)
                        )
            self._items = (automaton({k: (_edge(k), tuple(v)) for k, v in items.items()})
                           if items else None)  # fmt: skip
            # a word of a phrase with a gap → the phrases it ends (their indexes) by their
            # first word, whether it begins one
            ends: dict[str, dict[str, list[int]]] = {}
            begins: set[str] = set()
            for index, (_, _, _, _, head, tail) in enumerate(self._gapped):
                begins.add(head)
                ends.setdefault(tail, {}).setdefault(head, []).append(index)
                ends.setdefault(head, {})
            self._parts = automaton({
                word: (_edge(word), (tuple((first, tuple(i)) for first, i in by_first.items()),
                                     word in begins))
                for word, by_first in ends.items()})  # fmt: skip
            self._gap = knowledge.reading.gap if knowledge.reading else 8
            self._knowledge = None

    def _init_facts(self, knowledge: Knowledge) -> None:
        # a negated value → the value its negation means (不是智能机: a feature phone)
        self._opposite: dict[tuple[str, FactValue], FactValue] = {}
        self._outweighs: dict[str, FactValue] = {}  # the value that stands over another
        # facts a question or a hedge still names (忘没忘服务密码?: a service password)
        self._subjects = frozenset(name for name, spec in knowledge.facts.items() if spec.subject)
        for name, spec in knowledge.facts.items():
            self._opposite |= {(name, key): value for key, value in spec.opposites.items()}
            if knowledge.domains[name].type == "bool":
                self._opposite |= {(name, True): False, (name, False): True}
            if spec.outweighs is not None:
                self._outweighs[name] = parse_value(knowledge.domains[name], spec.outweighs)

    def _init_codes(self, knowledge: Knowledge) -> None:
        settings = knowledge.settings
        self._before = tuple(w.lower() for w in settings.code_before) or ("\0",)
        self._after = tuple(w.lower() for w in settings.code_after) or ("\0",)
        self._catalog = frozenset(knowledge.codes)
        self._code_implies = knowledge.implies.get("error_code", {})
        self._units = tuple(w.lower() for w in knowledge.reading.units) if knowledge.reading else ()

    # -- what a text says ------------------------------------------------------------------

    def code(self, text: str) -> Reading | None:
        """The error code the text speaks of, with how it was read (a value of None: two
        codes, neither said now); None if the text names none."""
        return self._reading(text)[0]

    def error_code(self, text: str) -> int | None:
        """The error code the text settles, if any."""
        reading = self.code(text)
        return reading.value if reading is not None else None  # type: ignore[return-value]

    def facts(self, text: str, known: set[str]) -> dict[str, Reading]:
        """What the text's phrases say of each fact not already known (a reading whose value
        is None says the text left the fact open, and why)."""
        return {name: r for name, r in self._reading(text)[1].items() if name not in known}

    def hints(self, text: str, known: set[str]) -> dict[str, Reading]:
        """What the text's hints suggest of each fact not known."""
        return {name: r for name, r in self._reading(text)[2].items() if name not in known}

    def may_name(self, text: str, codes: frozenset[int]) -> bool:
        """Whether the text could name one of these codes: much cheaper than reading it,
        and never no when it does (a code is read from its digits, written or spelt)."""
        if not codes:
            return False
        read = self._read.get(text)
        if read is not None:  # read already: what it says
            return read[0] is not None and read[0].value in codes
        if self._knowledge is not None:
            self._build()
        search = self._searches.get(codes)
        if search is None:
            pattern = "|".join(sorted(str(code) for code in codes))
            search = self._searches[codes] = re.compile(pattern).search
        return search(self._words.normalise(text)[0].translate(_SPELT)) is not None

    def read(self, text: str) -> _Read:
        """All the text says, as ``code``, ``facts`` and ``hints`` give it (nothing left out
        for what is known); read once per text."""
        return self._read.get(text) or self._reading(text)

    def _reading(self, text: str) -> _Read:
        if self._knowledge is not None:
            self._build()
        read = self._read.get(text)
        if read is None and _LONG_NUMBER.search(text):
            # a phone, ID or ticket number says nothing: notes that differ only there are
            # read once (回访单0000123, 客户电话138…)
            plain = _LONG_NUMBER.sub("#", text)
            read = self._read.get(plain) or self._reading(plain)
            self._keep(text, read)
        if read is None:
            low, gaps = self._words.normalise(text)
            hits, hinted, items = self._hits(low, gaps)
            parts = self._words_of_gapped(low) if self._gapped else []
            numbers = [match.start() for match in _DIGITS.finditer(low)]
            starts = sorted({hit[0] for hit in hits} | {hit[0] for hit in hinted} | {*numbers})
            note = self._words.note(low, gaps, starts, [p[0] for p in parts if p[4]])
            # a phrase with a gap, by (start, end, phrase) → its own negations (猫没重启)
            inner: dict[_Key, list[str]] = {}
            if parts:
                self._join(note, parts, hits, hinted, inner)
            negating = (self._negating(note, [hit for hit in hits + hinted if GAP not in hit[2]])
                        if note.negations or note.afters else {})  # fmt: skip
            negating |= inner
            said = self._settled(note, hits, negating, items)
            if note.alternatives and hinted and said:
                _either_or(note, hits, hinted, said)
            read = (self._read_code(note, hits), said, self._settled(note, hinted, negating))
            self._keep(text, read)
        return read

    def remember(self, text: str, read: _Read) -> None:
        """Keep a reading of the text made elsewhere (by another process's reader of the
        same knowledge): it is not read again."""
        self._keep(text, read)

    def _keep(self, text: str, read: _Read) -> None:
        if len(self._read) >= self._remember:
            self._read.clear()
        if self._remember > 0:
            self._read[text] = read

    # -- the error code --------------------------------------------------------------------

    def _read_code(self, note: Note, hits: list[_Hit]) -> Reading | None:
        """The code, unless a phrase in its clause says what a code contradicts
        (手厅APP登录提示错误码651: a handset call, the app's code)."""
        reading = self._code(note)
        if reading is None or reading.value is None:
            return reading
        at = note.text.rfind(reading.phrase)
        clause = note.clause(at)
        implies = self._code_implies
        for start, _, _, fact, value in hits:
            if fact in implies and value != implies[fact] and note.clause(start) == clause:
                return None
        return reading

    def _code(self, note: Note) -> Reading | None:
        text = note.text
        named = []  # (position, code)
        for match in _DIGITS.finditer(text):
            start, end = match.span()
            if text.startswith(self._units, end):
                continue  # an amount, a count, an address (678元, 691次, 651栋)
            code = int(match.group(0))
            if self._marked(text, start, end) or self._bare(text, code, start, end):
                named.append((start, code))
        for match in _SPELT_DIGITS.finditer(text):  # 报错,客户说是六七八: a marker near
            near = text[max(0, match.start() - 12) : match.start()]
            if any(marker in near for marker in self._before):
                named.append((match.start(), int(match.group(0).translate(_SPELT))))
        named.sort()
        for (a, first), (b, second) in itertools.pairwise(named):
            if first != second and any(a < at < b for at in note.alternatives):
                return None  # one or the other (691还是619, 不是678就是676): neither
        said = [(at, code) for at, code in named
                if not note.asks(at) and not self._negated_code(note, at)]  # fmt: skip
        if not said:
            return None
        return _settle([(at, _make(str(code), code, "said"), code) for at, code in said], note)

    def _bare(self, text: str, code: int, start: int, end: int) -> bool:
        """A bare number names a code only if it is three digits the catalog knows, not
        part of a time, a date or an amount (16:30, 2024-06-19, 15.5)."""
        if end - start != 3 or code not in self._catalog or _PART_AFTER.match(text, end):
            return False
        return _PART_BEFORE.search(text, max(0, start - 2), start) is None

    def _marked(self, text: str, start: int, end: int) -> bool:
        """A marker word just before the number (错误代码:678, 报错是“691”) or after it
        (691错误)."""
        head = text[max(0, start - 16) : start].rstrip(_FILLER)
        if head[-1:] in ("是", "为", "了"):
            head = head[:-1].rstrip(_FILLER)
        return head.endswith(self._before) or text[end : end + 12].lstrip().startswith(self._after)

    @staticmethod
    def _negated_code(note: Note, position: int) -> bool:
        """A negation just before the code, in its clause (不是796)."""
        clause = note.clause(position)
        return any(0 <= position - end <= 1 and note.clause(start) == clause
                   for start, end, _ in note.negations)  # fmt: skip

    # -- the facts -------------------------------------------------------------------------

    def _hits(self, text: str, gaps: list[int]) -> tuple[list[_Hit], list[_Hit], frozenset[int]]:
        """The phrases in the text, the longest at each place, the hints, and where the
        checklist items among the phrases start; neutral phrases say nothing. ``gaps``:
        where a space between Chinese characters was."""
        hits: list[_Hit] = []
        hinted: list[_Hit] = []
        for last, (phrase, (ascii_edge, meanings)) in self._phrases.iter_long(text):
            start = last + 1 - len(phrase)
            if ascii_edge and not whole(text, start, last + 1):
                found = self._whole_inside(text, start, last + 1)
                if found is None:
                    continue
                start, phrase, meanings = found  # router y|es: router
            if (":" in phrase or "=" in phrase) and self._unfilled(text, gaps, start + len(phrase)):
                continue  # a form's first choice (核身:通过/不通过), not its answer
            for fact, value, hint in meanings:
                if fact is not _NEUTRAL:
                    (hinted if hint else hits).append(
                        (start, start + len(phrase), phrase, fact, value)
                    )
        items: frozenset[int] = frozenset()
        if self._items is not None and (":" in text or "=" in text or "?" in text):
            items = self._checklist(text, gaps, hits, hinted)
        return hits, hinted, items

    def _checklist(
        self, text: str, gaps: list[int], hits: list[_Hit], hinted: list[_Hit]
    ) -> frozenset[int]:
        """A checklist's items (在线:是, 身份证=否, 在线?否) where the label starts an item and
        the answer ends it (not 路由: 无线的, 老人机?是, phone: no signal, alt phone: no),
        the longest at each place, the leftmost first: they are read, and the phrases they
        hold or that run into them are not; where they start."""
        assert self._items is not None
        found: dict[int, tuple[int, str, _Meanings]] = {}  # start → the longest item there
        for last, (item, (ascii_edge, meanings)) in self._items.iter(text):
            start, end = last + 1 - len(item), last + 1
            if start in found and found[start][0] >= end:
                continue
            if not self._item_ends(text, gaps, end) or not _item_starts(text, gaps, start):
                continue
            if ascii_edge and not whole(text, start, end):
                continue
            found[start] = (end, item, meanings)
        items: list[_Hit] = []
        reached = 0
        for start in sorted(found):
            end, item, meanings = found[start]
            if start < reached:
                continue  # inside the item before
            reached = end
            items += [(start, end, item, fact, value) for fact, value, _ in meanings]
        if items:  # a phrase inside an item or running into one is not read; one reaching
            # past it is (nic:y/启用)
            spans = [(item[0], item[1]) for item in items]
            for hits_of in (hits, hinted):
                hits_of[:] = [hit for hit in hits_of if not _within(hit, spans) and not any(
                    hit[0] < a < hit[1] <= b for a, b in spans)]  # fmt: skip
            hits += items
            hits.sort()
        return frozenset(item[0] for item in items)

    def _item_ends(self, text: str, gaps: list[int], end: int) -> bool:
        """Whether an answer ends its item here: at the note's end, a mark or a gap; not
        where another answer follows it, the form left unfilled (核身:是 / 否, id: y/n); a
        '/' or '.' not before English (n/a, n.a); after an English answer, a space only
        before another item or Chinese (phone: no signal goes on)."""
        if self._unfilled(text, gaps, end):
            return False
        if end == len(text) or end in gaps:
            return True
        after = text[end]
        if after in "/.":
            rest = text[end + 1 : end + 2]
            return not (rest.isascii() and rest.isalnum())
        if after not in _ITEM_ENDS:
            return False
        if after != " " or not text[end - 1].isascii() or end + 1 >= len(text):
            return True
        rest = text[end + 1 :].split(" ", 1)[0]
        return not (rest[:1].isascii() and rest[:1].isalnum()) or any(m in rest for m in "=:?")

    def _unfilled(self, text: str, gaps: list[int], end: int) -> bool:
        """Whether another answer follows this one (past spaces and / | 、 or), itself ending
        there, or a negation: a form's choices, not an answer (核身:是 否, 在线:是/否, id: yes
        / no, 核身:通过/不通过)."""
        at = end
        while at < len(text) and text[at] in _CHOICE_MARKS:
            at += 1
        if text.startswith("or ", at):
            at += 3
        if at == end and end not in gaps:
            return False
        if "/" in text[end:at] and text.startswith(self._words.negation_words, at):
            return True  # the other choice, negated (通过/不通过, ok / not ok)
        for answer in self._words.answers:
            if text.startswith(answer, at):
                after = at + len(answer)
                if after == len(text) or after in gaps or text[after] in _ITEM_ENDS or (
                    text[after] in "/."):  # fmt: skip
                    return True
        return False

    def _whole_inside(self, text: str, start: int, end: int) -> tuple[int, str, _Meanings] | None:
        """Where a phrase matched only part of a word (router y|es), the longest phrase
        inside it that stands whole, the first: (start, phrase, what it says)."""
        best: tuple[int, int, str, _Meanings] | None = None
        for last, (phrase, (ascii_edge, meanings)) in self._phrases.iter(text, start, end):
            at = last + 1 - len(phrase)
            if ascii_edge and not whole(text, at, last + 1):
                continue
            if best is None or (at, -len(phrase)) < (best[0], -len(best[2])):
                best = (at, last + 1, phrase, meanings)
        return None if best is None else (best[0], best[2], best[3])

    def _words_of_gapped(self, text: str) -> list[_Part]:
        """Every place a word of a phrase with a gap stands, inside other phrases too
        (手机|丢了…找到了): (start, end, the word, the phrases it ends, whether it begins one)."""
        found: list[_Part] = []
        for last, (word, (ascii_edge, (ends, begins))) in self._parts.iter(text):
            start = last + 1 - len(word)
            if not ascii_edge or whole(text, start, last + 1):
                found.append((start, last + 1, word, ends, begins))
        found.sort()
        return found

    def _join(
        self,
        note: Note,
        parts: list[_Part],
        hits: list[_Hit],
        hinted: list[_Hit],
        inner: dict[_Key, list[str]],
    ) -> None:
        """The phrases written with a gap (猫…重启) whose two words stand in order in one
        clause, at most ``gap`` characters apart (猫已经断电重启); a negation between them
        negates the phrase (猫没重启), as does one just before it that another phrase holds
        (没忘|…密码)."""
        held = [(hit[0], hit[1]) for hit in hits + hinted]  # where the phrases stand
        heads: dict[str, list[tuple[int, int]]] = {}  # a first word → where it stood
        joined: list[tuple[_Hit, bool, int]] = []  # a phrase with a gap, a hint, its tail
        for start, end, word, ends, begins in parts:
            for first, indexes in ends:
                places = heads.get(first)
                head = self._head(note, places, start) if places else None
                if head is None:
                    continue
                for index in indexes:
                    phrase, fact, value, hint, _, _ = self._gapped[index]
                    joined.append(((head[0], end, phrase, fact, value), hint, start))
                    own = self._negations_before(note, head[0], held)
                    own |= _last_negation(note, head[1], start)
                    after = note.negated_after(end)
                    if after is not None:
                        own[end] = after
                    if own:
                        inner[(head[0], end, phrase)] = list(own.values())
            if begins:
                heads.setdefault(word, []).append((start, end))
        if joined:
            self._longer(joined, hits, hinted)

    def _head(
        self, note: Note, places: Sequence[tuple[int, int]], tail: int
    ) -> tuple[int, int] | None:
        """The nearest place of a first word before a second word at ``tail``: in its
        clause, at most ``gap`` characters before it."""
        for start, end in reversed(places):
            if end > tail:
                continue
            if tail - end > self._gap:
                return None
            return (start, end) if note.clause(start) == note.clause(tail) else None
        return None

    @staticmethod
    def _longer(joined: list[tuple[_Hit, bool, int]], hits: list[_Hit], hinted: list[_Hit]) -> None:
        """The longer reading wins, as between phrases: a phrase of the same fact that is a
        word of a joined one is not read (拆掉|路由); a joined one inside a phrase of its fact
        (已过期停机), or whose second word a longer phrase saying otherwise holds (账号|挂死已清),
        is not read."""
        literal: dict[str, list[tuple[int, int, FactValue]]] = {}
        for hit in hits + hinted:
            literal.setdefault(hit[3], []).append((hit[0], hit[1], hit[4]))
        words: dict[str, list[tuple[int, int]]] = {}
        kept = []
        for hit, hint, tail in joined:
            if not any(
                (a <= hit[0] and hit[1] <= b)  # inside a phrase: 已过期停机, not 过期…停
                or (a <= tail < b and (a, b) != (tail, hit[1]) and value != hit[4])
                for a, b, value in literal.get(hit[3], ())
            ):
                kept.append((hit, hint))
                words.setdefault(hit[3], []).extend(_words_at(hit))
        for found in (hits, hinted):
            found[:] = [hit for hit in found if not _within(hit, words.get(hit[3], ()))]
        for hit, hint in kept:
            (hinted if hint else hits).append(hit)
        hits.sort()
        hinted.sort()

    def _negations_before(
        self, note: Note, head: int, held: list[tuple[int, int]]
    ) -> dict[int, str]:
        """The negations of a phrase with a gap before its first word: one within the
        window in its clause with no phrase between (还没|把猫…重启), or one a phrase that
        holds the first word holds (没忘|…密码); by position."""
        found: dict[int, str] = {}
        for at, until, word in note.negations:
            if until > head:
                break
            inside = any(a <= at and head < b for a, b in held)
            near = head - until <= self._words.window and note.clause(at) == note.clause(head)
            if inside or (near and not any(until <= a < head for a, _ in held)):
                found[at] = word
        return found

    def _settled(
        self,
        note: Note,
        hits: list[_Hit],
        negating: dict[_Key, list[str]],
        items: frozenset[int] = frozenset(),
    ) -> dict[str, Reading]:
        """Each fact's reading: its phrases read in their clauses, then settled; a checklist
        item (starting at one of ``items``) answers itself, asked or not (在线?否), unless
        its answer is asked or hedged (核身:是?不确定)."""
        if not hits:
            return {}
        plain = not negating and not note.asking  # every phrase said as written
        by_fact: dict[str, list[_Said]] = {}
        for hit in hits:
            start, _, phrase, fact, value = hit
            key: _Key = start
            at = start  # where it is said: a phrase with a gap, at its second word
            if GAP in phrase:
                key, at = (start, hit[1], phrase), _said_at(hit)
            item = start in items
            if item and _in_doubt(note, start, hit[1]):  # 核身:是?不确定
                reading = _make(phrase, None, "questioned")
            elif plain or (key not in negating and (item or not note.asks(at))):
                reading = _SAID.get((phrase, value)) or _said(phrase, value)
            else:
                reading = self._one(note, hit, negating.get(key, []), asked=not item)
            found = by_fact.get(fact)
            if found is None:
                by_fact[fact] = [(at, reading, value)]
            else:
                found.append((at, reading, value))
        return {fact: found[0][1] if len(found) == 1
                else _settle(found, note, self._outweighs.get(fact))
                for fact, found in by_fact.items()}  # fmt: skip

    def _negating(self, note: Note, hits: list[_Hit]) -> dict[_Key, list[str]]:
        """The negations each phrase (by its start) has: one just before it applies to the
        next phrase of its clause, within the window, and to no other; one just after it
        that ends the clause (路由器 无) applies to it."""
        spans = sorted({(hit[0], hit[1]) for hit in hits})
        starts = [start for start, _ in spans]
        found: dict[_Key, list[str]] = {}
        for start, end, word in note.negations:
            index = bisect.bisect_right(starts, start)
            if index and start < spans[index - 1][1]:
                continue  # part of a phrase (没有路由器): the phrase says it
            # the next phrase: after it, or starting inside it (没能|能看到本地连接)
            if index == len(starts) or starts[index] - end > self._words.window:
                continue
            if starts[index] < end and note.text.startswith(self._words.negation_words,
                                                            starts[index]):  # fmt: skip
                continue  # the phrase holds this negation itself (还|没有重启)
            if note.clause(starts[index]) == note.clause(start):
                found.setdefault(starts[index], []).append(word)
        for start, end in spans:
            after = note.negated_after(end)
            if after is not None:
                found.setdefault(start, []).append(after)
        return found

    def _one(self, note: Note, hit: _Hit, before: list[str], asked: bool = True) -> Reading:
        start, end, phrase, fact, said = hit
        if asked and note.asks(_said_at(hit)):
            answer = note.answer(start)  # 重启了吗?没有: the answer settles it
            if answer is None:
                if fact in self._subjects:
                    return _make(phrase, said, "said")
                return _make(phrase, None, "questioned")
            if answer:
                return _make(phrase, said, "said")
            return _make(phrase, self._opposite.get((fact, said)), "negated")
        if not before:
            return _make(phrase, said, "said")
        # a negation inside the phrase's own words (not in its gap: that is one before it)
        spans = _words_at(hit) if GAP in phrase else ((start, end),)
        inside = any(a <= n[0] < b for n in note.negations for a, b in spans)
        if len(before) + inside >= 2:  # 不是没重启: twice negated, left open
            return _make(phrase, None, "double_negation", before[-1])
        return _make(phrase, self._opposite.get((fact, said)), "negated", before[-1])


_MADE: dict[tuple[object, ...], Reading] = {}  # readings are immutable: one of each is kept
_SAID: dict[tuple[str, FactValue], Reading] = {}  # the same, for a phrase said as written


def _said(phrase: str, value: FactValue) -> Reading:
    if len(_SAID) >= _CACHED:
        _SAID.clear()
    made = _SAID[(phrase, value)] = _make(phrase, value, "said")
    return made


def _make(
    phrase: str,
    value: FactValue | None,
    how: str,
    negation: str | None = None,
    others: tuple[str, ...] = (),
) -> Reading:
    key = (phrase, type(value), value, how, negation, others)
    made = _MADE.get(key)
    if made is None:
        if len(_MADE) >= _CACHED:
            _MADE.clear()
        made = _MADE[key] = Reading.model_construct(
            phrase=phrase, value=value, how=how, negation=negation, others=others
        )
    return made


def _settle(found: list[_Said], note: Note, outweighs: FactValue | None = None) -> Reading:
    """One reading per fact (``found``: where each phrase stands, and its reading): the
    values agree (the first phrase saying it); or a word about now stands after the other
    value, up to the end of the last one's clause (挂死 已清除; 之前欠费, 现在已缴费), or the
    other value was said of before, and the later value stands; or only one value is said
    of now (报796 之前报678), and it stands; or one value outweighs the others (a fault on
    the line); else the fact stays open."""
    said = {value for _, _, value in found}
    if len(said) > 1 and note.alternatives:  # 智能机还是老人机(?): one or the other
        for (a, first, one), (b, _, other) in itertools.pairwise(found):
            if one != other and any(a < at < b for at in note.alternatives):
                return _make(first.phrase, None, "conflict", None, (found[-1][1].phrase,))
    values = [(at, r) for at, r, _ in found if r.value is not None]
    if len({r.value for _, r in values}) <= 1:
        return values[0][1] if values else found[0][1]
    last_at, last = values[-1]
    earlier = [at for at, r in values if r.value != last.value]
    others = _besides(values, last.value)
    closes = note.ends[note.clause(last_at)]
    if any(earlier[-1] < at < closes for at in note.now) or all(
        note.past[note.clause(at)] for at in earlier
    ):
        return _make(last.phrase, last.value, "changed", last.negation, others)
    current = [r for at, r in values if not note.past[note.clause(at)]]
    if current and all(r.value == current[-1].value for r in current):  # 报796 之前报678
        stands = current[-1]
        return _make(stands.phrase, stands.value, "changed", stands.negation,
                     tuple(p for p in dict.fromkeys(r.phrase for _, r in values)
                           if p != stands.phrase))  # fmt: skip
    weighty = [r for _, r in values if r.value == outweighs] if outweighs is not None else []
    if weighty:  # 线在LINE口, 室内线断了: a fault anywhere on the line
        stands = weighty[-1]
        lighter = _besides(values, outweighs)
        return _make(stands.phrase, stands.value, "outweighs", stands.negation, lighter)
    return _make(last.phrase, None, "conflict", None, others)


def _besides(values: list[tuple[int, Reading]], value: FactValue | None) -> tuple[str, ...]:
    """The phrases that said another value, each once, in order."""
    return tuple(dict.fromkeys(r.phrase for _, r in values if r.value != value))


def _said_by(knowledge: Knowledge) -> Iterator[tuple[str, str, FactValue, bool]]:
    """Every phrase and hint of the knowledge: (words, fact, value, whether a hint); a
    carrier's own words; the neutral phrases, which say nothing."""
    for name, spec in knowledge.facts.items():
        for hint, keyed in ((False, spec.phrases), (True, spec.hints)):
            for key, texts in keyed.items():
                value = parse_value(knowledge.domains[name], key)
                for text in texts:
                    yield text, name, value, hint
    if "carrier" in knowledge.facts:  # a carrier is named by its own words
        for carrier, said in knowledge.carriers.items():
            for text in said.phrases:
                yield text, "carrier", carrier, False
    for text in knowledge.reading.neutral if knowledge.reading else []:
        yield text, _NEUTRAL, "", False


def _last_negation(note: Note, start: int, end: int) -> dict[int, str]:
    """The negation nearest the end of a gap, with any right before it (宽带连接没删也|没|
    重建: 没 negates 删 and 也没 重建; 猫不是没重启: twice), by position."""
    inside = [n for n in note.negations if start <= n[0] < end]
    if not inside:
        return {}
    last = [inside[-1]]
    for negation in reversed(inside[:-1]):
        if negation[1] != last[-1][0]:
            break
        last.append(negation)
    return {at: word for at, _, word in last}


def _either_or(note: Note, hits: list[_Hit], hinted: list[_Hit], said: dict[str, Reading]) -> None:
    """A phrase and a hint of one fact with other values, an either-or word between them
    (用app还是网页): the fact is left open."""
    for fact, reading in list(said.items()):
        if reading.value is None:
            continue
        mine = [_said_at(hit) for hit in hits if hit[3] == fact and hit[4] == reading.value]
        other = [
            (_said_at(hit), hit[2]) for hit in hinted if hit[3] == fact and hit[4] != reading.value
        ]
        for at, phrase in other:
            if any(min(at, m) < w < max(at, m) for m in mine for w in note.alternatives):
                said[fact] = _make(reading.phrase, None, "conflict", None, (phrase,))
                break


def _in_doubt(note: Note, start: int, end: int) -> bool:
    """Whether a checklist item's answer (the item from ``start`` to ``end``) is asked or
    hedged: its clause asks from the item on (核身:是?) or holds a doubt word, or a clause
    right after it does (核身:是 | 客户自己也不太确定); not advice or a question of their
    own around it (请客户 dispute=有, 核身:是 请客户…)."""
    clause = note.clause(end - 1)
    begins = note.asking_from[clause]
    if note.doubted[clause] or (begins is not None and begins >= start):
        return True
    after = clause + 1
    return after < len(note.starts) and note.doubted[after] and (
        not note.text[end : note.starts[after]].strip(_BETWEEN))  # fmt: skip


def _item_starts(text: str, gaps: list[int], start: int) -> bool:
    """Whether a label starts an item here: at the note's start, after a mark or a gap; an
    English label not after an English word (alt phone: no), unless that word answers the
    item before (online: no id: yes)."""
    if not start or start in gaps:
        return True
    if text[start - 1] not in _ITEM_ENDS:
        return False  # inside a word (重启猫?还没, 老人机?是)
    if text[start - 1] != " " or not text[start].isascii():
        return True
    head = text[: start - 1]
    before = head.rsplit(" ", 1)[-1]
    if not (before[-1:].isascii() and before[-1:].isalpha()):
        return True  # after Chinese or a number (拨号报691 id: yes)
    if any(m in before for m in "=:?"):
        return True  # online:no id: yes
    return head[: len(head) - len(before)].rstrip()[-1:] in ("=", ":", "?")  # online: no id: yes


def _within(hit: _Hit, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether the phrase lies inside one of the spans."""
    return any(a <= hit[0] and hit[1] <= b for a, b in spans)


def _words_at(hit: _Hit) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where the two words of a phrase with a gap stand: (start, end) of each."""
    start, end, phrase = hit[0], hit[1], hit[2]
    gap = phrase.index(GAP)
    return (start, start + gap), (end - len(phrase) + gap + 1, end)


def _said_at(hit: _Hit) -> int:
    """Where a phrase is said, for a question or a hedge: its start; for a phrase with a
    gap, its second word (帐号|是否|挂死 is asked)."""
    return _words_at(hit)[1][0] if GAP in hit[2] else hit[0]


def _edge(phrase: str) -> bool:
    """Whether the phrase starts or ends with a digit or an English letter."""
    return any(c.isascii() and c.isalnum() for c in (phrase[0], phrase[-1]))
