"""What of a customer may be shown: never a phone or ID number (seed 002: customer data is
never disclosed). ``mask_numbers`` hides every run of seven or more digits (a phone, an ID,
an account number), full-width ones too, keeping the first three and the last two."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["mask_numbers"]

_LONG = re.compile(r"\d{7,}[0-9Xx]?")


def mask_numbers(text: str) -> str:
    """The text with every long number masked: 13800138000 → 138******00."""
    folded = unicodedata.normalize("NFKC", text)
    return _LONG.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 5) + m.group(0)[-2:],
                     folded)  # fmt: skip
