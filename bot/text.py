"""Plain text as the bot compares and measures it (the catalogs of texts are ``bot.texts``).

Members type on phones: with or without diacritics, NFC or NFD. Search, member lookup and the
form's checks compare text through :func:`fold`, so "dak lak" finds "Đắk Lắk" everywhere;
Telegram counts a message's length in UTF-16 code units (:func:`utf16_len`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
# Words longer than this are folded but not remembered: they are junk, not language.
_CACHED_WORD_CHARS = 40


def nfc(text: str) -> str:
    """NFC with whitespace collapsed: phones send both NFC and NFD."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lowercase, strip diacritics (đ -> d), turn punctuation into spaces, squeeze spaces."""
    lowered = unicodedata.normalize("NFC", text).lower()
    written = lowered.rstrip("?.!").split()  # the words, when only spaces are between them
    if not all(map(str.isalnum, written)):
        written = _WORD.findall(lowered)
    if max(map(len, written), default=0) > _CACHED_WORD_CHARS:
        return " ".join(map(fold_word, written))
    return " ".join(map(_fold_known_word, written))


def fold_compact(text: str) -> str:
    """:func:`fold` keeping letters and digits only ("TP. Hồ Chí Minh" -> "tphochiminh")."""
    return "".join(c for c in fold(text) if c.isalnum())


def fold_word(word: str) -> str:
    """One lowercase NFC word without its marks ("đóng" -> "dong")."""
    if len(word) > _CACHED_WORD_CHARS:
        return _strip_marks(word)
    return _fold_known_word(word)


@lru_cache(maxsize=8192)  # a language has few distinct words
def _fold_known_word(word: str) -> str:
    return _strip_marks(word)


def _strip_marks(word: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", word.replace("đ", "d"))
        if not unicodedata.combining(char)
    )


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2
