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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.kb.content import PAIR, ContentIndex, Said, with_pairs
from bot.kb.normalize import (
    CACHE_BYTES,
    QUESTION_INTENTS,
    Word,
    cache_size,
    english_stem,
    fold,
    from_telex,
    is_vietnamese_syllable,
    marks_fit,
    roman_to_int,
    words,
)
from bot.kb.synonyms import STOP, Synonyms

# Score (0-100) from which the best item is given as the answer...
ANSWER_THRESHOLD = 60.0
# ...provided the next item is this far behind; otherwise both are offered as suggestions.
ANSWER_MARGIN = 6.0
# ...and provided it holds this share of the question's weight: a question whose other
# words the knowledge base lacks ("Phạm Thế Khang sinh năm nào") asks what it does not say.
ANSWER_COVERAGE = 0.65
# Items scoring at least this are offered as suggestions when there is no answer.
SUGGEST_THRESHOLD = 38.0
MAX_SUGGESTIONS = 3
# What the content (BM25, 0-1) is worth against the curated phrasings (0-1): measured on
# qa_eval.yaml and the dev set, 0.5 gave content no answer of its own, 0.65 and more
# leaked more unanswerable questions than it answered.
CONTENT_WEIGHT = 0.6
# The content alone answers only a question with this many of its words and pairs of
# words in the text: one or two shared words ("đại hội" and "6") are a coincidence as often
# as an answer.
CONTENT_WORDS_TO_ANSWER = 3
# Only this many items, those sharing the most weight with the question, are scored fully.
_CANDIDATES = 25
# Years and figures the knowledge base does not know ("hội phí 2025") are usually incidental.
_UNKNOWN_NUMBER_WEIGHT = 0.8
# What a question asks for ("who", "how") matters less than what it is about.
_INTENT_WEIGHT = 0.7
# A syllable an item has only inside a longer word, asked alone, counts this much.
_BOUND_WEIGHT = 0.5
# A word of several syllables ("sinh hoạt", "Nguyễn Hữu Giới") weighs this many times a
# syllable, shared among its syllables: a little more than a word of one, not n times.
_WORD_OF_SYLLABLES = 1.2
# A pasted letter is not a question: only its first words are read.
_MAX_QUESTION_WORDS = 50
# Repaired words are remembered, up to this many bytes (questions are arbitrary input).
_REPAIR_BYTES = CACHE_BYTES


@dataclass(frozen=True)
class Match:
    """An item and how well it matches a question (0-100)."""

    id: str
    score: float
    # The share of the question's weight the item holds (0-1).
    coverage: float = 1.0


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


@dataclass(frozen=True)
class _Phrase:
    tokens: frozenset[str]
    weight: float
    text: str


