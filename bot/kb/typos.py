"""Typos in a question, repaired into words of the knowledge base: a word that cannot be
Vietnamese fixed to a close word, words run together split, a syllable a slip of the thumb
away that pairs with a neighbour ("hoi phu" -> "hội phí"), Telex typed in English mode."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.kb.normalize import (
    CACHE_BYTES,
    Word,
    cache_size,
    from_telex,
    is_vietnamese_syllable,
    roman_to_int,
    words,
)
from bot.kb.synonyms import Synonyms

# Words of numbers ("6 nghìn hội viên", "hai trăm"): never a slip for another word ("nghìn
# hội" is not "nghỉ hội", leaving the association).
_NUMBER_WORDS = frozenset({"nghin", "ngan", "tram", "trieu", "muoi"})

# English endings of two letters or more: "chaired" is "chair" inflected.
_INFLECTIONS = frozenset({"ed", "es", "ing", "er", "ers", "ly"})

# Repaired words are remembered, up to this many bytes (questions are arbitrary input).
_REPAIR_BYTES = CACHE_BYTES


class Typos:
    """Repairs against a vocabulary (word -> how often the knowledge base writes it), the
    index's topic words (``topic_words``: never changed in context) and the pairs of
    syllables it writes next to each other (``known_pairs``)."""

    def __init__(self, vocabulary: Counter[str], synonyms: Synonyms,
                 topic_words: Collection[str], known_pairs: set[tuple[str, str]]) -> None:
        self._vocabulary = vocabulary
        self.synonyms = synonyms
        self._topic_words = topic_words
        self._known_pairs = known_pairs
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in vocabulary:
            if word.isalpha() and word not in synonyms.function_words:
                self._by_length[len(word)].append(word)
        self._repairs: dict[str, tuple[str, ...]] = {}
        self._repair_bytes = 0
        # The words that may follow, or come before, a word in a known pair.
        self._after: dict[str, set[str]] = defaultdict(set)
        self._before: dict[str, set[str]] = defaultdict(set)
        for first, second in known_pairs:
            self._after[first].add(second)
            self._before[second].add(first)

    def __getstate__(self) -> dict[str, object]:
        """For a snapshot, taken while questions are answered: without the cache of repairs
        (the one thing questions change)."""
        return {**self.__dict__, "_repairs": {}, "_repair_bytes": 0}

    def from_telex(self, word: Word) -> Word:
        """A word of a question typed in Telex with the keyboard in English mode ("hooij
        phis" for "hội phí"), if it reads so and is not a word of the knowledge base."""
        if (word.folded in self._vocabulary or not word.folded.isalpha()
                or is_vietnamese_syllable(word.folded)):
            return word
        syllable = from_telex(word.folded)
        return word if syllable is None else words(syllable)[0]

    def from_phone_spelling(self, word: Word) -> Word:
        """A word spelled with "f" for "ph", as members type on phones ("fó chủ tịch",
        "cho fép"), if the knowledge base writes it with "ph" and not with "f"."""
        folded = word.folded
        if folded[:1] != "f" or folded in self._vocabulary:
            return word
        meant = f"ph{folded[1:]}"
        if meant not in self._vocabulary:
            return word
        return Word(folded=meant, written=f"ph{word.written[1:]}")

    def repair(self, word: str) -> tuple[str, ...]:
        """A word the knowledge base does not know: split it or fix a small typo if we can.

        A word that could be a Vietnamese syllable is left alone: without diacritics many
        syllables are one letter apart ("nuoc", "duoc"), so "fixing" them changes the
        question. Typos are repaired into topic words only, never into question words.
        """
        if (word in self._vocabulary or not word.isalpha() or len(word) < 4
                or is_vietnamese_syllable(word) or roman_to_int(word) is not None):
            return (word,)
        cached = self._repairs.get(word)
        if cached is not None:
            return cached
        repaired: tuple[str, ...] = (word,)
        limit = 1 if len(word) <= 5 else 2
        choices = [
            candidate
            for size in range(len(word) - limit, len(word) + limit + 1)
            for candidate in self._by_length.get(size, ())
        ]
        found = [
            hit for hit in process.extract(word, choices, scorer=OSA.distance,
                                           score_cutoff=limit, limit=None)
            # A word two letters longer than one it begins with is that word inflected
            # ("chaired": "chair") or another word ("country" is not "count").
            if not (hit[1] > 1 and word.startswith(hit[0])
                    and word[len(hit[0]):] not in _INFLECTIONS)
            # Two letters wrong and the first one too is another word ("French" is not
            # "branch"): a slip keeps the first letter.
            and not (hit[1] > 1 and hit[0][:1] != word[:1])
        ]
        best = min(found, key=lambda hit: (hit[1], -self._vocabulary[hit[0]]), default=None)
        cuts = [
            (word[:cut], word[cut:]) for cut in range(2, len(word) - 1)
            if word[:cut] in self._vocabulary and word[cut:] in self._vocabulary
        ]
        # One letter wrong is likelier than two words run together ("kein": "kien", not
        # "ke in"), which is likelier than two letters wrong.
        if best is not None and best[1] <= 1:
            repaired = (best[0],)
        elif cuts:
            repaired = cuts[0]
        elif best is not None:
            repaired = (best[0],)
        size = 100 + cache_size(word) + cache_size(repaired)
        if self._repair_bytes + size > _REPAIR_BYTES:
            self._repairs.clear()
            self._repair_bytes = 0
        self._repairs[word] = repaired
        self._repair_bytes += size
        return repaired

    def repair_in_context(self, text: list[Word]) -> list[Word]:
        """Fix a slip of the thumb that made another syllable ("hoi phu" for "hội phí",
        "ban chao hanh" for "ban chấp hành"), or a spelling as the region speaks ("thanh
        nap" for "thành lập"): a syllable becomes one a slip away from it (:func:`_one_slip`,
        :func:`said_alike`) if that one, and no other, makes a pair the knowledge base writes
        with the word before or after. Words of the items' phrasings are never changed; a
        word of a synonym group needs a pair of a synonym phrase, and a question word or
        stopword one on both sides ("chao" of "ban chao hanh")."""
        out = list(text)
        for i, word in enumerate(text):
            folded = word.folded
            if (len(folded) < 3 or not folded.isalpha() or folded in self._topic_words
                    or roman_to_int(folded) is not None or folded in _NUMBER_WORDS):
                continue  # "CONSAL XVI" is not a slip for "CONSAL XIV", "6 nghìn" for "nghỉ"
            before = out[i - 1].folded if i > 0 else ""
            after = text[i + 1].folded if i + 1 < len(text) else ""
            if folded not in self._vocabulary:
                pairs, both = self._known_pairs, False
            else:
                pairs, both = self.synonyms.pairs, folded in self.synonyms.function_words
                if (before, folded) in pairs or (folded, after) in pairs:
                    continue
            candidates = self._after.get(before, set()) | self._before.get(after, set())
            fixes = [
                candidate for candidate in candidates
                if (((before, candidate) in pairs) + ((candidate, after) in pairs)
                    >= (2 if both else 1))
                and (_one_slip(folded, candidate) or said_alike(folded, candidate))
            ]
            if len(fixes) == 1:
                out[i] = Word(fixes[0], fixes[0])
        return out


# Initial consonants said alike in a region, and so typed ("nàm" for "làm", "tru tịch" for
# "chủ tịch", "xinh hoạt" for "sinh hoạt", "rai hội" for "đại hội"), longest first; and
# final ones ("bang" for "ban", "chủ tịt" for "chủ tịch").
_INITIALS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
             "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_SAID_ALIKE = (("l", "n"), ("ch", "tr"), ("s", "x"), ("d", "gi", "r", "v"))
_FINALS_ALIKE = (("n", "ng", "nh"), ("t", "c", "ch"))


def _initial(syllable: str) -> str:
    return next((start for start in _INITIALS if syllable.startswith(start)), "")


def said_alike(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` (folded syllables) spelled as a region says it: an
    initial consonant for one said alike, or a final "n" for "ng", "t" for "c"."""
    first, other = _initial(typed), _initial(meant)
    rest, meant_rest = typed[len(first):], meant[len(other):]
    if first != other:
        return rest == meant_rest and any(
            first in alike and other in alike for alike in _SAID_ALIKE)
    for alike in _FINALS_ALIKE:
        for final in alike:
            if rest.endswith(final) and len(rest) > len(final):
                stem = rest[: -len(final)]
                return any(meant_rest == stem + other_final
                           for other_final in alike if other_final != final)
    return False


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_PLACES = {
    key: (row, column + row / 2) for row, keys in enumerate(_KEYBOARD)
    for column, key in enumerate(keys)
}


def _near_keys(first: str, second: str) -> bool:
    """Whether two letters are next to each other on a phone's keyboard."""
    if first not in _KEY_PLACES or second not in _KEY_PLACES:
        return False
    (row, column), (other_row, other_column) = _KEY_PLACES[first], _KEY_PLACES[second]
    return abs(row - other_row) <= 1 and abs(column - other_column) <= 1


def _one_slip(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with one slip of the thumb: a letter left out or
    doubled, two letters swapped, or a key next to the right one."""
    if len(typed) == len(meant):
        differ = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        if len(differ) == 1:
            return _near_keys(typed[differ[0]], meant[differ[0]])
        return (len(differ) == 2 and differ[1] == differ[0] + 1
                and typed[differ[0]] == meant[differ[1]] and typed[differ[1]] == meant[differ[0]])
    if abs(len(typed) - len(meant)) != 1:
        return False
    longer, shorter = (typed, meant) if len(typed) > len(meant) else (meant, typed)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
