"""Finding the item that answers a member's question, with a confidence the handler can trust.

Every indexed phrase (titles, questions, keywords) and every question goes through the same
pipeline: fold (case, diacritics, punctuation) -> chat shorthand spelled out ("sv", "dki")
-> numbers and dates in context ("khóa II" -> "k2", "lần thứ IV" -> "4", "22/5/2014" ->
"22m5 m5y2014 2014") -> typo repair (questions only: a word that cannot be Vietnamese is
fixed to a close word of the knowledge base; a syllable it lacks, to one a slip of the
thumb away that pairs with a neighbour, "hoi phu" -> "hội phí") -> abbreviations spelled out
and synonyms made one canonical token ("BCH", "ban chấp hành" and "executive committee" all
become one token) -> question words made intent tokens ("ai" -> who), stopwords dropped.
Diacritics count when typed: a word typed with marks matches only items that spell it so,
or with more marks ("hôi" can be "hội"; "đông" is not "đóng").

Each question word weighs its IDF in the knowledge base, so generic words cannot carry a
match and words the knowledge base has never seen ("bóng đá", "thời tiết") weigh the most
and pull the score down; a word of several syllables weighs 1.2 syllables in all, and a
syllable an item has only inside a longer word ("Đông" of "Đông Nam Á") counts half for it
when asked alone. An item's score (0-100) is 50% coverage (the share of the question's
weight the item's words hold), 40% fit of its best phrasing (harmonic mean of that coverage
and the share of the phrasing's weight the question holds) and 10% rapidfuzz
``token_sort_ratio`` against that phrasing. What the items *say* (answers, meetings'
details, articles) is ranked by BM25 in :mod:`bot.kb.content` and fused in by :func:`fuse`;
its coverage of the question counts too. :func:`decide` answers only a clear winner
above :data:`ANSWER_THRESHOLD` that holds :data:`ANSWER_COVERAGE` of the question: an
unanswerable question, or one about what an item does not say, gets ``unknown`` or
suggestions.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.kb.content import PAIR, ContentIndex, Said, with_pairs
from bot.kb.indexing import IndexBuilder
from bot.kb.lexicon import QUESTION_INTENTS
from bot.kb.normalize import (
    Word,
    english_stem,
    marks_fit,
    words,
)
from bot.kb.ranking import (  # noqa: F401 (also the search's API for its callers and tests)
    ANSWER_COVERAGE,
    ANSWER_MARGIN,
    ANSWER_THRESHOLD,
    CONTENT_WEIGHT,
    CONTENT_WORDS_TO_ANSWER,
    MAX_SUGGESTIONS,
    SUGGEST_THRESHOLD,
    Decision,
    Match,
    decide,
    fuse,
)
from bot.kb.reading import (
    NEGATION,
    marking_negations,
    negations_kept,
    quantities,
    share_words,
)
from bot.kb.references import CharterReference, charter_reference  # noqa: F401
from bot.kb.synonyms import STOP, Synonyms
from bot.kb.typos import Typos
from bot.kb.word_reader import WordReader
from bot.text import fold

# Only this many items, those sharing the most weight with the question, are scored fully.
_CANDIDATES = 25
# Years and figures the knowledge base does not know ("hội phí 2025") are usually incidental.
_UNKNOWN_NUMBER_WEIGHT = 0.8
# What a question asks for ("who", "how") matters less than what it is about.
_INTENT_WEIGHT = 0.7
# A syllable an item has only inside a longer word, asked alone, counts this much.
_BOUND_WEIGHT = 0.5
# A pasted letter is not a question: only its first words are read.
_MAX_QUESTION_WORDS = 50


@dataclass(frozen=True)
class Document:
    """What the index knows of an item: its phrasings (titles, questions) and keywords.

    A question is matched against whole phrasings; keywords only help find the item.
    """

    id: str
    phrases: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    # What the item says (its answer, a meeting's details, an article's text): ranked by
    # BM25 (:mod:`bot.kb.content`), with less weight than the curated phrasings.
    content: tuple[str, ...] = ()
    # An official text (a charter article): no curated phrasings, and what it says is the
    # authority, so its content weighs :data:`AUTHORITY_WEIGHT`.
    authority: bool = False


@dataclass(frozen=True)
class _Reading:
    """A question as the index reads it: its content ``words``; for words typed with marks,
    the only items they may match (``only_in``); all its folded words, stopwords included
    (``written``: the "co" of "co quan"); and the syllables of its words of several
    syllables the knowledge base knows, with each one's share of the word (``shares``)."""

    words: list[str]
    only_in: dict[str, set[int]]
    written: set[str]
    shares: dict[str, float]
    # The content words in the order typed, None where a stopword or question word was,
    # and each one's terms in the content index.
    sequence: list[str | None]
    said: list[tuple[str, ...]]
    # Figures followed by a unit ("17 tuổi", "1 năm", "200.000 đồng"): quantities, not the
    # number of a meeting.
    quantities: frozenset[str] = frozenset()