class SearchIndex:
    """An inverted index over the phrases of every answerable item."""

    def __init__(self, documents: Iterable[Document], synonyms: Iterable[Iterable[str]]) -> None:
        self.synonyms = Synonyms(synonyms)
        vocabulary: Counter[str] = Counter(self.synonyms.words)
        raw_documents: list[tuple[str, list[list[list[Word]]]]] = []
        contents: list[tuple[str, ...]] = []
        for document in documents:
            # A phrasing is read in parts: a title or question is one part; the keywords
            # together make one more phrasing (each alone is too short to be a question, and
            # a lone ambiguous keyword must not match like a whole question), a part each.
            phrasings = [[words(phrase)] for phrase in document.phrases]
            if document.keywords:
                phrasings.append([words(keyword) for keyword in document.keywords])
            for phrasing in phrasings:
                for part in phrasing:
                    vocabulary.update(word.folded for word in part)
            raw_documents.append((document.id, phrasings))
            contents.append(document.content)
        self._vocabulary = vocabulary
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in vocabulary:
            if word.isalpha() and word not in self.synonyms.function_words:
                self._by_length[len(word)].append(word)
        self._repairs: dict[str, tuple[str, ...]] = {}
        self._repair_bytes = 0

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
        doc_phrases: list[list[tuple[list[str], set[str]]]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for doc_id, phrasings in raw_documents:
            number = len(self.ids)
            spellings: set[Word] = set()
            free: set[str] = set()
            neighbours: dict[str, set[str]] = defaultdict(set)
            content = []
            for phrasing in phrasings:
                if len(phrasing) == 1:
                    verbatim = " ".join(word.folded for word in phrasing[0])
                    self._verbatim.setdefault(verbatim, number)
                tokens: list[str] = []
                shares: dict[str, float] = {}
                for part in phrasing:
                    segments = self.synonyms.segments(part, strict=True)
                    pairs = set(_syllables(segments, spellings, free, neighbours))
                    self._pairs.update(pairs)
                    tokens_of_part = [token for token, _ in segments]
                    linked = [
                        i for i in range(len(segments) - 1)
                        if (tokens_of_part[i], tokens_of_part[i + 1]) in pairs
                    ] if pairs else []
                    _share_words(tokens_of_part, linked, shares)
                    tokens += [token for token, _ in segments if token != STOP]
                if tokens:
                    content.append((tokens, shares))
            for word in spellings:
                self._spelled[word.folded][word.written].append(number)
            self._bound.append({
                token: frozenset(near) for token, near in neighbours.items() if token not in free
            })
            self.ids.append(doc_id)
            doc_phrases.append(content)
            for word in {word for phrase, _ in content for word in phrase}:
                postings[word].append(number)
        count = max(len(self.ids), 1)
        self.idf = {
            word: _INTENT_WEIGHT if word in QUESTION_INTENTS else math.log(1 + count / len(docs))
            for word, docs in postings.items()
        }
        self._unknown_weight = math.log(1 + count) + 1.0
        self._numbers = [
            _ordinals({word for phrase, _ in phrases for word in phrase}) for phrases in doc_phrases
        ]
        self._known_pairs = self._pairs | self.synonyms.pairs
        # The words that may follow, or come before, a word in a known pair.
        self._after: dict[str, set[str]] = defaultdict(set)
        self._before: dict[str, set[str]] = defaultdict(set)
        for first, second in self._known_pairs:
            self._after[first].add(second)
            self._before[second].add(first)
        self._postings = dict(postings)
        self._content_spelled: dict[str, set[str]] = defaultdict(set)
        self.content = ContentIndex(
            (number, self._content_tokens(texts)) for number, texts in enumerate(contents)
        )
        self._phrases = [
            tuple(
                _Phrase(
                    frozenset(phrase),
                    sum(self.idf[w] * shares.get(w, 1.0) for w in set(phrase)),
                    " ".join(phrase),
                )
                for phrase, shares in phrases
            )
            for phrases in doc_phrases
        ]

    def _content_tokens(self, texts: tuple[str, ...]) -> list[str]:
        """An item's content as the content index reads it: tokens, their pairs, and the
        words written with marks also as written ("tuyên" is not "tuyển")."""
        tokens: list[str] = []
        for text in texts:
            sequence: list[str | None] = []
            for token, word in self.synonyms.segments(words(text), strict=True):
                if token == STOP or token in QUESTION_INTENTS:
                    sequence.append(None)
                    continue
                sequence.append(english_stem(token))
                if word is not None and word.written != token and token == word.folded:
                    tokens.append(word.written)
                    self._content_spelled[token].add(word.written)
            tokens += with_pairs(sequence)
        return tokens

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

    def _from_telex(self, word: Word) -> Word:
        """A word of a question typed in Telex with the keyboard in English mode ("hooij
        phis" for "hội phí"), if it reads so and is not a word of the knowledge base."""
        if (word.folded in self._vocabulary or not word.folded.isalpha()
                or is_vietnamese_syllable(word.folded)):
            return word
        syllable = from_telex(word.folded)
        return word if syllable is None else words(syllable)[0]

    def _repair(self, word: str) -> tuple[str, ...]:
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
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
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

    def _repair_in_context(self, text: list[Word]) -> list[Word]:
        """Fix a slip of the thumb that made another syllable ("hoi phu" for "hội phí",
        "ban chao hanh" for "ban chấp hành"): a syllable becomes one a slip away from it
        (:func:`_one_slip`) if that one, and no other, makes a pair the knowledge base writes
        with the word before or after. Words of the items' phrasings are never changed; a
        word of a synonym group needs a pair of a synonym phrase, and a question word or
        stopword one on both sides ("chao" of "ban chao hanh")."""
        out = list(text)
        for i, word in enumerate(text):
            folded = word.folded
            if (len(folded) < 3 or not folded.isalpha() or folded in self.idf
                    or roman_to_int(folded) is not None):
                continue  # "CONSAL XVI" is not a slip for "CONSAL XIV"
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
                and _one_slip(folded, candidate)
            ]
            if len(fixes) == 1:
                out[i] = Word(fixes[0], fixes[0])
        return out

    def question_words(self, question: str) -> list[str]:
        """The content words of a question, as the index sees them (deduplicated, in order)."""
        return self._read(question).words

    def _read(self, question: str) -> _Reading:
        """How the index reads a question."""
        text: list[Word] = []
        typed = words(question)[:_MAX_QUESTION_WORDS]
        plain_ascii = all(word.written == word.folded for word in typed)
        for word in typed:
            if plain_ascii:
                word = self._from_telex(word)
            repaired = self._repair(word.folded)
            text += [word] if repaired == (word.folded,) else [Word(p, p) for p in repaired]
        text = self._repair_in_context(text)
        only_in: dict[str, set[int]] = {}
        segments = self.synonyms.segments(text)
        content = [
            token if word is None else self._typed(word, only_in) for token, word in segments
        ]
        typed = [
            None if word is None or word.written == word.folded else word.written
            for _, word in segments
        ]
        asked = list(dict.fromkeys(
            # A letter alone the knowledge base does not know ("e", "a"): a shorthand for
            # a pronoun or a slip of the thumb, never a topic.
            word for word in content
            if word != STOP and (len(word) > 1 or word in self.idf or not word.isalpha())
        ))
        plain = [word is not None and token.isalpha() for token, word in segments]
        linked = [
            i for i in range(len(content) - 1)
            if plain[i] and plain[i + 1] and (content[i], content[i + 1]) in self._pairs
        ]
        shares: dict[str, float] = {}
        _share_words(content, linked, shares)
        kept = set(asked)
        sequence = [
            english_stem(token if token.isascii() else fold(token))
            if token in kept and token not in QUESTION_INTENTS else None
            for token in content
        ]
        said = [
            self._content_terms(token, form)
            for token, form in zip(sequence, typed, strict=True) if token is not None
        ]
        return _Reading(asked, only_in, {word.folded for word in text}, shares, sequence, said)

    def _weight(self, word: str) -> float:
        weight = self.idf.get(word)
        if weight is not None:
            return weight
        if word in QUESTION_INTENTS:
            return _INTENT_WEIGHT
        # A year or a figure the knowledge base lacks is usually incidental ("hội phí
        # 2025"); a meeting's or term's number it lacks is another meeting ("đại hội 5").
        incidental = word.isdigit() and len(word) > 2
        return _UNKNOWN_NUMBER_WEIGHT if incidental else self._unknown_weight

    def search(self, question: str, limit: int = MAX_SUGGESTIONS + 1) -> list[Match]:
        """The best items for a question, best first, with scores from 0 to 100."""
        reading = self._read(question)
        asked, only_in, written = reading.words, reading.only_in, reading.written
        if all(word in QUESTION_INTENTS for word in asked):
            # "mấy giờ rồi?": a question word and no topic, unless the knowledge base has
            # the very question ("bạn là ai?").
            number = self._verbatim.get(" ".join(word.folded for word in words(question)))
            return [] if number is None else [Match(self.ids[number], 100.0)]
        weights = {
            word: self._weight(word) * reading.shares.get(word, 1.0)
            for word in asked
        }
        total = sum(weights.values())
        shared: dict[int, float] = defaultdict(float)
        for word in asked:
            allowed = only_in.get(word)
            for number in self._postings.get(word, ()):
                if allowed is None or number in allowed:
                    shared[number] += weights[word]
        said = self.content.search(
            reading.said,
            [pair for pair in with_pairs(reading.sequence) if PAIR in pair],
        )
        if not shared and not said:
            return []
        candidates = sorted(shared, key=shared.__getitem__, reverse=True)[:_CANDIDATES]
        chosen = set(candidates)
        candidates += [number for number in said if number not in chosen]
        question_set = set(asked)
        question_text = " ".join(asked)
        asked_numbers = _ordinals(question_set)
        matches: list[Match] = []
        kept: list[float] = []  # the best scores so far, best first
        for number in candidates:
            if (number not in said and len(kept) > MAX_SUGGESTIONS
                    and 50 * shared[number] / total + 50 < -kept[MAX_SUGGESTIONS]):
                # Even a perfect phrasing could not place it among the first few; the
                # candidates come by falling shared weight, so neither could the rest.
                continue
            excluded = {word for word, allowed in only_in.items() if number not in allowed}
            asked_here = question_set - excluded
            bound = self._bound[number]
            # A syllable the item has only inside a longer word, asked without any of
            # that word's other syllables, is weak evidence.
            item_weights = {
                word: weight * _BOUND_WEIGHT
                if word in bound and not bound[word] & written else weight
                for word, weight in weights.items()
            }
            coverage = (shared[number] - sum(
                weights[word] - item_weights[word] for word in bound.keys() & question_set
                if word not in excluded
            )) / total
            best_fit = 0.0
            best_ratio = 0.0
            for phrase in self._phrases[number] if shared[number] else ():
                common = asked_here & phrase.tokens
                if not common:
                    continue
                matched = sum(item_weights[word] for word in common)
                recall, precision = matched / total, matched / phrase.weight
                best_fit = max(best_fit, 2 * recall * precision / (recall + precision))
                best_ratio = max(best_ratio, fuzz.token_sort_ratio(question_text, phrase.text))
            phrased = 100 * (0.5 * coverage + 0.4 * best_fit) + 0.1 * best_ratio
            content = said.get(number)
            if content is not None:
                score = fuse(phrased, content)
                coverage = max(coverage, content.coverage)
            else:
                score = phrased
            if any(
                asked_numbers[kind] and numbers and not asked_numbers[kind] & numbers
                for kind, numbers in self._numbers[number].items()
            ):
                # "phương châm đại hội 4": the item is another meeting or term (3).
                score = min(score, ANSWER_THRESHOLD - 1)
            matches.append(Match(self.ids[number], round(score, 1), round(coverage, 3)))
            bisect.insort(kept, -score)
        matches.sort(key=lambda match: match.score, reverse=True)
        return matches[:limit]


