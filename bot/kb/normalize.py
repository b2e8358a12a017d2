"""Folding of Vietnamese and English text for search: what members type vs. what we stored.

Members type on phones: with or without diacritics, NFC or NFD, with chat shorthand and
Roman numerals ("Đại hội II", "dai hoi 2"). Everything the search compares goes through
:func:`fold` and :func:`tokens` so both sides meet in the same plain ASCII-like form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple, TypeVar

# One folding for the whole bot (search, member lookup, the form): bot/text.py.
from bot.kb.lexicon import CHAT_SHORTHAND
from bot.text import fold
from bot.text import fold_word as _fold_word

_R = TypeVar("_R")

# A question is read up to this many characters: a pasted letter is not a question, and
# nothing a member types costs more than this to read.
MAX_QUESTION_CHARS = 500
# What each cache of this module may hold, in (estimated) bytes: questions are arbitrary
# user input, so a cache bounded by count could grow with the length of junk words.
CACHE_BYTES = 2 << 20


def cache_size(value: object) -> int:
    """A rough size in bytes of a cached key or value (strings and tuples of them)."""
    if isinstance(value, str):
        return 49 + len(value.encode("utf-8"))
    if isinstance(value, tuple):
        return 40 + 8 * len(value) + sum(cache_size(item) for item in value)
    return 64


def bounded_cache(function: Callable[..., _R]) -> Callable[..., _R]:
    """Remember ``function``'s results up to :data:`CACHE_BYTES`; when full, start over
    (a language has few distinct words: the common ones are back at once)."""
    cache: dict[tuple[object, ...], _R] = {}
    used = 0

    def cached(*args: object) -> _R:
        nonlocal used
        try:
            return cache[args]
        except KeyError:
            pass
        result = function(*args)
        size = 100 + cache_size(args) + cache_size(result)
        if used + size > CACHE_BYTES:
            cache.clear()
            used = 0
        cache[args] = result
        used += size
        return result

    cached.__doc__ = function.__doc__
    return cached

_NON_WORD = re.compile(r"[\W_]+")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})\s*(?:/|\.|\s+th[aá]ng\s+)\s*(\d{1,2})\b"
    r"(?:\s*(?:[/.]|\s+n[aă]m\s+)\s*(\d{4})\b)?"
)
_MONTH_YEAR = re.compile(
    r"\b(?:th[aá]ng\s+(\d{1,2})\s*(?:[/.]|\s+n[aă]m\s+|\s+)|(\d{1,2})\s*[/.]\s*)(\d{4})\b"
)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_ENGLISH_MONTH_YEAR = re.compile(rf"\b({'|'.join(_MONTH_NAMES)})\s+(\d{{4}})\b")
_ROMAN = re.compile(r"^(?=[ivxl]+$)(xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_ROMAN_LETTERS = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

# Words after which a Roman numeral or an ordinal word is a number ("khoa ii", "lan thu tu").
# "i" and "vi" are also ordinary words ("I", "vì"), so they count only after the strong ones.
_STRONG_NUMBER_CONTEXT = frozenset(
    {"khoa", "chuong", "dieu", "term", "chapter", "article", "congress", "phan", "part"}
)
# Words after which a number is a term's ("khóa II": "k2").
_TERM_WORDS = frozenset({"khoa", "term"})
_WEAK_NUMBER_CONTEXT = frozenset({"lan", "thu", "hoi", "nghi", "so", "no", "number"})
# After any other word, a word is a number only if it is digits or an English ordinal.
_NUMBER_CONTEXT = _STRONG_NUMBER_CONTEXT | _WEAK_NUMBER_CONTEXT | {"ky"}
_DIGIT = re.compile(r"\d")
_ORDINAL_WORDS = {
    "nhat": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10,
}
_ENGLISH_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
}

# One spelling for the syllables Vietnamese writes two ways ("đăng kí" = "đăng ký").
_SPELLING_VARIANTS = {"ki": "ky", "li": "ly", "qui": "quy"}


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@bounded_cache
def _spelling(written: str, folded: str) -> str:
    """A word as written, with its tone mark put last: "hoá" and "hóa" are one spelling
    (the old and the new placement of the tone), and "kí" is "ký" like "ki" is "ky"."""
    letters = unicodedata.normalize("NFD", written)
    tones = "".join(char for char in letters if char in _TONE_MARKS)
    if not tones:
        return written if folded == _fold_word(written) else folded
    toneless = unicodedata.normalize(
        "NFC", "".join(char for char in letters if char not in _TONE_MARKS)
    )
    if toneless == _fold_word(written):
        toneless = folded  # no other mark: take the one spelling of the syllable
    return unicodedata.normalize("NFC", toneless + tones)


@bounded_cache
def _letters(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each letter of a word with its marks (a stroke counts as one: "đ" is "d" + stroke)."""
    letters: list[tuple[str, set[str]]] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and letters:
            letters[-1][1].add(char)
        elif char == "đ":
            letters.append(("d", {"stroke"}))
        else:
            letters.append((char, set()))
    return tuple((base, frozenset(marks)) for base, marks in letters)


