"""A learned second opinion on which of the search's first matches answers a question.

The search ranks items by hand-written evidence: the words of their phrasings and texts,
the topics' keywords, the charter's authority rules. What members ask is often indirect
("em chuyển công tác sang tỉnh khác thì còn là hội viên không" is the article on leaving
or moving), and that evidence ties or misleads. A model learned, from the questions the
bot was developed on (never from the blind sets that judge it), which words of a question
go with which words of an item's title: "chuyển công tác" with "chấm dứt", "ai kiểm tra
tiền" with "ban kiểm tra", "fi" with "phí".

It is a linear model over the search's own figures for each of the first candidates (its
score, coverage, what its text says) and the pairs (question word, title word),
with one more choice, "none of them", for questions nothing answers; a softmax over the
choices gives each its probability. Its choice is taken only when that probability reaches
the threshold learned with it (:attr:`Verdict.sure`).

There are two models (:data:`KINDS`): ``articles``, consulted when the best match is an
article of an imported charter and trained on the development charters, whatever the
association; and ``entries``, consulted otherwise and trained on the members' development
sets. ``bench/train_ranker.py`` trains each, reports how it does on the sets left out of its
training, and writes ``reranker-<kind>.json`` beside this module.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.kb.model import Article
from bot.kb.ranking import Match

KINDS = ("articles", "entries", "meanings", "entry-meanings")
# How many of the search's first matches are the candidates.
CANDIDATES = 10
ARTICLE_PREFIX = "article-"
# Words that say nothing of which item is asked ("hội viên" is in most questions).
_STOPWORDS = frozenset(
    "cua va la co thi the nao gi khong ko k a ah oi nhe em anh chi minh toi hoi vien".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_NOTHING = (0.0,)  # what a pair never learned weighs
_NONE: frozenset[str] = frozenset()
_ZEROS = itertools.repeat(0.0)  # a feature never learned weighs
# What marks a charter topic among an article's title words ("@fee").
TOPIC_MARK = "@"
# The cosine around which the encoder's closest article sits (multilingual-e5: 0.8-0.9).
MEANING_CENTRE = 0.85
_MOST = (("title_hit", "title_most"), ("text_hit", "text_most"),
         ("telling_hit", "telling_most"))


def _unmarked(text: str) -> str:
    """``text`` without its marks (the combining ones, once decomposed)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def _fold_table() -> dict[int, str]:
    """What :func:`_unmarked` makes of each character of the Latin, punctuation and symbol
    blocks, as a :meth:`str.translate` table: a letter's plain letters, a mark nothing, and
    a character that leaves no letter or figure a space (it only ever parts words)."""
    blocks = ((0x80, 0x370), (0x1E00, 0x1F00), (0x2000, 0x2200), (0x2460, 0x2600))
    table = {}
    for code in itertools.chain.from_iterable(range(*block) for block in blocks):
        plain = _unmarked(chr(code))
        if plain.isascii():
            table[code] = plain
        elif not any(char.isascii() and char.isalnum() for char in plain):
            table[code] = " "
    return table


_FOLD = _fold_table()


def terms(text: str) -> frozenset[str]:
    """The words of ``text``, folded (lower case, no marks, "đ" as "d"), but the
    stopwords, and each pair of neighbouring words ("ban_kiem", "kiem_tra")."""
    plain = text.lower().replace("đ", "d").translate(_FOLD)
    if not plain.isascii():  # a character of no block read ahead (an emoji, a script)
        plain = _unmarked(plain)
    words = _WORD.findall(plain)
    return frozenset(
        [word for word in words if word not in _STOPWORDS]
        + [f"{first}_{second}" for first, second in itertools.pairwise(words)]
    )


