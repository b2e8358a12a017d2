"""Synonym groups, question words and stopwords: each phrase of a group read as one token.

Used by :mod:`bot.kb.search` on the knowledge base's phrasings, its content and members'
questions alike.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter

from bot.kb.lexicon import QUESTION_INTENTS, STOPWORD_PHRASES
from bot.kb.normalize import (
    Word,
    marks_fit,
    tone_left_out,
    words,
)

_FOLDED = itemgetter(0)  # a Word's folded form
# The token every stopword phrase becomes; :meth:`SearchIndex.question_words` drops it.
STOP = "_"


class Synonyms:
    """Maps every phrase of a synonym group to the group's single canonical token.

    The knowledge base's groups are named after their first phrase. Built in are the
    question intents (:data:`QUESTION_INTENTS`) and the stopwords (all become :data:`STOP`);
    the longest phrase wins ("hội viên" is a topic although "hội" is a stopword), and on the
    very same phrase a knowledge-base group wins. A one-word member of a group whose first
    phrase is longer is an abbreviation and is first spelled out, so abbreviations combine:
    "hội tv vn" -> "hội thư viện việt nam" -> the association. A question word or stopword
    matches only
    as it is spelled or typed without diacritics: "thẻ" (card) is not "thế", "máy" (machine)
    is not "mấy" (how many), but "may" could be either and counts as "mấy".
    """

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._canonical: dict[tuple[str, ...], str] = {}
        # The spellings allowed at each position: exactly for function phrases, with marks
        # possibly left out (:func:`marks_fit`) for the knowledge base's groups.
        self._spellings: dict[tuple[str, ...], list[set[str]]] = {}
        self._loose: set[tuple[str, ...]] = set()
        self._expansions: dict[str, list[Word]] = {}
        self.words: set[str] = set()
        # Words that alone are a question word or a stopword: never the fix of a typo.
        self.function_words: set[str] = set()
        named: list[tuple[str, Iterable[str]]] = [
            (STOP, STOPWORD_PHRASES), *QUESTION_INTENTS.items(),
        ]
        named += [("", group) for group in groups]
        for name, group in named:
            members = [words(phrase) for phrase in group]
            members = [member for member in members if member]
            if not members:
                continue
            canonical = name or "_".join(word.folded for word in members[0])
            for member in members:
                key = tuple(word.folded for word in member)
                self._canonical[key] = canonical
                self.words.update(key)
                if not name:
                    if key not in self._loose:  # a function phrase's spellings give way
                        self._spellings[key] = [set() for _ in key]
                        self._loose.add(key)
                    for allowed, word in zip(self._spellings[key], member, strict=True):
                        allowed.add(word.written)
                    if len(key) == 1 and len(members[0]) > 1:
                        self._expansions[key[0]] = list(members[0])
                    continue
                spellings = self._spellings.setdefault(key, [set() for _ in key])
                for allowed, word in zip(spellings, member, strict=True):
                    allowed.add(word.written)
                if len(key) == 1:
                    self.function_words.add(key[0])
        # Phrase lengths by first word, longest first: most words start no phrase of two.
        sizes: dict[str, set[int]] = defaultdict(set)
        for key in self._canonical:
            sizes[key[0]].add(len(key))
        self._sizes = {first: sorted(lengths, reverse=True) for first, lengths in sizes.items()}
        # While the knowledge base is read (strict): each word read alone, and the words
        # that may follow it in a phrase of several.
        self._alone: dict[Word, tuple[tuple[str, Word | None], set[str] | None]] = {}
        # While the knowledge base is read (strict): the phrase found at each run of words.
        self._runs: dict[tuple[Word, ...], tuple[int, str | None]] = {}
        # The words that follow each first word in a phrase of several.
        self._seconds: dict[str, set[str]] = defaultdict(set)
        for key in self._canonical:
            if len(key) > 1:
                self._seconds[key[0]].add(key[1])
        # Words that follow each other in a phrase of a group ("hoi" then "phi").
        self.pairs = {pair for key in self._canonical for pair in itertools.pairwise(key)}

    def read(self) -> None:
        """The knowledge base is read: forget its words and the phrases found in it (not
        snapshotted)."""
        self._runs.clear()
        self._alone.clear()

    def _matches(self, key: tuple[str, ...], written: list[Word], strict: bool) -> bool:
        spellings = self._spellings.get(key)
        if spellings is None:
            return True
        if strict and len(key) == 1:
            return written[0].written in spellings[0]
        if key in self._loose and not strict:
            return all(
                any(marks_fit(word.written, form) for form in allowed)
                for word, allowed in zip(written, spellings, strict=True)
            )
        return all(
            word.written in allowed or (not strict and (
                word.written == word.folded
                or any(tone_left_out(word.written, form) for form in allowed)
            ))
            for word, allowed in zip(written, spellings, strict=True)
        )

    def _longest(
        self, folded: list[str], text: list[Word], start: int, strict: bool
    ) -> tuple[int, str | None]:
        """The longest phrase at ``start``: its length and canonical token (or 1, None).
        ``folded`` holds the folded words of ``text``."""
        first = folded[start]
        following = folded[start + 1] if start + 1 < len(folded) else None
        for size in self._sizes.get(first, ()):
            if size == 1:
                key: tuple[str, ...] = (first,)
            elif start + size > len(folded) or following not in self._seconds[first]:
                continue
            else:
                key = tuple(folded[start : start + size])
            canonical = self._canonical.get(key)
            if canonical is not None and self._matches(key, text[start : start + size], strict):
                return size, canonical
        return 1, None

    def segments(self, text: list[Word], strict: bool = False) -> list[tuple[str, Word | None]]:
        """The text with synonym phrases (longest first) replaced by their canonical token:
        ``(token, None)`` for those, ``(folded, word)`` for any other word.

        ``strict`` is for the knowledge base's own text, written with all its marks: there
        a phrase matches only as it is spelled, so "Nam" (in "Đông Nam Á") is not the
        stopword "năm", as it may be in a question.
        """
        spelled_out = self._spelled_out(text, strict)
        if strict:
            return self._strict_segments(spelled_out)
        out: list[tuple[str, Word | None]] = []
        starts = self._sizes
        folded = [word.folded for word in spelled_out]
        i = 0
        while i < len(spelled_out):
            word = spelled_out[i]
            if word.folded not in starts:  # most words start no phrase: skip the look-up
                out.append((word.folded, word))
                i += 1
                continue
            size, canonical = self._longest(folded, spelled_out, i, strict)
            if canonical is None:
                out.append((word.folded, word))
            else:
                out.append((canonical, None))
            i += size
        return out

    def _spelled_out(self, text: list[Word], strict: bool) -> list[Word]:
        """The text with the abbreviations that start no phrase here spelled out."""
        expansions = self._expansions
        if expansions.keys().isdisjoint(map(_FOLDED, text)):
            return text
        spelled_out: list[Word] = []
        folded = [word.folded for word in text]
        seconds, count = self._seconds, len(text)
        i = 0
        while i < count:
            following = seconds.get(folded[i])
            if following is None or i + 1 == count or folded[i + 1] not in following:
                # No phrase of several words starts here: an abbreviation, or a word.
                expansion = expansions.get(folded[i])
                if expansion is None:
                    spelled_out.append(text[i])
                else:
                    spelled_out += expansion
                i += 1
                continue
            if strict:
                size, _ = self._run(text, i, folded)
            else:
                size, _ = self._longest(folded, text, i, strict)
            if size == 1 and folded[i] in expansions:
                spelled_out += expansions[folded[i]]
            else:
                spelled_out += text[i : i + size]
            i += size
        return spelled_out

    def _strict_segments(self, text: list[Word]) -> list[tuple[str, Word | None]]:
        """:meth:`segments` of the knowledge base's own text (``strict``), abbreviations
        spelled out. A word that starts no phrase of several words here is read the same way
        everywhere (remembered while the knowledge base is read); a phrase is looked up once
        per run of words (:meth:`_run`)."""
        out: list[tuple[str, Word | None]] = []
        alone, count = self._alone, len(text)
        i = 0
        while i < count:
            word = text[i]
            known = alone.get(word)
            if known is None:
                known = alone[word] = (self._alone_segment(word), self._seconds.get(word.folded))
            segment, following = known
            if following is None or i + 1 == count or text[i + 1].folded not in following:
                out.append(segment)
                i += 1
                continue
            size, canonical = self._run(text, i)
            out.append((word.folded, word) if canonical is None else (canonical, None))
            i += size
        return out

    def _run(
        self, text: list[Word], start: int, folded: list[str] | None = None
    ) -> tuple[int, str | None]:
        """:meth:`_longest` in the knowledge base's own text, looked up once per run of words
        as written (its text repeats its phrases: "là gì", "hội viên")."""
        run = tuple(text[start : start + self._sizes[text[start].folded][0]])
        found = self._runs.get(run)
        if found is None:
            if folded is None:
                folded = [word.folded for word in text]
            found = self._runs[run] = self._longest(folded, text, start, True)
        return found

    def _alone_segment(self, word: Word) -> tuple[str, Word | None]:
        """A word of the knowledge base that starts no phrase of several words, read."""
        if word.folded not in self._sizes:
            return word.folded, word
        _, canonical = self._longest([word.folded], [word], 0, True)
        return (word.folded, word) if canonical is None else (canonical, None)
