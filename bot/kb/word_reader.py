"""Reading the knowledge base's own texts into words, each word read once per build.

:func:`bot.kb.normalize.words` reads a text word by word (shorthand, spelling, numbers in
context); building the index of 10,000 entries reads some 560,000 words, most of them the
same few thousand. A :class:`WordReader` remembers each word as written, so most texts are
then one look-up a word; it reads every text exactly as :func:`words` does
(tests/test_kb_build.py).
"""

from __future__ import annotations

import re
import unicodedata

from bot.kb.lexicon import CHAT_SHORTHAND
from bot.kb.normalize import (  # the steps of words(), taken once per word here
    _DIGIT,
    _ENGLISH_ORDINALS,
    _ORDINAL_WORDS,
    Word,
    _dates,
    _plain_word,
    add_word,
    roman_to_int,
)
from bot.kb.present import all_present

# Words that may become a number, or change the one before: the rest never change.
_IN_NUMBERS = _ENGLISH_ORDINALS.keys() | _ORDINAL_WORDS.keys() | {"tien", "term"}
_WORD = re.compile(r"[^\W_]+")


class WordReader:
    """Reads texts into words as :func:`bot.kb.normalize.words` does, each word as written
    (lowercase NFC) read once: its words after chat shorthand, and whether one of them may
    take part in a number in context. For the build of an index: it remembers every word
    of the knowledge base, and is forgotten with the build (questions, arbitrary input,
    are read by :func:`words`, whose memories are bounded)."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[tuple[Word, ...], bool]] = {}
        # The words read as one word that is no number: most words, read at once.
        self._plain: dict[str, Word] = {}

    def _reading(self, written: str) -> tuple[tuple[Word, ...], bool]:
        plain = tuple(_plain_word(part) for part in CHAT_SHORTHAND.get(written, (written,)))
        read = plain, any(
            word.folded in _IN_NUMBERS or word.folded.isdigit() or roman_to_int(word.folded)
            for word in plain
        )
        self._read[written] = read
        if len(plain) == 1 and not read[1]:
            self._plain[written] = plain[0]
        return read

    def words(self, text: str) -> list[Word]:
        """The words of ``text``, as :func:`bot.kb.normalize.words` reads them."""
        lowered = unicodedata.normalize("NFC", text).lower()
        if _DIGIT.search(lowered):
            lowered = _dates(lowered)
        written = lowered.rstrip("?.!").split()  # the words, when no other mark is between
        if not all(map(str.isalnum, written)):
            written = _WORD.findall(lowered)
        plain = list(map(self._plain.get, written))
        if all_present(plain):  # most texts: words read before, no shorthand, no number
            return plain
        out: list[Word] = []
        for word in written:
            read = self._read.get(word) or self._reading(word)
            if not read[1]:  # no number whatever the words before, nor changes them
                out += read[0]
                continue
            for each in read[0]:
                add_word(out, each)
        return out