def article_terms(articles: Iterable[Article],
                  covering: Mapping[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """The words of each article's title (:func:`terms`) and a mark for each charter topic
    it covers (``covering``: topic id -> its articles), "@fee" for "Tài chính của Hội" that
    holds the fee. Charters title the same topic in different words ("Ra khỏi Hội",
    "Chấm dứt tư cách hội viên"); the pairs (question word, topic) are learned across all
    of them."""
    marks: defaultdict[str, list[str]] = defaultdict(list)
    for topic, covered in covering.items():
        for article_id in covered:
            marks[article_id].append(TOPIC_MARK + topic)
    return {article.id: terms(article.title.vi) | frozenset(marks[article.id])
            for article in articles}


Features = dict[str, float]


def candidate_features(asked: frozenset[str], match: Match,
                       title: frozenset[str] | None) -> Features:
    """What the model reads of one candidate: the search's figures and, with its title,
    the pairs (question word, title word), each worth 1/sqrt(the number of pairs). Not its
    place: two items alike but for a word the question does not say ("clb đọc sách" of
    Hà Nội or of Huế) must come out alike, not the first one sure."""
    features = searched(match)
    if title:
        share = 1.0 / math.sqrt(len(asked) * len(title) + 1)
        for word in asked:
            for other in title:
                features[f"{word}|{other}"] = share
    return features


def searched(match: Match) -> Features:
    """The search's own figures for a candidate."""
    said = match.said
    return {
        "score": match.score / 100,
        "said_rank": said.rank if said is not None else 0.0,
        "said_coverage": said.coverage if said is not None else 0.0,
        "coverage": match.coverage,
        "article": float(match.id.startswith(ARTICLE_PREFIX)),
    }


def overlaps(asked: frozenset[str], candidates: Sequence[Match],
             titles: Mapping[str, frozenset[str]],
             texts: Mapping[str, frozenset[str]]) -> list[Features]:
    """What each candidate shares with the question, whatever the words: the share of the
    question's words in its title and in its text, the share in its text of the words
    that at most one other candidate's text holds too (what tells it from the others),
    and whether it holds the most of them of all the candidates."""
    if not asked:
        return [{} for _ in candidates]
    held = [texts.get(match.id, _NONE) & asked for match in candidates]
    found = [titles.get(match.id, _NONE) & asked for match in candidates]
    spread = Counter(itertools.chain.from_iterable(held))
    rare = {word for word, count in spread.items() if count <= 2}
    size = len(asked)
    out = [{"title_hit": len(in_title) / size, "text_hit": len(in_text) / size,
            "telling_hit": len(in_text & rare) / size}
           for in_title, in_text in zip(found, held, strict=True)]
    for name, most in _MOST:
        top = max(features[name] for features in out)
        if top > 0:
            for features in out:
                if features[name] == top:
                    features[most] = 1.0
    return out


def none_features(best: Match, shared: Sequence[Features] = ()) -> Features:
    """What the model reads of the choice "none of them": the best match's figures, and
    the most any candidate shares with the question (:func:`overlaps`)."""
    said = best.said
    features = {"none": 1.0, "none_score": best.score / 100, "none_coverage": best.coverage,
                "none_said_coverage": said.coverage if said is not None else 0.0}
    for name in ("title_hit", "text_hit", "telling_hit"):
        features[f"none_{name}"] = max((common.get(name, 0.0) for common in shared),
                                       default=0.0)
    return features


def choices(question: str, matches: Sequence[Match],
            titles: Mapping[str, frozenset[str]],
            texts: Mapping[str, frozenset[str]] | None = None,
            closeness: Mapping[str, float] | None = None) -> list[Features]:
    """The features of each candidate, then of "none of them" (last)."""
    asked = terms(question)
    candidates = matches[:CANDIDATES]
    out = [candidate_features(asked, match, titles.get(match.id)) for match in candidates]
    shared = overlaps(asked, candidates, titles, texts or {})
    meant, none_meant = meaning_features(candidates, closeness)
    for features, common, meaning in zip(out, shared, meant, strict=True):
        features.update(common)
        features.update(meaning)
    out.append({**none_features(matches[0], shared), **none_meant})
    return out


def meaning_features(candidates: Sequence[Match], closeness: Mapping[str, float] | None
                     ) -> tuple[list[Features], Features]:
    """What the ``meanings`` model reads of the sentence encoder (:mod:`bot.kb.semantic`):
    for each candidate article, how far it is behind the article closest in meaning
    (cosine, times 10) and whether it is that one; a candidate the encoder does not read
    (an entry, a meeting) is marked so. For "none of them": how far the closest leads the
    next, how close it is, and whether the search's candidates leave it out. Nothing
    without ``closeness`` (article id -> cosine)."""
    if not closeness:
        return [{} for _ in candidates], {}
    ranked = sorted(closeness.values(), reverse=True)
    closest = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else closest
    first = max(closeness, key=closeness.__getitem__)
    out: list[Features] = []
    for match in candidates:
        value = closeness.get(match.id)
        if value is None:
            out.append({"meaning_unread": 1.0})
        else:
            out.append({"meaning_behind": 10 * (closest - value),
                        "meaning_first": float(match.id == first)})
    none = {"none_meaning_lead": 10 * (closest - runner_up),
            "none_meaning_close": 10 * (closest - MEANING_CENTRE),
            "none_meaning_outside": float(all(match.id != first for match in candidates))}
    return out, none


def weighted(weights: Mapping[str, float], option: Features) -> float:
    """An option's score: the sum of its features times their weights."""
    products: Iterable[float] = map(operator.mul, map(weights.get, option, _ZEROS),
                                    option.values())
    return sum(products)


def probabilities(weights: Mapping[str, float], options: Iterable[Features]) -> list[float]:
    """The softmax of the options' scores."""
    scores = [weighted(weights, option) for option in options]
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]


@dataclass(frozen=True)
class Verdict:
    """The model's choice (an item id, or None: none of the candidates answers) and its
    probability; ``sure`` when that reaches the model's threshold."""

    choice: str | None
    probability: float
    sure: bool


class Reranker:
    """The trained model: feature weights and the probability it needs to be sure."""

    def __init__(self, weights: Mapping[str, float], threshold: float,
                 none_threshold: float | None = None) -> None:
        self.weights = dict(weights)
        self.threshold = threshold
        # "None of them" may need another probability than a candidate.
        self.none_threshold = threshold if none_threshold is None else none_threshold
        # The pairs' weights by question word, then title word: what :meth:`judge` reads.
        self._pairs: dict[str, dict[str, float]] = {}
        for name, value in self.weights.items():
            word, _, other = name.partition("|")
            if other:
                self._pairs.setdefault(word, {})[other] = value

    @classmethod
    def read(cls, path: Path) -> Reranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = dict(data["weights"])
        for word, others in data["pairs"].items():
            weights.update((f"{word}|{other}", value) for other, value in others.items())
        return cls(weights, float(data["threshold"]),
                   float(data.get("none_threshold", data["threshold"])))

    def write(self, path: Path, about: Mapping[str, object]) -> None:
        """Saved as JSON, the pairs' weights grouped by question word (4 decimals)."""
        weights: dict[str, float] = {}
        pairs: dict[str, dict[str, float]] = {}
        for name, value in sorted(self.weights.items()):
            word, _, other = name.partition("|")
            if other:
                pairs.setdefault(word, {})[other] = round(value, 4)
            else:
                weights[name] = round(value, 4)
        path.write_text(json.dumps({"about": about, "threshold": self.threshold,
                                    "none_threshold": self.none_threshold,
                                    "weights": weights, "pairs": pairs},
                                   ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")

    def judge(self, question: str, matches: Sequence[Match],
              titles: Mapping[str, frozenset[str]],
              texts: Mapping[str, frozenset[str]] | None = None,
              closeness: Mapping[str, float] | None = None) -> Verdict:
        """Which of ``matches`` (best first; ``titles``: item id -> :func:`terms` of its
        title) answers ``question``, or none of them. (The probabilities of
        :func:`probabilities` over :func:`choices`, without building each pair's name.)"""
        asked = terms(question)
        learned = [self._pairs[word] for word in asked if word in self._pairs]
        scores = []
        candidates = matches[:CANDIDATES]
        shared = overlaps(asked, candidates, titles, texts or {})
        meant, none_meant = meaning_features(candidates, closeness)
        for match, common, meaning in zip(candidates, shared, meant, strict=True):
            score = (weighted(self.weights, searched(match)) + weighted(self.weights, common)
                     + weighted(self.weights, meaning))
            title = titles.get(match.id)
            if title and learned:
                share = 1.0 / math.sqrt(len(asked) * len(title) + 1)
                # Each (question word's learned pairs, title word): dict.get(pairs, word, 0).
                score += share * sum(itertools.starmap(
                    dict.get, itertools.product(learned, title, _NOTHING)))
            scores.append(score)
        scores.append(weighted(self.weights, none_features(matches[0], shared))
                      + weighted(self.weights, none_meant))
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        best = max(range(len(scores)), key=scores.__getitem__)
        chance = exps[best] / sum(exps)
        choice = candidates[best].id if best < len(candidates) else None
        return Verdict(choice, chance, chance >= (self.threshold if choice is not None
                                                  else self.none_threshold))


def model_path(kind: str) -> Path:
    """Where the model of ``kind`` ships."""
    return Path(__file__).with_name(f"reranker-{kind}.json")


@cache
def trained(kind: str) -> Reranker | None:
    """The model of ``kind`` shipped beside this module (None if it is missing)."""
    path = model_path(kind)
    return Reranker.read(path) if path.is_file() else None
