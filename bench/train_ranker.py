"""Train the learned article ranker (:mod:`bot.kb.article_ranker`) and say how it does on
charters it was not trained on.

    python bench/train_ranker.py            # report, then write bot/kb/article_ranker.json
    python bench/train_ranker.py --report   # report only

Training data, all of it development data (never a blind set still to be reported):

- the questions of every spent fictional charter (``tests/data/blind/charter2`` to
  ``charter20``) and of the development charters (``tests/data/dev_*``), each asked after
  importing its charter, labelled with the articles that answer it;
- the out-of-scope questions of the development and spent members' sets, asked after
  importing one of those charters in turn (a question the knowledge base cannot answer
  stays unanswerable whatever charter is imported): they teach "none of them".

Only the questions whose best match is an article are the model's (it is consulted only
then). The report leaves one charter out at a time (its questions and the out-of-scope ones
asked with it): trained on the others, with the threshold chosen on the others too, what
it does on that one against the search alone. A right answer counts +1, a wrong one or an
out-of-scope question answered -3 when the threshold is chosen.
"""

from __future__ import annotations

import os
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa_dev  # noqa: E402

import bot.kb.knowledge as knowledge  # noqa: E402
from bot.kb import article_ranker  # noqa: E402
from bot.kb.article_ranker import ArticleRanker, Features, Verdict, probabilities  # noqa: E402
from bot.kb.ranking import Match  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
NEVER = 1.01  # a threshold never reached: the search alone
EPOCHS = 15
LEARNING_RATE = 0.5
L2 = 1e-4
WRONG_COST = 3
# Weights smaller than this are dropped after training (the model ships in the package).
PRUNE = float(os.environ.get("HOIBOT_PRUNE", "0.05"))


@dataclass
class Row:
    """One question the model is consulted on."""

    group: str  # the charter imported
    kind: str  # "charter" or "out of scope"
    options: list[Features]
    ids: list[str | None]  # the candidates' ids, then None ("none of them")
    wanted: set[str] | None  # None: out of scope
    searched: str | None  # what the search alone answered (None: no answer)

    def labels(self) -> list[bool]:
        return [(self.wanted is None) if item is None else
                (self.wanted is not None and item in self.wanted) for item in self.ids]


class _Recorder(ArticleRanker):
    """Records what the model would be asked, and is never sure."""

    def __init__(self) -> None:
        super().__init__({}, NEVER)
        self.asked: list[tuple[str, list[Match], dict[str, frozenset[str]]]] = []

    def judge(self, question: str, matches: Any, titles: Any) -> Verdict:
        self.asked.append((question, list(matches), dict(titles)))
        return Verdict(None, 0.0, False)


def collect() -> list[Row]:
    sets = qa_dev._sets()
    charters = [name for name in sets if "charter" in name]
    out_of_scope = [(item, day) for name, (_, questions, day) in sets.items()
                    if "charter" not in name for item in questions
                    if item["expect"] == "unknown"]
    recorder = _Recorder()
    original = article_ranker.trained
    article_ranker.trained = lambda: recorder  # type: ignore[assignment]
    rows: list[Row] = []
    try:
        for number, name in enumerate(charters):
            context, questions, day = sets[name]
            asked = [(item, day, "charter") for item in questions]
            asked += [(item, when, "out of scope") for index, (item, when)
                      in enumerate(out_of_scope) if index % len(charters) == number]
            with context() as kb:
                for item, when, kind in asked:
                    now = datetime.combine(when, time(9, 0), tzinfo=qa_dev.ZONE) if when else None
                    recorder.asked.clear()
                    result = kb._ask(knowledge.as_meant(item["q"][:knowledge.MAX_QUESTION_CHARS],
                                                        kb.index.question_words),
                                     now)
                    if not recorder.asked:
                        continue
                    question, matches, titles = recorder.asked[0]
                    expect = item["expect"]
                    wanted = (None if expect == "unknown"
                              else set(expect) if isinstance(expect, list) else {expect})
                    candidates = matches[:article_ranker.CANDIDATES]
                    rows.append(Row(
                        name, kind, article_ranker.choices(question, matches, titles),
                        [match.id for match in candidates] + [None], wanted,
                        result.entry_id if result.status == "answered" else None))
    finally:
        article_ranker.trained = original  # type: ignore[assignment]
    return rows


