"""BM25 over what the knowledge base says: answers, meetings' details, charter articles.

The curated phrasings (titles, questions, keywords) are matched by :mod:`bot.kb.search`;
this index ranks the items' *content* with SQLite FTS5's ``bm25()`` (k1 = 1.2, b = 0.75)
over the same tokens the search reads (folded syllables, synonym tokens, numbers and dates)
and over pairs of syllables written next to each other ("hội nghị" is more than "hội" and
"nghị" anywhere in the text). FTS5 was chosen over the ``bm25s`` package by measurement on
10,000 generated items: build 0.46 s against 1.33 s, p99 per question 0.9 ms against 0.1 ms
(both far under the budget), and no numpy/scipy to install and load (RSS 79 MB against
194 MB in that test).

A score is made comparable across questions by dividing it by the question's ideal score:
the sum of its terms' BM25 IDF, which a text of average length holding each term once
earns. The result (capped at 1) is close to the share of the question, weighed by rarity,
that the item's text holds: words the knowledge base never wrote weigh the most, so a
question about something else gets a low score however many common words it shares.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Pairs are joined with this (a token character for FTS5's tokenizer, never in a word).
PAIR = "__"
# How many of the best items by content are considered for a question.
CONTENT_CANDIDATES = 10
# FTS5 floors the IDF of a term found in more than half of the texts at this.
_IDF_FLOOR = 1e-6


@dataclass(frozen=True)
class Said:
    """How well an item's content matches a question: ``rank``, its BM25 score divided by
    the best item's (0-1], and ``coverage``, the share of the question's words, weighed by
    their IDF, that the content holds (0-1)."""

    rank: float
    coverage: float
    # How many of the question's words and pairs of words the content holds.
    held: int = 0


def with_pairs(sequence: Sequence[str | None]) -> list[str]:
    """The tokens of ``sequence`` and the pairs of neighbours (``None`` breaks a run)."""
    out = [token for token in sequence if token is not None]
    out += [
        f"{first}{PAIR}{second}" for first, second in itertools.pairwise(sequence)
        if first is not None and second is not None
    ]
    return out


class ContentIndex:
    """An in-memory FTS5 table with one row per item (``rowid`` = the item's number)."""

    def __init__(self, texts: Iterable[tuple[int, list[str]]]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        # One connection, used by whichever thread asks (the bot's loop, a benchmark).
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE content USING fts5("
            "body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )
        self.frequency: Counter[str] = Counter()
        rows = []
        terms: list[str] = []  # each item's terms once, counted at the end
        for number, tokens in texts:
            if tokens:
                terms += set(tokens)
                rows.append((number, " ".join(tokens)))
        self.frequency.update(terms)
        self.size = len(rows)
        with self._db:
            self._db.executemany("INSERT INTO content(rowid, body) VALUES (?, ?)", rows)
            self._db.execute("INSERT INTO content(content) VALUES ('optimize')")

    def __getstate__(self) -> dict[str, object]:
        """For a snapshot (:mod:`bot.kb.snapshot`): the table as bytes, no connection."""
        state = dict(self.__dict__)
        with self._lock:
            state["_db"] = self._db.serialize()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        image = state.pop("_db")
        self.__dict__.update(state)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.deserialize(image)  # type: ignore[arg-type]
        self._lock = threading.Lock()

    def idf(self, term: str) -> float:
        """BM25's IDF of a term, as FTS5 computes it (a term never written weighs most)."""
        found = self.frequency.get(term, 0)
        return max(math.log((self.size - found + 0.5) / (found + 0.5)), _IDF_FLOOR)

    def search(
        self, words: list[tuple[str, ...]], pairs: list[str], limit: int = CONTENT_CANDIDATES
    ) -> dict[int, Said]:
        """The items whose content best matches a question's ``words`` (each given as the
        terms it may be: a word typed with marks is only the spellings it fits) and
        ``pairs``. A word never written counts against every item; a pair never written is
        no evidence either way (its words already count)."""
        words = list(dict.fromkeys(words))
        pairs = [pair for pair in dict.fromkeys(pairs) if pair in self.frequency]
        # Terms in more than half of the texts weigh nothing in BM25 (FTS5 floors their
        # IDF) but would make SQLite score most rows: they are left out of the query.
        common = self.size / 2
        known = [term for word in words for term in word
                 if 0 < self.frequency.get(term, 0) <= common]
        known += [pair for pair in pairs if self.frequency[pair] <= common]
        if not known or not self.size:
            return {}
        # Coverage counts the pairs the knowledge base writes somewhere: "nhân viên" is
        # not held by a text that has "nhận" and "hội viên".
        groups = words + [(pair,) for pair in pairs]
        weights = [min(self.idf(term) for term in group) for group in groups]
        total = sum(weights)
        query = " OR ".join(f'"{term}"' for term in dict.fromkeys(known))
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, bm25(content), body FROM content WHERE content MATCH ? "
                "ORDER BY bm25(content) LIMIT ?", (query, limit),
            ).fetchall()
        found: dict[int, Said] = {}
        best = -rows[0][1] if rows else 1.0
        for number, score, body in rows:
            terms = set(body.split())
            held = [not terms.isdisjoint(group) for group in groups]
            found[number] = Said(
                -score / best,
                sum(weight for weight, is_held in zip(weights, held, strict=True)
                    if is_held) / total,
                sum(held),
            )
        return found
