"""Folding of Vietnamese and English text for search: what members type vs. what we stored.

Members type on phones: with or without diacritics, NFC or NFD, with chat shorthand and
Roman numerals ("Đại hội II", "dai hoi 2"). Everything the search compares goes through
:func:`fold` and :func:`tokens` so both sides meet in the same plain ASCII-like form.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_ROMAN = re.compile(r"^(?=[ivxl]+$)(l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}

# Words after which a Roman numeral or an ordinal word is a number ("khoa ii", "lan thu tu").
# "i" and "vi" are also ordinary words ("I", "vì"), so they count only after the strong ones.
_STRONG_NUMBER_CONTEXT = frozenset(
    {"khoa", "chuong", "dieu", "term", "chapter", "article", "congress", "phan", "part"}
)
_WEAK_NUMBER_CONTEXT = frozenset({"lan", "thu", "hoi", "nghi", "so", "no", "number"})
_ORDINAL_WORDS = {
    "nhat": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10,
}
_ENGLISH_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3,
    "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
}

# Function words of questions in both languages (folded). They carry no topic: "hội phí là
# bao nhiêu" and "hội phí?" ask the same thing. Topic words such as "hoi", "vien", "thu"
# are not here: the search weighs them by how rare they are in the knowledge base instead.
STOPWORD_PHRASES: tuple[str, ...] = (
    # Vietnamese
    "là", "gì", "gi", "của", "và", "có", "không", "nào", "thế", "như", "ở", "đâu", "bao",
    "nhiêu", "khi", "giờ", "ai", "những", "các", "một", "này", "đó", "thì", "mà", "để",
    "được", "cho", "với", "từ", "đến", "trong", "ra", "sẽ", "đã", "đang", "rồi", "ạ", "à",
    "ơi", "vậy", "sao", "tôi", "mình", "em", "anh", "bạn", "cần", "muốn", "phải", "biết",
    "xin", "vui", "lòng", "hãy", "giúp", "nhé", "nhỉ", "nữa", "hay", "hoặc", "tại", "vì",
    "về", "thể", "lần", "ngày", "mấy", "nhiều", "hỏi", "cho biết", "ko", "k", "j", "dc",
    "đc", "hok", "hông", "khong", "nhu the nao", "bao nhieu", "la gi", "o dau", "bao gio",
    "ntn", "bn", "ạ", "ư", "thì sao", "gồm", "những ai", "cụ thể",
    # English
    "the", "a", "an", "is", "are", "was", "were", "be", "been", "what", "whats", "who",
    "whom", "where", "when", "which", "how", "why", "do", "does", "did", "can", "could",
    "i", "me", "my", "you", "your", "we", "our", "of", "to", "in", "on", "at", "for",
    "about", "tell", "please", "there", "it", "its", "this", "that", "and", "or", "with",
    "much", "many", "any", "have", "has", "had", "should", "would", "will", "by", "from",
    "s", "know", "want", "need", "get", "some", "as", "if", "so",
)


def fold(text: str) -> str:
    """Lowercase, strip diacritics (đ -> d), turn punctuation into spaces, squeeze spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    text = "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )
    return " ".join(_NON_WORD.sub(" ", text).split())


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


def _number_after(before: str, previous: str, token: str) -> int | None:
    if token in _ENGLISH_ORDINALS:
        return _ENGLISH_ORDINALS[token]
    strong = previous in _STRONG_NUMBER_CONTEXT or (previous == "thu" and before == "lan")
    if not strong and previous not in _WEAK_NUMBER_CONTEXT:
        return None
    if previous == "thu" and token in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[token]
    if token in {"i", "vi"} and not (strong or (previous == "hoi" and token == "i")):
        return None
    return roman_to_int(token)


def tokens(text: str) -> list[str]:
    """Folded words of ``text``, with Roman numerals and ordinals in context made digits."""
    words = fold(text).split()
    out: list[str] = []
    for word in words:
        number = _number_after(out[-2] if len(out) > 1 else "", out[-1] if out else "", word)
        out.append(str(number) if number is not None else word)
    return out


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
    lowered = unicodedata.normalize("NFC", text).lower()
    if any(char in _VI_LETTERS for char in lowered):
        return "vi"
    words = fold(lowered).split()
    vi = sum(word in _VI_WORDS for word in words)
    en = sum(word in _EN_WORDS for word in words)
    if vi == en:
        return None
    return "vi" if vi > en else "en"
