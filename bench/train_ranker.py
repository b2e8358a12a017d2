"""Train the learned rerankers (:mod:`bot.kb.reranker`) and say how they do on sets they
were not trained on.

    python bench/train_ranker.py [articles|entries|meanings|entry-meanings] [--report]

writes ``bot/kb/reranker-<kind>.json`` for each kind (both by default) after its report;
``--report`` only reports; ``--threshold T [N]`` skips the report (run before) and writes
the model with the threshold T to answer with a candidate and N (default T) to say "none
of them"; ``--folds K`` leaves out K groups of sets in turn instead of one set at a time.

Training data, all of it development data (never a blind set still to be reported):

- ``articles``: the questions of every spent fictional charter (``tests/data/blind/charter2``
  to ``charter70``) and of the development charters (``tests/data/dev_*``), each asked after
  importing its charter, labelled with the articles that answer it; and the out-of-scope
  questions of the members' development and spent sets, each asked after importing
  :data:`OUT_OF_SCOPE_CHARTERS` of those charters in turn (a question the knowledge base
  cannot answer stays unanswerable whatever charter is imported): they teach "none of
  them". Only the questions whose best match is an article are this model's.
- ``entries``: the members' development and spent sets (``tests/data/qa_eval.yaml``,
  ``dev_content.yaml``, ``holdout5`` to ``holdout64``), asked of the shipped
  knowledge base, their out-of-scope questions included.

The report leaves one set out at a time (for ``articles``, a charter and the out-of-scope
questions asked with it), and every question of it wherever else it is asked: trained on
the rest, with the threshold chosen on the rest too, what the model does on that set
against the search alone. A right answer counts +1, a wrong one or an out-of-scope
question answered -3 when the threshold is chosen (an out-of-scope question asked with
several charters: -3 shared among them, as a member asks it once).

- ``meanings``: the ``articles`` questions, with what the sentence encoder
  (:mod:`bot.kb.semantic`) reads of each article's closeness; consulted instead of
  ``articles`` when the encoder runs.
- ``entry-meanings``: the ``entries`` questions, with the encoder's closeness of each
  entry and meeting; consulted instead of ``entries`` when the encoder runs.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa_dev  # noqa: E402

import bot.kb.knowledge as knowledge  # noqa: E402
from bot.kb import reranker  # noqa: E402
from bot.kb.ranking import Match  # noqa: E402
from bot.kb.reranker import Features, Reranker, Verdict, probabilities  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
NEVER = 1.01  # a threshold never reached: the search alone
EPOCHS = 15
LEARNING_RATE = 0.5
L2 = 1e-4
WRONG_COST = 3
# Each out-of-scope question is asked with this many of the charters imported in turn.
OUT_OF_SCOPE_CHARTERS = 6
# Weights smaller than this are dropped after training (the model ships in the package).
PRUNE = 0.05


@dataclass
class Row:
    """One question the model is consulted on."""

    group: str  # the charter imported
    kind: str  # "answerable" or "out of scope"
    options: list[Features]
    ids: list[str | None]  # the candidates' ids, then None ("none of them")
    wanted: set[str] | None  # None: out of scope
    searched: str | None  # what the search alone answered (None: no answer)
    question: str = ""

    def labels(self) -> list[bool]:
        return [(self.wanted is None) if item is None else
                (self.wanted is not None and item in self.wanted) for item in self.ids]


class _Recorder(Reranker):
    """Records what the model would be asked, and is never sure."""

    def __init__(self) -> None:
        super().__init__({}, NEVER)
        self.asked: list[tuple[str, list[Match], dict[str, frozenset[str]],
                               dict[str, frozenset[str]], dict[str, float] | None]] = []

    def judge(self, question: str, matches: Any, titles: Any, texts: Any = None,
              closeness: Any = None) -> Verdict:
        self.asked.append((question, list(matches), dict(titles), dict(texts or {}),
                           dict(closeness) if closeness else None))
        return Verdict(None, 0.0, False)


def collect(kind: str) -> list[Row]:
    """The questions the model of ``kind`` is consulted on, with what the search alone
    made of them (the model is never sure while they are collected)."""
    sets = qa_dev._sets()
    charters = [name for name in sets if "charter" in name]
    members = [name for name in sets if name not in charters]
    out_of_scope = [(item, sets[name][2]) for name in members for item in sets[name][1]
                    if item["expect"] == "unknown"]
    recorder = _Recorder()
    original = reranker.trained
    reranker.trained = lambda wanted: recorder if wanted == kind else None  # type: ignore
    rows: list[Row] = []
    try:
        if kind in ("articles", "meanings"):
            for number, name in enumerate(charters):
                context, questions, day = sets[name]
                asked = [(item, day, "answerable") for item in questions]
                asked += [(item, when, "out of scope") for index, (item, when)
                          in enumerate(out_of_scope)
                          if (index - number) % len(charters) < OUT_OF_SCOPE_CHARTERS]
                with context() as kb:
                    rows += _ask(kb, name, asked, recorder)
        else:
            for name in members:
                context, questions, day = sets[name]
                with context() as kb:
                    rows += _ask(kb, name, [(item, day, "answerable" if item["expect"] !=
                                             "unknown" else "out of scope")
                                            for item in questions], recorder)
    finally:
        reranker.trained = original  # type: ignore[assignment]
    return rows


def _ask(kb: Any, group: str, asked: list[tuple[dict[str, Any], Any, str]],
         recorder: _Recorder) -> list[Row]:
    rows = []
    for item, when, kind in asked:
        now = datetime.combine(when, time(9, 0), tzinfo=qa_dev.ZONE) if when else None
        recorder.asked.clear()
        result, _ = kb._ask(knowledge.as_meant(item["q"][:knowledge.MAX_QUESTION_CHARS],
                                               kb.index.question_words), now)
        if not recorder.asked:
            continue
        question, matches, titles, texts, closeness = recorder.asked[0]
        expect = item["expect"]
        wanted = (None if expect == "unknown"
                  else set(expect) if isinstance(expect, list) else {expect})
        candidates = matches[:reranker.CANDIDATES]
        rows.append(Row(group, kind, reranker.choices(question, matches, titles, texts,
                                                      closeness),
                        [match.id for match in candidates] + [None], wanted,
                        result.entry_id if result.status == "answered" else None, item["q"]))
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


Thresholds = tuple[float, float]  # (to answer with a candidate, to say "none of them")
PAIRS: tuple[Thresholds, ...] = tuple(
    (answer, none) for answer in (*THRESHOLDS, NEVER) for none in (*THRESHOLDS, NEVER))
SEARCH_ALONE: Thresholds = (NEVER, NEVER)


def outcomes(weights: dict[str, float], rows: list[Row]
             ) -> dict[tuple[Thresholds, str], tuple[int, int]]:
    """(thresholds, kind) -> (right answers, wrong or out-of-scope answers)."""
    table: dict[tuple[Thresholds, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        chances = probabilities(weights, row.options)
        best = max(range(len(chances)), key=chances.__getitem__)
        for pair in PAIRS:
            needed = pair[0] if row.ids[best] is not None else pair[1]
            answer = row.ids[best] if chances[best] >= needed else row.searched
            if answer is not None:
                right = row.wanted is not None and answer in row.wanted
                table[pair, row.kind][0 if right else 1] += 1
    return {key: (right, wrong) for key, (right, wrong) in table.items()}


def utility(results: dict[tuple[Thresholds, str], tuple[int, int]], pair: Thresholds,
            repeats: int = 1) -> float:
    """Right answers less :data:`WRONG_COST` for each wrong one and each out-of-scope
    question answered. An out-of-scope question of the ``articles`` rows is asked with
    :data:`OUT_OF_SCOPE_CHARTERS` charters, so each of its answers counts for that share
    of one (``repeats``; a member asks it once); the ``entries`` rows ask each once."""
    right, wrong = results.get((pair, "answerable"), (0, 0))
    leaks = results.get((pair, "out of scope"), (0, 0))[1]
    return right - WRONG_COST * (wrong + leaks / repeats)


def report(rows: list[Row], repeats: int = 1) -> Thresholds:
    """Leave one set out (for ``articles``, a charter and the out-of-scope questions asked
    with it); print each and the totals; return the thresholds best over all of them."""
    groups = list(dict.fromkeys(row.group for row in rows))
    held: dict[str, dict[tuple[Thresholds, str], tuple[int, int]]] = {}
    for group in groups:
        # Trained without the questions of the set left out, wherever else they are asked
        # (an out-of-scope question is asked with several charters; sets repeat questions).
        unseen = {row.question for row in rows if row.group == group}
        held[group] = outcomes(
            train([row for row in rows if row.group != group and row.question not in unseen]),
            [row for row in rows if row.group == group])
    totals = {"search": [0, 0, 0], "ranker": [0, 0, 0]}
    print(f"{'set left out':18} thresholds  search alone: right wrong leaks"
          "   with the ranker: right wrong leaks")
    for group in groups:
        others = [other for other in groups if other != group]
        chosen = max(PAIRS, key=lambda t: sum(utility(held[o], t, repeats) for o in others))
        figures = []
        for name, pair in (("search", SEARCH_ALONE), ("ranker", chosen)):
            right, wrong = held[group].get((pair, "answerable"), (0, 0))
            leaks = held[group].get((pair, "out of scope"), (0, 0))[1]
            figures.append((right, wrong, leaks))
            for i, value in enumerate((right, wrong, leaks)):
                totals[name][i] += value
        print(f"{group:18} {chosen[0]:4.2f} {chosen[1]:4.2f}  {figures[0][0]:19} "
              f"{figures[0][1]:5} {figures[0][2]:5}   {figures[1][0]:22} {figures[1][1]:5} "
              f"{figures[1][2]:5}")
    print(f"{'all':29}  {totals['search'][0]:19} {totals['search'][1]:5} "
          f"{totals['search'][2]:5}   {totals['ranker'][0]:22} {totals['ranker'][1]:5} "
          f"{totals['ranker'][2]:5}")
    answerable = sum(row.kind == "answerable" for row in rows)
    print(f"the same thresholds for all (of {answerable} answerable, "
          f"{len(rows) - answerable} out of scope), the best eight by utility:")
    ranked = sorted(PAIRS, key=lambda t: -sum(utility(held[g], t, repeats) for g in groups))
    for pair in [*ranked[:8], SEARCH_ALONE]:
        right = sum(held[g].get((pair, "answerable"), (0, 0))[0] for g in groups)
        wrong = sum(held[g].get((pair, "answerable"), (0, 0))[1] for g in groups)
        leaks = sum(held[g].get((pair, "out of scope"), (0, 0))[1] for g in groups)
        print(f"  answer {pair[0]:4.2f}, none {pair[1]:4.2f}: right {right}, wrong {wrong}, "
              f"out of scope answered {leaks}")
    return ranked[0]


def in_folds(rows: list[Row], folds: int) -> list[Row]:
    """The rows with their sets dealt into ``folds`` groups (round robin, in the sets'
    order), for a report that leaves out a fold at a time: ``folds`` trainings instead of
    one a set (the articles' 65 sets took hours)."""
    groups = list(dict.fromkeys(row.group for row in rows))
    fold = {group: f"fold {index % folds + 1}" for index, group in enumerate(groups)}
    return [replace(row, group=fold[row.group]) for row in rows]


def main(argv: list[str]) -> int:
    kinds = [kind for kind in reranker.KINDS if kind in argv] or list(reranker.KINDS)
    folds = int(argv[argv.index("--folds") + 1]) if "--folds" in argv else None
    for kind in kinds:
        rows = collect(kind)
        answerable = sum(row.kind == "answerable" for row in rows)
        print(f"{kind}: {len(rows)} questions, {answerable} answerable, "
              f"{len(rows) - answerable} out of scope")
        if "--threshold" in argv:  # the report was run before: write the model only
            at = argv.index("--threshold")
            answer = float(argv[at + 1])
            none = float(argv[at + 2]) if at + 2 < len(argv) and argv[at + 2][:1].isdigit() \
                else answer
            thresholds = (answer, none)
        else:
            repeats = 1 if kind in ("entries", "entry-meanings") else OUT_OF_SCOPE_CHARTERS
            thresholds = report(in_folds(rows, folds) if folds else rows, repeats)
        if "--report" in argv:
            continue
        model = Reranker(train(rows), *thresholds)
        path = reranker.model_path(kind)
        model.write(path, {
            "trained_on": sorted({row.group for row in rows}),
            "questions": len(rows), "epochs": EPOCHS, "learning_rate": LEARNING_RATE,
            "l2": L2, "out_of_scope_charters": OUT_OF_SCOPE_CHARTERS,
        })
        print(f"thresholds {thresholds}; wrote {path.relative_to(ROOT)} "
              f"({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
