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
    """The part of a text that is read: its first ``MAX_TEXT`` characters, cut after the
    last mark that ends a clause near the limit, else before a number or an English
    word the limit falls inside (a phone number cut to its first three digits would read as
    an error code), written in full-width or spelt too."""
    end = min(len(text), MAX_TEXT)
    if end < len(text):
        # at the last mark that ends a clause before the limit, if one is near: no clause
        # or checklist item is read half (…,核身:是|否待查 cut after 是)
        mark = max(text.rfind(m, end - _BACK, end) for m in _MARKS)
        if mark > 0:
            return text[: mark + 1]
        while end and _word(text[end - 1]) and _word(text[end]):
            end -= 1
    return text[:end]


def _word(char: str) -> bool:
    """A character of a number or an English word, as the reader reads it: full-width
    (６９１) too, and the digits a code is spelt with (六七八)."""
    if char.isascii():
        return char.isalnum()
    return char in _SPELT or (
        "\uff10" <= char <= "\uff19" or "\uff21" <= char <= "\uff3a" or "\uff41" <= char <= "\uff5a"
    )


_SPELT = frozenset("零〇一二三四五六七八九")
_MARKS = (",", "，", "。", ";", "；", "!", "！", "?", "？", "\n")  # that end a clause
_BACK = 200  # characters a cut moves back to a mark, at most
