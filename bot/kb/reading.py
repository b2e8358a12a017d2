"""How the words of questions and of the items' texts are read beyond the synonyms: a
"không" that denies the word after it, a figure that is a quantity ("17 tuổi"), and the
syllables of a word (each one's share of it)."""

from __future__ import annotations

from operator import itemgetter

from bot.kb.lexicon import QUESTION_INTENTS
from bot.kb.normalize import Word
from bot.kb.synonyms import STOP

# Words that make the figure before them a quantity ("17 tuổi", "5 năm", "2 người").
# ("đại hội 4 năm nào" asks for the year of the 4th congress: "năm" then a question word.)
UNITS = frozenset({
    "tuoi", "nam", "thang", "ngay", "tuan", "gio", "phut", "nguoi", "dong", "nghin", "ngan",
    "trieu", "vnd", "lan", "uy", "years", "year", "months", "month", "days", "day", "weeks",
    "people", "persons", "members", "times", "percent",
})
ASKING_WHICH = frozenset({"nao", "may", "bao", "gi"})

# A word of several syllables ("sinh hoạt", "Nguyễn Hữu Giới") weighs this many times a
# syllable, shared among its syllables: a little more than a word of one, not n times.
WORD_OF_SYLLABLES = 1.2


def quantities(text: list[Word]) -> frozenset[str]:
    """The figures of a text followed by a unit (:data:`UNITS`)."""
    folded = [word.folded for word in text] + [""]
    return frozenset(
        word for word, after, then in zip(folded, folded[1:], folded[2:], strict=False)
        if word.isdigit() and after in UNITS and then not in ASKING_WHICH
    )


# "không" before what it denies ("không đóng hội phí"): in what items say and in questions,
# a token of its own, read only in pairs with the next word by the content index ("không
# đóng" is not "đóng"); a stopword anywhere else (the "có ... không" of a question).
NEGATION = "negation"  # (no word of either language folds or stems to it here)
_NEGATING = frozenset({"khong", "ko", "chua", "quen"})  # "chưa đóng", "quên đóng": not paid
# ..."quên" (to forget) only as written so or without marks: "quen" with other marks is
# another word.
_FORGET = frozenset({"quên", "quen"})
_FIRST = itemgetter(0)


def marking_negations(text: list[Word]) -> list[Word]:
    """``text`` with each "không" made a word that is no stopword (see :data:`NEGATION`)."""
    if _NEGATING.isdisjoint(map(_FIRST, text)):  # most texts (a Word's first is its folded)
        return text
    return [Word(NEGATION, NEGATION)
            if word.folded in _NEGATING and (word.folded != "quen" or word.written in _FORGET)
            else word for word in text]


def negations_kept(
    segments: list[tuple[str, Word | None]],
) -> list[tuple[str, Word | None]]:
    """A "không" stays a negation only before a word that is no stopword or question word."""
    if NEGATION not in map(_FIRST, segments):  # most texts (a segment's first is its token)
        return segments
    out = list(segments)
    for i, (token, _) in enumerate(out):
        if token == NEGATION and (
            i + 1 == len(out) or out[i + 1][0] == STOP or out[i + 1][0] in QUESTION_INTENTS
            or out[i + 1][0] == NEGATION
        ):
            out[i] = (STOP, None)
    return out



def share_words(tokens: list[str], linked: list[int], shares: dict[str, float]) -> None:
    """Each syllable's share of its word (:data:`WORD_OF_SYLLABLES`), where ``linked``
    holds the positions of the syllables that the next one continues, in order."""
    start = None
    for i, position in enumerate(linked):
        if start is None:
            start = position
        if i + 1 < len(linked) and linked[i + 1] == position + 1:
            continue  # the word goes on
        run = tokens[start : position + 2]
        for token in run:
            shares[token] = min(shares.get(token, 1.0), WORD_OF_SYLLABLES / len(run))
        start = None