def marks_fit(typed: str, stored: str) -> bool:
    """Whether ``typed`` can be ``stored`` written with some of its marks left out.

    Phones make it easy to leave a mark out ("hôi" for "hội", "dóng" for "đóng") and
    unlikely to add a wrong one: "đông" (crowded) is not "đóng" (to pay), nor "trường"
    (school) "trưởng" (head).
    """
    if typed == stored:
        return True
    typed_letters, stored_letters = _letters(typed), _letters(stored)
    return len(typed_letters) == len(stored_letters) and all(
        base == other_base and marks <= other_marks
        for (base, marks), (other_base, other_marks) in zip(
            typed_letters, stored_letters, strict=True
        )
    )


def tone_left_out(typed: str, stored: str) -> bool:
    """Whether ``typed`` is ``stored`` with only its tone mark left out ("hôi" for "hội",
    "hiên" for "hiện"), its other marks all there: "máy" is not "mấy", nor "thẻ" "thế"."""
    letters = unicodedata.normalize("NFD", typed)
    if any(char in _TONE_MARKS for char in letters):
        return False
    toneless = "".join(
        char for char in unicodedata.normalize("NFD", stored) if char not in _TONE_MARKS
    )
    return unicodedata.normalize("NFC", toneless) == unicodedata.normalize("NFC", letters)


