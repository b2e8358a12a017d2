"""Years written out in words, as members type them when they dictate or spell a year
("năm hai nghìn mười chín", "nam hai ngan le sau"): read as figures ("năm 2019", "năm
2006") before the question is searched, the way the knowledge base writes them.

Only a year after "năm" (the word for year) is read, from 2000 to 2099, and not before a
unit or another figure: "hai nghìn đồng", "một năm hai nghìn (một trăm) đồng" are
amounts.

So is the number said after a congress, a term, a time, a chapter or an article ("đại hội
ba", "khóa hai", "lần sáu", "chương bốn"): the third congress, the second term
(:func:`numbers_in_figures`).
"""

from __future__ import annotations

import re
import unicodedata

from bot.kb.reading import UNITS
from bot.text import fold_compact

# A digit as said: "mốt" (1), "tư" (4) and "lăm" (5) after a ten.
_DIGITS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6,
           "bay": 7, "tam": 8, "chin": 9}
_AFTER_TEN = {word: value for word, value in _DIGITS.items() if word != "nam"}
_THOUSAND = ("nghin", "ngan")
_ZERO_TENS = ("le", "linh")  # "lẻ sáu": 06


def _rest(words: list[str], at: int) -> tuple[int, int]:
    """The year's last two figures said from ``at`` (after "hai nghìn"), and how many words
    they took: "lẻ sáu" 6, "mười chín" 19, "hai mươi mốt" 21, nothing 0."""
    if words[at:at + 2] == ["khong", "tram"]:
        value, used = _rest(words, at + 2)
        return value, used + 2
    first = words[at] if at < len(words) else ""
    second = words[at + 1] if at + 1 < len(words) else ""
    third = words[at + 2] if at + 2 < len(words) else ""
    if first in _ZERO_TENS and second in _DIGITS:
        return _DIGITS[second], 2
    if first == "muoi":
        return (10 + _AFTER_TEN[second], 2) if second in _AFTER_TEN else (10, 1)
    if first in _DIGITS and first != "mot" and second == "muoi":
        tens = 10 * _DIGITS[first]
        return (tens + _AFTER_TEN[third], 3) if third in _AFTER_TEN else (tens, 2)
    return 0, 0


def years_in_figures(question: str) -> str:
    """``question`` with each year written in words after "năm" as its figures."""
    typed = question.split()
    words = [fold_compact(word) for word in typed]
    if not any(word in _THOUSAND for word in words):
        return question  # most questions
    out: list[str] = []
    i = 0
    while i < len(typed):
        if (i >= 1 and words[i - 1] == "nam" and words[i] == "hai"
                and i + 1 < len(words) and words[i + 1] in _THOUSAND):
            value, used = _rest(words, i + 2)
            after = i + 2 + used
            if after >= len(words) or (words[after] not in UNITS
                                       and words[after] not in _DIGITS):  # "một trăm"
                out.append(str(2000 + value))
                i = after
                continue
        out.append(typed[i])
        i += 1
    return " ".join(out)


# Numbers said as words, as written: "năm" is never one ("đại hội năm 2016" is the year),
# nor are "sau" ("đại hội sau", the next), "tu" ("khóa từ...") or "bay" without marks.
_SAID_NUMBERS = {"một": 1, "mot": 1, "hai": 2, "ba": 3, "bốn": 4, "bon": 4, "tư": 4, "sáu": 6,
                 "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "chin": 9, "mười": 10, "muoi": 10}
# What a number said after names: a congress ("đại hội", two words), a term, a time.
_NUMBERED = frozenset({"khoa", "lan", "ky", "chuong", "dieu"})


# "đh4", "dh 2": a congress by its number, in chat shorthand ("đh" alone may be "đại học").
_CONGRESS_SHORT = re.compile(r"\b[dđ]h ?(\d{1,2})\b", re.IGNORECASE)


def numbers_in_figures(question: str) -> str:
    """``question`` with a number said in words after a congress, a term, a time, a
    chapter or an article as its figures ("đại hội ba" -> "đại hội 3"), and a congress's
    number in shorthand spelled out ("dh4" -> "đại hội 4")."""
    question = _CONGRESS_SHORT.sub(r"đại hội \1", question)
    typed = question.split()
    written = [unicodedata.normalize("NFC", word).lower().strip(",.;:?!") for word in typed]
    if not any(word in _SAID_NUMBERS for word in written):
        return question  # most questions
    folded = [fold_compact(word) for word in written]
    for i in range(1, len(typed)):
        if written[i] in _SAID_NUMBERS and (
                folded[i - 1] in _NUMBERED or folded[i - 2:i] == ["dai", "hoi"]):
            typed[i] = str(_SAID_NUMBERS[written[i]]) + typed[i][len(written[i]):]
    return " ".join(typed)
