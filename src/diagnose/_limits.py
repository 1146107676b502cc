"""The limits that keep every input finite work: no ticket or rule file makes the engine
hang. They are technical bounds, not figures of the service: no source gives them.

- ``MAX_TEXT``: characters of a ticket's text that are read; a longer note (a whole
  export pasted into one field) is cut, and the diagnosis's ``extracted`` says so;
- ``MAX_FACTS``: facts one ticket may give (the knowledge declares a few dozen);
- ``MAX_ONE_OF``: values one ``one_of`` condition may list;
- ``MAX_RULES_PER_MODULE``: rules about one problem (or deciding problems): the rules
  one ticket's engines may hold.
"""

from __future__ import annotations

__all__ = ["MAX_FACTS", "MAX_ONE_OF", "MAX_RULES_PER_MODULE", "MAX_TEXT", "read_part"]

MAX_TEXT = 4_000
MAX_FACTS = 200
MAX_ONE_OF = 10_000
MAX_RULES_PER_MODULE = 5_000


def read_part(text: str) -> str:
    """The part of a text that is read: its first ``MAX_TEXT`` characters, cut before the
    last clause that ends near the limit (no clause read half, none without the one after
    it: …,核身:是,客户自己也不太确定), else before a number or an English word the limit falls
    inside (a phone number cut to its first three digits would read as an error code),
    written in full-width or spelt too; and never after a checklist item's answer, whose
    form or doubt may follow (…|核身:是|否)."""
    end = min(len(text), MAX_TEXT)
    if end == len(text):
        return text
    mark = max(text.rfind(m, end - _BACK, end) for m in _MARKS)
    if mark > 0:
        before = max(text.rfind(m, end - _BACK, mark) for m in _MARKS)
        end = (before if before > 0 else mark) + 1
    else:
        while end and _word(text[end - 1]) and _word(text[end]):
            end -= 1
    part = text[:end]
    # the clause the part ends with, if it holds a checklist item, is left out too
    last = part.rstrip("".join(_MARKS))
    start = max(last.rfind(m, len(last) - _BACK) for m in _MARKS)
    if start > 0 and any(m in last[start:] for m in _ITEM_MARKS):
        return part[: start + 1]
    return part


def _word(char: str) -> bool:
    """A character of a number or an English word, as the reader reads it: full-width
    (６９１) too, and the digits a code is spelt with (六七八)."""
    if char.isascii():
        return char.isalnum()
    return char in _SPELT or (
        "\uff10" <= char <= "\uff19" or "\uff21" <= char <= "\uff3a" or "\uff41" <= char <= "\uff5a"
    )


_SPELT = frozenset("零〇一二三四五六七八九")
_MARKS = (",", "，", "。", ";", "；", "!", "！", "?", "？", "\n", "|", "\t", "、")  # end a clause
_BACK = 200  # characters a cut moves back to a mark, at most
_ITEM_MARKS = (":", "=", "?", "：", "＝", "？")  # between a checklist label and its answer