def roman_to_int(token: str) -> int | None:
    """The value of a (folded) Roman numeral up to 89, or None."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    previous = 0
    for char in reversed(token):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def roman(number: int) -> str:
    """A number as Vietnamese documents write chapters and terms (I, II, ... LXXXIX)."""
    out = []
    for value, letters in _ROMAN_LETTERS:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _number_after(before: str, previous: str, token: str, marked: bool = False) -> int | None:
    if token in _ENGLISH_ORDINALS:
        return _ENGLISH_ORDINALS[token]
    strong = (previous in _STRONG_NUMBER_CONTEXT or (before, previous) == ("lan", "thu")
              or (before, previous) == ("nhiem", "ky"))
    if not strong and previous not in _WEAK_NUMBER_CONTEXT:
        return None
    if previous == "thu" and token in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[token]
    if token in {"i", "vi"} and not (strong or (previous == "hoi" and token == "i")):
        return None
    # A Roman numeral is typed without marks: "chương vì ..." is "because", not chapter VI.
    return None if marked else roman_to_int(token)


class Word(NamedTuple):
    """A word of a text: ``folded`` is what the search compares, ``written`` the word as
    typed (lowercase NFC), which tells "thẻ" (a card) from "thế" when diacritics were used."""

    folded: str
    written: str


def _day_month(match: re.Match[str]) -> str:
    day, month, year = int(match[1]), int(match[2]), match[3]
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match[0]
    return f" {day}m{month} {_month_year(month, year)} "


def _month_year(month: int, year: str | None) -> str:
    return f"m{month}y{year} {year}" if year else ""


def _month_of_year(match: re.Match[str]) -> str:
    month = int(match[1] or match[2])
    return f" {_month_year(month, match[3])} " if 1 <= month <= 12 else match[0]


def _english_month_of_year(match: re.Match[str]) -> str:
    return f" {_month_year(_MONTH_NAMES.index(match[1]) + 1, match[2])} "


def _dates(lowered: str) -> str:
    """Dates made tokens: "22/5/2014" -> "22m5 m5y2014 2014", "tháng 5/2014" and
    "May 2014" -> "m5y2014 2014"."""
    lowered = _DAY_MONTH.sub(_day_month, lowered)
    lowered = _MONTH_YEAR.sub(_month_of_year, lowered)
    return _ENGLISH_MONTH_YEAR.sub(_english_month_of_year, lowered)


def _spelled_out(lowered: str) -> list[str]:
    """The words of a lowercase NFC text with chat shorthand spelled out."""
    out: list[str] = []
    for written in _NON_WORD.split(lowered):
        if written:
            out += CHAT_SHORTHAND.get(written, (written,))
    return out


def words(text: str) -> list[Word]:
    """The words of ``text``, folded, with numbers and spellings made uniform.

    Chat shorthand is spelled out ("sv" -> "sinh viên", "dki" -> "đăng ký"); the two
    spellings of a syllable ("kí"/"ký", "lí"/"lý") become one. Roman numerals and ordinals
    in context become digits and the ordinal marker goes with them ("lần thứ IV" ->
    "lan 4", like "lần 4"); "đầu tiên" (first) is 1; a day and month ("21/4", "22/5/2014",
    "21 tháng 4") is one token ("21m4") so it cannot match a lone 4, and so is a month of a
    year ("tháng 5/2014", "22/5/2014", "May 2014": "m5y2014"). A term's number is marked
    ("khóa II", "nhiệm kỳ 2", "term 2", "2nd term": "k2") so that the 6th conference of
    term III is not a 3rd conference.
    """
    lowered = unicodedata.normalize("NFC", text).lower()
    if _DIGIT.search(lowered):
        lowered = _dates(lowered)
    out: list[Word] = []
    for written in _spelled_out(lowered):
        add_word(out, _plain_word(written))
    return out


def add_word(out: list[Word], word: Word) -> None:
    """Add a word to the words read so far (:func:`words`): it may be a number, or make one
    of the word before it."""
    folded = word.folded
    if folded == "tien" and out and out[-1].folded == "dau":
        out[-1] = Word("1", "1")
        return
    previous = out[-1].folded if out else ""
    number = None
    if previous in _NUMBER_CONTEXT or folded in _ENGLISH_ORDINALS:
        number = _number_after(out[-2].folded if len(out) > 1 else "", previous, folded,
                               word.written != folded)
    if number is None and folded.isdigit():
        number = int(folded)
    if number is None:
        if folded == "term" and previous.isdigit() and int(previous) < 100:
            out[-1] = Word(f"k{previous}", f"k{previous}")  # "2nd term"
        out.append(word)
        return
    before = out[-2].folded if len(out) > 1 else ""
    if previous == "thu":
        out.pop()
    token = str(number)
    if number < 100 and (previous in _TERM_WORDS or (before, previous) == ("nhiem", "ky")):
        token = f"k{number}"  # a term's number is not a meeting's ("khóa III, lần 6")
    out.append(Word(token, token))


@bounded_cache
def _plain_word(written: str) -> Word:
    """A word outside any number context: folded (one spelling of "kí"/"ký") and as
    written."""
    folded = _fold_word(written)
    folded = _SPELLING_VARIANTS.get(folded, folded)
    return Word(folded, _spelling(written, folded))


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` (see :func:`words`)."""
    return [word.folded for word in words(text)]


