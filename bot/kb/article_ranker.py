"""A learned second opinion on which charter article answers a question.

The search ranks an imported charter's articles by hand-written evidence: the words of
their titles and texts, the topics' keywords, the authority rules. What members ask about
a charter is often indirect ("em chuyển công tác sang tỉnh khác thì còn là hội viên
không" is the article on leaving or moving) and that evidence ties or misleads. This model
learned, from the questions of the fictional charters the bot was developed on (never
from the blind sets that judge it), which words of a question go with which words of an
article's title, whatever the association: "chuyển công tác" with "chấm dứt", "ai kiểm
tra tiền" with "ban kiểm tra".

It is a linear model over the search's own figures for each of the first candidates (its
score, place, coverage, what its text says) and the pairs (question word, title word) of
the articles, with one more choice, "none of them", for questions the charter does not
answer; a softmax over the choices gives each its probability. It is consulted only when
the search's best match is an article, and its choice is taken only when its probability
reaches the threshold learned with it (:data:`Verdict.sure`). ``bench/train_ranker.py``
trains it, reports how it does on each charter left out of its training, and writes
``article_ranker.json`` beside this module.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.kb.ranking import Match

MODEL = Path(__file__).with_name("article_ranker.json")
# How many of the search's first matches are the candidates.
CANDIDATES = 10
ARTICLE_PREFIX = "article-"
# Words that say nothing of which article is asked ("hội viên" is in most questions).
_STOPWORDS = frozenset(
    "cua va la co thi the nao gi khong ko k a ah oi nhe em anh chi minh toi hoi vien".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str) -> frozenset[str]:
    """The words of ``text``, folded (lower case, no marks, "đ" as "d"), but the
    stopwords, and each pair of neighbouring words ("ban_kiem", "kiem_tra")."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    plain = "".join(char for char in folded if unicodedata.category(char) != "Mn")
    words = _WORD.findall(plain)
    return frozenset(
        [word for word in words if word not in _STOPWORDS]
        + [f"{first}_{second}" for first, second in itertools.pairwise(words)]
    )


Features = dict[str, float]


def candidate_features(asked: frozenset[str], match: Match, place: int,
                       title: frozenset[str] | None) -> Features:
    """What the model reads of one candidate: the search's figures and, for an article,
    the pairs (question word, title word), each worth 1/sqrt(the number of pairs)."""
    said = match.said
    features = {
        "score": match.score / 100,
        f"place{min(place, 5)}": 1.0,
        "said_rank": said.rank if said is not None else 0.0,
        "said_coverage": said.coverage if said is not None else 0.0,
        "coverage": match.coverage,
        "article": float(match.id.startswith(ARTICLE_PREFIX)),
    }
    if title:
        share = 1.0 / math.sqrt(len(asked) * len(title) + 1)
        for word in asked:
            for other in title:
                features[f"{word}|{other}"] = share
    return features


def none_features(best: Match) -> Features:
    """What the model reads of the choice "none of them": the best match's figures."""
    said = best.said
    return {"none": 1.0, "none_score": best.score / 100, "none_coverage": best.coverage,
            "none_said_coverage": said.coverage if said is not None else 0.0}


def choices(question: str, matches: Sequence[Match],
            titles: Mapping[str, frozenset[str]]) -> list[Features]:
    """The features of each candidate, then of "none of them" (last)."""
    asked = terms(question)
    out = [candidate_features(asked, match, place, titles.get(match.id))
           for place, match in enumerate(matches[:CANDIDATES])]
    out.append(none_features(matches[0]))
    return out


def probabilities(weights: Mapping[str, float], options: Iterable[Features]) -> list[float]:
    """The softmax of each option's score (the sum of its features times their weights)."""
    scores = [sum(weights.get(name, 0.0) * value for name, value in option.items())
              for option in options]
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


class ArticleRanker:
    """The trained model: feature weights and the probability it needs to be sure."""

    def __init__(self, weights: Mapping[str, float], threshold: float) -> None:
        self.weights = dict(weights)
        self.threshold = threshold

    @classmethod
    def read(cls, path: Path = MODEL) -> ArticleRanker:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = dict(data["weights"])
        for word, others in data["pairs"].items():
            weights.update((f"{word}|{other}", value) for other, value in others.items())
        return cls(weights, float(data["threshold"]))

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
                                    "weights": weights, "pairs": pairs},
                                   ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")

    def judge(self, question: str, matches: Sequence[Match],
              titles: Mapping[str, frozenset[str]]) -> Verdict:
        """Which of ``matches`` (best first; ``titles``: article id -> :func:`terms` of its
        title) answers ``question``, or none of them."""
        chances = probabilities(self.weights, choices(question, matches, titles))
        best = max(range(len(chances)), key=chances.__getitem__)
        choice = matches[best].id if best < len(chances) - 1 else None
        return Verdict(choice, chances[best], chances[best] >= self.threshold)


@cache
def trained() -> ArticleRanker | None:
    """The model shipped beside this module (None if it is missing)."""
    return ArticleRanker.read() if MODEL.is_file() else None