def _numbers_by_spelling() -> defaultdict[str, list[int]]:
    """A spelling -> item numbers map (a named function: snapshots pickle the index)."""
    return defaultdict(list)


def fuse(phrased: float, said: Said) -> float:
    """One score (0-100) from the phrasings' (0-100) and the content's: the better of the
    two (CombMAX fusion of normalised scores). The content's score is its coverage of the
    question times its BM25 score relative to the best item's, worth :data:`CONTENT_WEIGHT`
    of a phrasing's: alone, it reaches the answer threshold only when the text holds the
    whole question and ranks first. (Summing the two, or a probabilistic OR, lifted the
    runners-up too and cost answers and safety on qa_eval.yaml.)"""
    content = 100 * CONTENT_WEIGHT * said.coverage * said.rank
    if said.held < CONTENT_WORDS_TO_ANSWER:
        content = min(content, ANSWER_THRESHOLD - 1)
    return max(phrased, content)


def _ordinals(tokens: set[str]) -> dict[str, set[str]]:
    """The numbers that name a meeting or a term among ``tokens``, by kind."""
    return {
        "meeting": {token for token in tokens if token.isdigit() and len(token) <= 2},
        "term": {token for token in tokens if token[:1] == "k" and token[1:].isdigit()},
    }


def _share_words(tokens: list[str], linked: list[int], shares: dict[str, float]) -> None:
    """Each syllable's share of its word (:data:`_WORD_OF_SYLLABLES`), where ``linked``
    holds the positions of the syllables that the next one continues."""
    start = None
    continuing = set(linked)
    for i in range(len(tokens)):
        if i in continuing:
            start = i if start is None else start
            continue
        if start is not None:
            run = tokens[start : i + 1]
            for token in run:
                shares[token] = min(shares.get(token, 1.0), _WORD_OF_SYLLABLES / len(run))
            start = None


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