# A folded Vietnamese syllable: optional initial consonant, then a rhyme. The search leaves
# such words alone (a member typing "nuoc" means "nước", not a typo of "duoc").
_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx]"
_RHYMES = (
    "a ac ach ai am an ang anh ao ap at au ay e ec ech em en eng enh eo ep et eu i ia ich "
    "iec iem ien ieng iep iet ieu im in inh ip it iu o oa oac oach oai oam oan oang oanh "
    "oao oap oat oay oc oe oen oeo oet oi om on ong ooc oong op ot u ua uan uang uat uay "
    "uc ue uen uenh uet ui um un ung uo uoc uoi uom uon uong uop uot uou up ut uu uy uya "
    "uych uyen uyet uynh uyt uyu y yen yet yeu"
)
_SYLLABLE = re.compile(
    rf"^(?:{_INITIALS})?(?:{'|'.join(sorted(_RHYMES.split(), key=len, reverse=True))})$"
)


def english_stem(word: str) -> str:
    """A folded English word without its common endings ("adopted", "adopts", "adopting"
    -> "adopt"; "libraries" -> "library"); other words (Vietnamese syllables, numbers,
    short words) as they are. Only what the items *say* is read so: their phrasings are
    matched as written."""
    if len(word) < 5 or not word.isalpha() or is_vietnamese_syllable(word):
        return word
    for ending, replacement in _ENGLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + replacement
    return word


_ENGLISH_ENDINGS = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def is_vietnamese_syllable(word: str) -> bool:
    """Whether a folded word could be a Vietnamese syllable (written without diacritics)."""
    return bool(_SYLLABLE.match(word))


_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_LETTERS = (("dd", "đ"), ("uow", "ươ"), ("aa", "â"), ("aw", "ă"), ("ee", "ê"),
                  ("oo", "ô"), ("ow", "ơ"), ("uw", "ư"))
_TELEX_VOWELS = "aăâeêioôơuưy"


def from_telex(word: str) -> str | None:
    """A syllable typed in Telex with the keyboard in English mode ("hooij" for "hội",
    "phis" for "phí", "ddieeuf" for "điều"), or None when ``word`` does not read so."""
    letters = word
    tone = ""
    if len(letters) > 1 and letters[-1] in _TELEX_TONES:
        tone, letters = _TELEX_TONES[letters[-1]], letters[:-1]
    for typed, meant in _TELEX_LETTERS:
        letters = letters.replace(typed, meant)
    if letters == word or not is_vietnamese_syllable(_fold_word(letters)):
        return None
    if tone:
        # On the last vowel: where exactly does not matter, spellings put the tone last.
        vowels = [i for i, char in enumerate(letters) if char in _TELEX_VOWELS]
        if not vowels:
            return None
        letters = letters[: vowels[-1] + 1] + tone + letters[vowels[-1] + 1 :]
    return unicodedata.normalize("NFC", letters)


_VI_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_VI_WORDS = frozenset(
    {
        "la", "gi", "cua", "khong", "ko", "co", "nao", "the", "nhu", "o", "dau", "bao",
        "nhieu", "hoi", "vien", "thu", "duoc", "cho", "toi", "minh", "ai", "khi", "dieu",
        "le", "phi", "dong", "chu", "tich", "nghi", "dai", "ban", "va", "cac", "nhung",
        "lam", "sao", "tham", "gia", "nhap", "ngay", "nam", "viet", "muon", "can",
    }
)
_EN_WORDS = frozenset(
    {
        "the", "is", "are", "what", "who", "when", "where", "how", "can", "i", "do", "does",
        "of", "to", "a", "an", "in", "my", "fee", "member", "members", "membership", "join",
        "charter", "article", "meeting", "congress", "president", "association", "library",
        "about", "which", "there", "much", "many", "please", "tell", "me", "and", "for",
    }
)


def detect_language(text: str) -> str | None:
    """``"vi"`` or ``"en"`` for a question, or None when it cannot tell (e.g. "VLA?")."""
    lowered = unicodedata.normalize("NFC", text[:MAX_QUESTION_CHARS]).lower()
    if any(char in _VI_LETTERS for char in lowered):
        return "vi"
    words = fold(lowered).split()
    vi = sum(word in _VI_WORDS for word in words)
    en = sum(word in _EN_WORDS for word in words)
    if vi == en:
        return None
    return "vi" if vi > en else "en"
