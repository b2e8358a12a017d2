"""Folding Vietnamese text for matching: what a user types without diacritics still matches."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC with whitespace collapsed: phones send both NFC and NFD."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower case, no diacritics (``đ`` becomes ``d``), single spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()


def fold_compact(text: str) -> str:
    """:func:`fold` keeping letters and digits only ("TP. Hồ Chí Minh" -> "tphochiminh")."""
    return "".join(c for c in fold(text) if c.isalnum())
