"""Marks put back on a question typed without them, from the knowledge base's own texts.

Members type "hoi vien bi khai tru khi nao" on phones; a reader of meaning (the sentence
encoder of :mod:`bot.kb.semantic`) reads "hội viên bị khai trừ khi nào" far better: on the
spent fictional charters it found the right article first for 16% of unmarked questions as
typed and for 76% once their marks were put back. The lexical search needs none of this (it
folds every word), so only that reader uses it.

Each unmarked syllable may be any marked syllable that folds to it ("hoi": hội, hỏi, hơi,
…); the choice is the path through the question that the texts make likeliest: how often
each syllable is written so (unigrams) and how often two follow each other (pairs), the
pairs weighing more. A syllable the texts never write stays as typed. A question with any
mark at all is left as the member wrote it: its marks are theirs, not a guess.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.text import fold_word

# A syllable: letters only ("hội", "đh4" gives "đh"); numbers and punctuation stay put.
_SYLLABLE = re.compile(r"[^\W\d_]+")
_SPLIT = re.compile(r"([^\W\d_]+)")
# How much a pair seen in the texts weighs against a single syllable's frequency.
PAIR_WEIGHT = 3.0
# The most written forms of one folded syllable tried on a path.
_FORMS = 6


def unmarked(text: str) -> bool:
    """Whether ``text`` carries no Vietnamese mark at all."""
    return all(fold_word(word) == word
               for word in unicodedata.normalize("NFC", text.lower()).split())


class Restorer:
    """Puts the marks back on an unmarked question, as the given texts write its words."""

    def __init__(self, texts: Iterable[str]) -> None:
        forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            syllables = _SYLLABLE.findall(unicodedata.normalize("NFC", text.lower()))
            for syllable in syllables:
                forms[fold_word(syllable)][syllable] += 1
            pairs.update(itertools.pairwise(syllables))
        self._forms = {folded: tuple(written.most_common(_FORMS))
                       for folded, written in forms.items()}
        self._pairs = pairs

    def restore(self, question: str) -> str:
        """``question`` with its marks put back when it has none; else as it is."""
        if not unmarked(question):
            return question
        parts = _SPLIT.split(question)
        syllables = [part.lower() for part in parts[1::2]]
        if not syllables:
            return question
        for place, written in zip(range(1, len(parts), 2), self._likeliest(syllables),
                                  strict=True):
            parts[place] = written
        return "".join(parts)

    def _likeliest(self, syllables: list[str]) -> list[str]:
        """The likeliest marked path (Viterbi over the syllables' written forms)."""
        paths: dict[str, tuple[float, list[str]]] = {
            form: (math.log1p(count), [form]) for form, count in self._options(syllables[0])}
        for syllable in syllables[1:]:
            following: dict[str, tuple[float, list[str]]] = {}
            for form, count in self._options(syllable):
                alone = math.log1p(count)
                score, path = max(
                    ((score + alone + PAIR_WEIGHT * math.log1p(self._pairs[path[-1], form]),
                      path) for score, path in paths.values()),
                    key=lambda scored: scored[0])
                following[form] = (score, [*path, form])
            paths = following
        return max(paths.values(), key=lambda scored: scored[0])[1]

    def _options(self, syllable: str) -> tuple[tuple[str, int], ...]:
        return self._forms.get(syllable) or ((syllable, 0),)