def train(rows: list[Row]) -> dict[str, float]:
    """Weights by stochastic gradient descent on the softmax's cross-entropy (the right
    choices share the target), starting from the search's own score."""
    weights: dict[str, float] = defaultdict(float)
    weights["score"] = 10.0
    shuffled = [row for row in rows if any(row.labels())]
    order = random.Random(0)
    for _ in range(EPOCHS):
        order.shuffle(shuffled)
        for row in shuffled:
            labels = row.labels()
            right = sum(labels)
            for option, chance, label in zip(row.options, probabilities(weights, row.options),
                                             labels, strict=True):
                gradient = chance - label / right
                if gradient:
                    for name, value in option.items():
                        weights[name] -= LEARNING_RATE * (gradient * value + L2 * weights[name])
    return {name: value for name, value in weights.items() if abs(value) >= PRUNE}


def outcomes(weights: dict[str, float], rows: list[Row]
             ) -> dict[tuple[float, str], tuple[int, int]]:
    """(threshold, kind) -> (right answers, wrong or out-of-scope answers)."""
    table: dict[tuple[float, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        chances = probabilities(weights, row.options)
        best = max(range(len(chances)), key=chances.__getitem__)
        for threshold in (*THRESHOLDS, NEVER):
            answer = row.ids[best] if chances[best] >= threshold else row.searched
            if answer is not None:
                right = row.wanted is not None and answer in row.wanted
                table[threshold, row.kind][0 if right else 1] += 1
    return {key: (right, wrong) for key, (right, wrong) in table.items()}


def utility(results: dict[tuple[float, str], tuple[int, int]], threshold: float) -> int:
    return sum(results.get((threshold, kind), (0, 0))[0]
               - WRONG_COST * results.get((threshold, kind), (0, 0))[1]
               for kind in ("charter", "out of scope"))


def report(rows: list[Row]) -> float:
    """Leave one charter out; print each; return the threshold best over all of them."""
    groups = list(dict.fromkeys(row.group for row in rows))
    held: dict[str, dict[tuple[float, str], tuple[int, int]]] = {}
    for group in groups:
        held[group] = outcomes(train([row for row in rows if row.group != group]),
                               [row for row in rows if row.group == group])
    totals = {"search": [0, 0, 0], "ranker": [0, 0, 0]}
    print(f"{'charter left out':18} threshold  search alone: right wrong leaks"
          "   with the ranker: right wrong leaks")
    for group in groups:
        others = [other for other in groups if other != group]
        chosen = max(THRESHOLDS, key=lambda t: sum(utility(held[o], t) for o in others))
        figures = []
        for name, threshold in (("search", NEVER), ("ranker", chosen)):
            right, wrong = held[group].get((threshold, "charter"), (0, 0))
            leaks = held[group].get((threshold, "out of scope"), (0, 0))[1]
            figures.append((right, wrong, leaks))
            for i, value in enumerate((right, wrong, leaks)):
                totals[name][i] += value
        print(f"{group:18} {chosen:9.2f}  {figures[0][0]:19} {figures[0][1]:5} "
              f"{figures[0][2]:5}   {figures[1][0]:22} {figures[1][1]:5} {figures[1][2]:5}")
    print(f"{'all':28}  {totals['search'][0]:19} {totals['search'][1]:5} "
          f"{totals['search'][2]:5}   {totals['ranker'][0]:22} {totals['ranker'][1]:5} "
          f"{totals['ranker'][2]:5}")
    return max(THRESHOLDS, key=lambda t: sum(utility(held[g], t) for g in groups))


def main(argv: list[str]) -> int:
    rows = collect()
    charter_rows = sum(row.kind == "charter" for row in rows)
    print(f"{len(rows)} questions whose best match is an article: {charter_rows} on "
          f"charters, {len(rows) - charter_rows} out of scope")
    threshold = report(rows)
    if "--report" in argv:
        return 0
    model = ArticleRanker(train(rows), threshold)
    model.write(article_ranker.MODEL, {
        "trained_on": sorted({row.group for row in rows}),
        "questions": len(rows), "epochs": EPOCHS, "learning_rate": LEARNING_RATE, "l2": L2,
    })
    print(f"threshold {threshold}; wrote {article_ranker.MODEL.relative_to(ROOT)} "
          f"({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
