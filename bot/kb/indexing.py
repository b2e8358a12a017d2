"""The steps that build the search index (:class:`bot.kb.search.SearchIndex`) from the
items' texts: their phrasings read into tokens, with how each item spells its words, which
syllables stand alone or form words, and what the items say, for the content index.

Every text goes through :mod:`bot.kb.word_reader` (each word read once per build) and the
synonym groups (:meth:`bot.kb.synonyms.Synonyms.segments`, strictly: the knowledge base's
own text is written with all its marks).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter, mul
from typing import TYPE_CHECKING, NamedTuple

from bot.kb.content import with_pairs
from bot.kb.lexicon import QUESTION_INTENTS
from bot.kb.normalize import Word, english_stem
from bot.kb.reading import marking_negations, negations_kept, share_words
from bot.kb.synonyms import STOP, Synonyms

if TYPE_CHECKING:
    from bot.kb.search import Document

_FOLDED = itemgetter(0)  # a Word's folded form


class Phrase(NamedTuple):
    """A phrasing as the index matches it: its tokens, their weight, and its text."""

    tokens: frozenset[str]
    weight: float
    text: str


class IndexBuilder:
    """The building steps of the search index, over the index's own state."""

    synonyms: Synonyms
    ids: list[str]
    idf: dict[str, float]
    _authority: list[bool]
    _words: Callable[[str], list[Word]]
    _terms: dict[tuple[str, Word | None], tuple[str | None, str | None]]
    _vocabulary: Counter[str]
    _verbatim: dict[str, int]
    _spelled: dict[str, dict[str, list[int]]]
    _pairs: set[tuple[str, str]]
    _bound: list[dict[str, frozenset[str]]]
    _content_spelled: dict[str, set[str]]

    def _read_documents(
        self, documents: Iterable[Document]
    ) -> tuple[list[tuple[str, list[list[list[Word]]]]], list[tuple[str, ...]]]:
        """Each document's phrasings as words, its content, and the vocabulary."""
        written: list[str] = []  # every word of every phrasing, counted at the end
        raw_documents: list[tuple[str, list[list[list[Word]]]]] = []
        contents: list[tuple[str, ...]] = []
        for document in documents:
            # A phrasing is read in parts: a title or question is one part; the keywords
            # together make one more phrasing (each alone is too short to be a question, and
            # a lone ambiguous keyword must not match like a whole question), a part each.
            phrasings = [[self._words(phrase)] for phrase in document.phrases]
            if document.keywords:
                phrasings.append([self._words(keyword) for keyword in document.keywords])
            for phrasing in phrasings:
                for part in phrasing:
                    written += map(_FOLDED, part)
            raw_documents.append((document.id, phrasings))
            contents.append(document.content)
            self._authority.append(document.authority)
        self._vocabulary = Counter(self.synonyms.words)
        self._vocabulary.update(written)
        return raw_documents, contents

    def _index_phrasings(
        self, doc_id: str, phrasings: list[list[list[Word]]]
    ) -> list[tuple[list[str], dict[str, float]]]:
        """Number an item and note its spellings, bound syllables, pairs and verbatim
        phrasings; give its phrasings as tokens, with each syllable's share of its word."""
        number = len(self.ids)
        spellings: set[Word] = set()
        free: set[str] = set()
        near: list[tuple[str, str]] = []  # the pairs of syllables next to each other
        content = []
        for phrasing in phrasings:
            if len(phrasing) == 1:
                self._verbatim.setdefault(" ".join(map(_FOLDED, phrasing[0])), number)
            tokens: list[str] = []
            shares: dict[str, float] = {}
            for part in phrasing:
                self._index_part(part, tokens, shares, spellings, free, near)
            if tokens:
                content.append((tokens, shares))
        spelled = self._spelled
        for folded, written in spellings:
            spelled[folded][written].append(number)
        self._pairs.update(near)
        neighbours: dict[str, set[str]] = defaultdict(set)
        for first, second in near:
            neighbours[first].add(second)
            neighbours[second].add(first)
        self._bound.append({
            token: frozenset(others) for token, others in neighbours.items()
            if token not in free
        })
        self.ids.append(doc_id)
        return content

    def _index_part(self, part: list[Word], tokens: list[str], shares: dict[str, float],
                    spellings: set[Word], free: set[str], near: list[tuple[str, str]]) -> None:
        """Read a part of a phrasing into its ``tokens`` and ``shares``; note how it spells
        its words, which of its syllables stand alone (``free``: a stopword or synonym ends a
        word) and the pairs of syllables next to each other (``near``)."""
        segments = self.synonyms.segments(part, strict=True)
        plain = [word is not None and token.isalpha() for token, word in segments]
        last = len(segments) - 1
        pairs = []
        for i, (token, word) in enumerate(segments):
            if token != STOP:
                tokens.append(token)
            if not plain[i] or word is None:  # (plain only if a word)
                continue
            spellings.add(word)
            if i < last and plain[i + 1]:
                pairs.append((token, segments[i + 1][0]))
            elif not (i and plain[i - 1]):
                free.add(token)
        if pairs:
            near += pairs
            known = set(pairs)
            tokens_of_part = [token for token, _ in segments]
            linked = [
                i for i, pair in enumerate(itertools.pairwise(tokens_of_part)) if pair in known
            ]
            share_words(tokens_of_part, linked, shares)

    def _phrase(self, phrasing: tuple[list[str], dict[str, float]]) -> Phrase:
        """A phrasing's tokens as a :class:`Phrase`, weighed by their IDF (and shares)."""
        phrase, shares = phrasing
        tokens = frozenset(phrase)
        weights = map(self.idf.__getitem__, tokens)
        if shares:  # each token's IDF times its share (1 for most), summed in the same order
            weights = map(mul, weights, map(shares.get, tokens, itertools.repeat(1.0)))
        weight = sum(weights)
        return Phrase(tokens, weight, " ".join(phrase))

    def _content_tokens(self, texts: tuple[str, ...]) -> list[str]:
        """An item's content as the content index reads it: tokens, their pairs, and the
        words written with marks also as written ("tuyên" is not "tuyển")."""
        tokens: list[str] = []
        terms = self._terms
        for text in texts:
            sequence: list[str | None] = []
            segments = self.synonyms.segments(marking_negations(self._words(text)), strict=True)
            for segment in negations_kept(segments):
                term = terms.get(segment)
                if term is None:
                    term = terms[segment] = _content_term(*segment)
                sequence.append(term[0])
                if term[1] is not None:
                    tokens.append(term[1])
                    self._content_spelled[segment[0]].add(term[1])
            tokens += with_pairs(sequence)
        return tokens


def _content_term(token: str, word: Word | None) -> tuple[str | None, str | None]:
    """A token of what an item says as the content index reads it (None: a stopword or
    question word), and the word as written when it has marks ("tuyên")."""
    if token == STOP or token in QUESTION_INTENTS:
        return None, None
    if word is None or word.written == token or token != word.folded:
        return english_stem(token), None
    return english_stem(token), word.written