class SearchIndex(IndexBuilder):
    """An inverted index over the phrases of every answerable item (built by
    :class:`IndexBuilder`'s steps)."""

    def __init__(self, documents: Iterable[Document], synonyms: Iterable[Iterable[str]]) -> None:
        self.synonyms = Synonyms(synonyms)
        self._authority: list[bool] = []
        # The knowledge base's words, each read once while it is indexed, and each word of
        # what its items say as the content index reads it (:mod:`bot.kb.indexing`).
        self._words = WordReader().words
        self._terms: dict[tuple[str, Word | None], tuple[str | None, str | None]] = {}
        raw_documents, contents = self._read_documents(documents)
        # Which items spell a word (outside synonym groups) which way: "dong" is "đóng"
        # (to pay) in one item and "Đông" (east) in another.
        self._spelled: dict[str, dict[str, list[int]]] = defaultdict(_numbers_by_spelling)
        # Per item, its syllables found only inside longer words, with their neighbours:
        # "dong" only in "Đông Nam Á" is not the "đông" of "hội có đông không".
        self._bound: list[dict[str, frozenset[str]]] = []
        # Pairs of syllables the knowledge base writes next to each other.
        self._pairs: set[tuple[str, str]] = set()
        # Each phrasing word for word: "bạn là ai" is all question words and stopwords.
        self._verbatim: dict[str, int] = {}
        self.ids: list[str] = []
        doc_phrases = [self._index_phrasings(doc_id, phrasings)
                       for doc_id, phrasings in raw_documents]
        postings: dict[str, list[int]] = defaultdict(list)
        self._numbers = []
        for number, content in enumerate(doc_phrases):
            written = {word for phrase, _ in content for word in phrase}
            for word in written:
                postings[word].append(number)
            self._numbers.append(_ordinals(written))
        count = max(len(self.ids), 1)
        self.idf = {
            word: _INTENT_WEIGHT if word in QUESTION_INTENTS else math.log(1 + count / len(docs))
            for word, docs in postings.items()
        }
        self._unknown_weight = math.log(1 + count) + 1.0
        self._typos = Typos(self._vocabulary, self.synonyms, self.idf,
                            self._pairs | self.synonyms.pairs)
        self._postings = dict(postings)
        self._content_spelled: dict[str, set[str]] = defaultdict(set)
        self.content = ContentIndex(
            (number, self._content_tokens(texts)) for number, texts in enumerate(contents)
        )
        self._phrases = [tuple(map(self._phrase, phrases)) for phrases in doc_phrases]
        self.synonyms.read()
        del self._words, self._terms

    def _content_terms(self, word: str, typed: str | None) -> tuple[str, ...]:
        """The content terms a question's word may be: typed with marks, only the
        spellings of the knowledge base it fits (:func:`marks_fit`)."""
        spellings = self._content_spelled.get(word)
        if typed is None or not spellings:
            return (word,)
        fitting = tuple(form for form in spellings if marks_fit(typed, form))
        if len(fitting) == len(spellings) and typed == word:
            return (word,)
        return fitting or (typed,)

    def _typed(self, word: Word, only_in: dict[str, set[int]]) -> str:
        """A question's word as the index sees it. Typed with marks, it matches only the
        items that spell it so (or with more marks: :func:`marks_fit`), recorded in
        ``only_in``; if none does, it is a word the knowledge base does not have."""
        spelled = self._spelled.get(word.folded)
        if word.written == word.folded or not spelled:
            return word.folded
        fitting = [docs for form, docs in spelled.items() if marks_fit(word.written, form)]
        if not fitting:
            return word.written
        if len(fitting) < len(spelled):
            only_in[word.folded] = {number for docs in fitting for number in docs}
        return word.folded

    def question_words(self, question: str, negation: bool = False) -> list[str]:
        """The content words of a question, as the index sees them (deduplicated, in order);
        with ``negation``, :data:`NEGATION` too if the question denies something."""
        reading = self._read(question)
        return _with_negation(reading) if negation else reading.words

    def _read(self, question: str) -> _Reading:
        """How the index reads a question."""
        text: list[Word] = []
        typed = words(question)[:_MAX_QUESTION_WORDS]
        plain_ascii = all(word.written == word.folded for word in typed)
        for word in typed:
            if plain_ascii:
                word = self._typos.from_telex(word)
            word = self._typos.from_phone_spelling(word)
            repaired = self._typos.repair(word.folded)
            text += [word] if repaired == (word.folded,) else [Word(p, p) for p in repaired]
        text = self._typos.repair_in_context(text)
        only_in: dict[str, set[int]] = {}
        segments = negations_kept(self.synonyms.segments(marking_negations(text)))
        content = [
            token if word is None else self._typed(word, only_in) for token, word in segments
        ]
        marked = [  # each token as typed when typed with marks
            None if word is None or word.written == word.folded else word.written
            for _, word in segments
        ]
        asked = list(dict.fromkeys(
            # A letter alone the knowledge base does not know ("e", "a"): a shorthand for
            # a pronoun or a slip of the thumb, never a topic.
            word for word in content
            if word not in (STOP, NEGATION)
            and (len(word) > 1 or word in self.idf or not word.isalpha())
        ))
        plain = [word is not None and token.isalpha() for token, word in segments]
        linked = [
            i for i in range(len(content) - 1)
            if plain[i] and plain[i + 1] and (content[i], content[i + 1]) in self._pairs
        ]
        shares: dict[str, float] = {}
        share_words(content, linked, shares)
        kept = set(asked)
        sequence = [
            english_stem(token if token.isascii() else fold(token))
            if (token in kept or token == NEGATION) and token not in QUESTION_INTENTS else None
            for token in content
        ]
        figures = quantities(text)
        said = [
            self._content_terms(token, form)
            for token, form in zip(sequence, marked, strict=True)
            if token is not None and token != NEGATION
            # A figure with its unit no text writes ("72 tuổi" where the charter says "70
            # tuổi"): an instance of what is asked, no evidence against every text.
            and not (token in figures and token not in self.content.frequency)
        ]
        return _Reading(asked, only_in, {word.folded for word in text}, shares, sequence, said,
                        figures)

    def _weight(self, word: str) -> float:
        weight = self.idf.get(word)
        if weight is not None:
            return weight
        if word in QUESTION_INTENTS:
            return _INTENT_WEIGHT
        said = self.content.frequency.get(word)
        if said:
            # A word only the items' texts write ("tuổi" of "từ đủ 18 tuổi"): as rare as it
            # is there, not a word the knowledge base never saw.
            return math.log(1 + max(len(self.ids), 1) / said)
        # A year or a figure the knowledge base lacks is usually incidental ("hội phí
        # 2025"); a meeting's or term's number it lacks is another meeting ("đại hội 5").
        incidental = word.isdigit() and len(word) > 2
        return _UNKNOWN_NUMBER_WEIGHT if incidental else self._unknown_weight

    def search(self, question: str, limit: int = MAX_SUGGESTIONS + 1) -> list[Match]:
        """The best items for a question, best first, with scores from 0 to 100."""
        return self.search_read(question, limit)[0]

    def search_read(
        self, question: str, limit: int = MAX_SUGGESTIONS + 1
    ) -> tuple[list[Match], list[str]]:
        """:meth:`search`, and the question's words as the index reads them
        (:meth:`question_words` with ``negation``), read once."""
        reading = self._read(question)
        return self._search(question, reading, limit), _with_negation(reading)

    def _search(self, question: str, reading: _Reading, limit: int) -> list[Match]:
        asked = reading.words
        if all(word in QUESTION_INTENTS for word in asked):
            # "mấy giờ rồi?": a question word and no topic, unless the knowledge base has
            # the very question ("bạn là ai?").
            number = self._verbatim.get(" ".join(word.folded for word in words(question)))
            return [] if number is None else [Match(self.ids[number], 100.0)]
        weights = {
            word: (_UNKNOWN_NUMBER_WEIGHT if word in reading.quantities
                   else self._weight(word)) * reading.shares.get(word, 1.0)
            for word in asked
        }
        shared: dict[int, float] = defaultdict(float)
        for word in asked:
            allowed = reading.only_in.get(word)
            weight = weights[word]
            posted = self._postings.get(word, ())
            for number in posted if allowed is None else [n for n in posted if n in allowed]:
                shared[number] += weight
        said = self.content.search(
            reading.said,
            [pair for pair in with_pairs(reading.sequence) if PAIR in pair],
        )
        if not shared and not said:
            return []
        asking = _Asking(reading, weights, sum(weights.values()), shared, said,
                         " ".join(asked), _ordinals(set(asked) - reading.quantities),
                         frozenset(asked))
        candidates = sorted(shared, key=shared.__getitem__, reverse=True)[:_CANDIDATES]
        chosen = set(candidates)
        candidates += [number for number in said if number not in chosen]
        matches: list[Match] = []
        kept: list[float] = []  # the best scores so far, best first
        for number in candidates:
            if (number not in said and len(kept) > MAX_SUGGESTIONS
                    and 50 * shared[number] / asking.total + 50 < -kept[MAX_SUGGESTIONS]):
                # Even a perfect phrasing could not place it among the first few; the
                # candidates come by falling shared weight, so neither could the rest.
                continue
            match = self._score(number, asking)
            matches.append(match)
            bisect.insort(kept, -match.score)
        matches.sort(key=lambda match: match.score, reverse=True)
        return matches[:limit]

    def _score(self, number: int, asking: _Asking) -> Match:
        """How well item ``number`` matches the question being asked."""
        reading, weights, total = asking.reading, asking.weights, asking.total
        question_set = asking.words
        excluded = {word for word, allowed in reading.only_in.items() if number not in allowed}
        asked_here = question_set - excluded if excluded else question_set
        bound = self._bound[number]
        # A syllable the item has only inside a longer word, asked without any of
        # that word's other syllables, is weak evidence.
        weak = [word for word in bound.keys() & question_set
                if not bound[word] & reading.written] if bound else []
        if weak:
            item_weights = dict(weights)
            for word in weak:
                item_weights[word] = weights[word] * _BOUND_WEIGHT
        else:
            item_weights = weights
        coverage = (asking.shared[number] - sum(
            weights[word] - item_weights[word] for word in bound.keys() & question_set
            if word not in excluded
        )) / total if weak else asking.shared[number] / total
        best_fit = 0.0
        best_ratio = 0.0
        weight_of = item_weights.__getitem__
        for phrase in self._phrases[number] if asking.shared[number] else ():
            common = phrase.tokens & asked_here
            if not common:
                continue
            matched = sum(map(weight_of, common))
            recall, precision = matched / total, matched / phrase.weight
            fit = 2 * recall * precision / (recall + precision)
            if fit > best_fit:
                best_fit = fit
            if best_ratio < 100.0:
                ratio = fuzz.token_sort_ratio(asking.text, phrase.text)
                if ratio > best_ratio:
                    best_ratio = ratio
        score = 100 * (0.5 * coverage + 0.4 * best_fit) + 0.1 * best_ratio
        held = None
        content = asking.said.get(number)
        if content is not None:
            phrased, score = score, fuse(score, content, self._authority[number])
            coverage = max(coverage, content.coverage)
            if score > phrased and content.held < CONTENT_WORDS_TO_ANSWER:
                held = "content"
        other = [
            numbers for kind, numbers in self._numbers[number].items()
            if asking.numbers[kind] and numbers and not asking.numbers[kind] & numbers
        ] if asking.numbered else []
        if other:
            # "phương châm đại hội 4": the item is another meeting or term (3). (One that
            # lists several, "Khóa I, II, IV", may only lack the one asked.)
            score = min(score, ANSWER_THRESHOLD - 1)
            if any(len(numbers) == 1 for numbers in other):
                held = "number"
        return Match(self.ids[number], round(score, 1), round(coverage, 3), content, held)


@dataclass(frozen=True)
class _Asking:
    """A question being scored: how it reads, its words' weights (and their ``total``), the
    weight each item shares with it, what the content index found, its words as one text,
    and the numbers it names."""

    reading: _Reading
    weights: dict[str, float]
    total: float
    shared: dict[int, float]
    said: dict[int, Said]
    text: str
    numbers: dict[str, set[str]]
    words: frozenset[str] = frozenset()  # the question's words, as a set

    @property
    def numbered(self) -> bool:
        """Whether the question names a meeting's or a term's number at all."""
        return any(self.numbers.values())


def _numbers_by_spelling() -> defaultdict[str, list[int]]:
    """A spelling -> item numbers map (a named function: snapshots pickle the index)."""
    return defaultdict(list)


def _ordinals(tokens: set[str]) -> dict[str, set[str]]:
    """The numbers that name a meeting or a term among ``tokens``, by kind."""
    return {
        "meeting": {token for token in tokens if token.isdigit() and len(token) <= 2},
        "term": {token for token in tokens if token[:1] == "k" and token[1:].isdigit()},
    }


def _with_negation(reading: _Reading) -> list[str]:
    return [*reading.words, NEGATION] if NEGATION in reading.sequence else reading.words