def _syllables(
    segments: list[tuple[str, Word | None]],
    spellings: set[Word],
    free: set[str],
    neighbours: dict[str, set[str]],
) -> list[tuple[str, str]]:
    """Note how an item spells its words, and which of its syllables stand alone (``free``)
    or next to other syllables (``neighbours``; a stopword or synonym ends a word); give
    the pairs of syllables next to each other."""
    plain = [word is not None and token.isalpha() for token, word in segments]
    last = len(segments) - 1
    pairs = []
    for i, (token, word) in enumerate(segments):
        if not plain[i]:
            continue
        spellings.add(word)
        left = i > 0 and plain[i - 1]
        right = i < last and plain[i + 1]
        if not (left or right):
            free.add(token)
            continue
        near = neighbours[token]
        if left:
            near.add(segments[i - 1][0])
        if right:
            near.add(segments[i + 1][0])
            pairs.append((token, segments[i + 1][0]))
    return pairs


@dataclass(frozen=True)
class Decision:
    """What the search makes of a question: ``answered``, ``suggest`` or ``unknown``."""

    status: str
    best: Match | None
    suggestions: tuple[str, ...]


def decide(matches: list[Match]) -> Decision:
    """Turn ranked matches into an answer, suggestions, or nothing."""
    if not matches or matches[0].score < SUGGEST_THRESHOLD:
        return Decision("unknown", matches[0] if matches else None, ())
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if (best.score >= ANSWER_THRESHOLD and best.score - runner_up >= ANSWER_MARGIN
            and best.coverage >= ANSWER_COVERAGE):
        return Decision("answered", best, ())
    suggestions = tuple(
        match.id for match in matches[:MAX_SUGGESTIONS] if match.score >= SUGGEST_THRESHOLD
    )
    return Decision("suggest", best, suggestions)


_REFERENCE = re.compile(r"\b(dieu|article|art|chuong|chapter)\s+(\d{1,3})\b")


@dataclass(frozen=True)
class CharterReference:
    """A question that names a charter article or chapter by number ("Điều 5", "chương II")."""

    kind: str  # "article" or "chapter"
    number: int


def charter_reference(question: str) -> CharterReference | None:
    """The article or chapter a question names, if it names one."""
    match = _REFERENCE.search(" ".join(word.folded for word in words(question)))
    if match is None:
        return None
    kind = "article" if match[1] in {"dieu", "article", "art"} else "chapter"
    return CharterReference(kind, int(match[2]))
