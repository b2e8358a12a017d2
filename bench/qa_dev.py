"""Misses of the DEVELOPMENT sets, to find general weaknesses of the search.

    python bench/qa_dev.py [SET ...]

Sets: those of tests/data/qa_eval.yaml, those of tests/data/dev_content.yaml (``content``
and ``charter``, the latter asked after importing tests/data/dev_charter/), the SPENT blind
sets (``bench/qa_eval.py``'s ``SPENT_SETS``: their figures were reported; they are
development sets now), and any ``tests/data/dev_*/`` folder holding ``charter.md``
and ``questions.yaml`` (asked after importing that charter). Never use it on a blind set
still to be reported.

    python bench/qa_dev.py --calibrate

chooses :data:`bot.kb.ranking.CONTENT_AGREEMENT` by leave-one-set-out: for each set, the
weight that does best on all the other sets (a right answer gained +1, a wrong or
unanswerable one answered -3) is applied to it; the held-out gains and losses are summed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qa_eval import SPENT_SETS  # noqa: E402  (the one list of the spent blind sets)

import bot.kb.knowledge as knowledge  # noqa: E402
from bot.kb import (  # noqa: E402
    KnowledgeBase,
    import_charter,
    ranking,
)

DATA = ROOT / "tests" / "data"
KNOWLEDGE = ROOT / "knowledge"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@contextmanager
def _with_charter(charter: Path) -> Iterator[KnowledgeBase]:
    with tempfile.TemporaryDirectory() as scratch:
        knowledge = Path(scratch) / "knowledge"
        shutil.copytree(KNOWLEDGE, knowledge)
        import_charter(charter, knowledge / "charter.yaml")
        yield KnowledgeBase.load(knowledge)


def _sets() -> dict[str, tuple[Callable[[], Any], list[dict[str, Any]], date | None]]:
    """name -> (a context giving the knowledge base, questions, day asked)."""
    plain = lambda: _nothing(KnowledgeBase.load(KNOWLEDGE))  # noqa: E731
    found: dict[str, tuple[Callable[[], Any], list[dict[str, Any]], date | None]] = {}
    for name, questions in yaml.safe_load((DATA / "qa_eval.yaml").read_text("utf-8")).items():
        found[name] = (plain, questions, None)
    content = yaml.safe_load((DATA / "dev_content.yaml").read_text("utf-8"))
    found["content"] = (plain, content["content"], None)
    found["dev_charter"] = (
        lambda: _with_charter(DATA / "dev_charter" / "dieu-le-mau.md"), content["charter"], None)
    for name in (name for name in SPENT_SETS if name.startswith("holdout")):
        spent = yaml.safe_load((DATA / "blind" / f"{name}.yaml").read_text("utf-8"))
        found[name] = (plain, spent["questions"], spent["asked_on"])
    folders = [*(DATA / "blind" / name for name in SPENT_SETS if name.startswith("charter")),
               *sorted(DATA.glob("dev_*/"))]
    for folder in folders:
        if (folder / "questions.yaml").exists() and (folder / "charter.md").exists():
            data = yaml.safe_load((folder / "questions.yaml").read_text("utf-8"))
            found[folder.name] = (lambda f=folder: _with_charter(f / "charter.md"),
                                  data["questions"], data.get("asked_on"))
    return found


@contextmanager
def _nothing(kb: KnowledgeBase) -> Iterator[KnowledgeBase]:
    yield kb


def run(name: str, context: Callable[[], Any], questions: list[dict[str, Any]],
        day: date | None, show: bool = True) -> tuple[int, int, int, int, int]:
    """Ask a set; print its misses; (answerable, right, wrong, unanswerable, leaks)."""
    now = datetime.combine(day, time(9, 0), tzinfo=ZONE) if day else None
    answerable = right = wrong = unanswerable = leaks = 0
    with context() as kb:
        for item in questions:
            result = kb.ask(item["q"], now=now)
            expect = item["expect"]
            got = result.entry_id if result.status == "answered" else list(result.suggestions)
            if expect == "unknown":
                unanswerable += 1
                if result.status == "answered":
                    leaks += 1
                    if show:
                        print(f"  LEAK    {item['q']!r} -> {got} {result.score}")
                continue
            wanted = set(expect) if isinstance(expect, list) else {expect}
            answerable += 1
            hit = result.status == "answered" and result.entry_id in wanted
            right += hit
            wrong += result.status == "answered" and not hit
            if not hit and show:
                print(f"  {result.status:8}{item['q']!r} want {expect}, got {got} "
                      f"{result.score}")
    print(f"{name:12} right {right}/{answerable}  wrong {wrong}  leaks {leaks}/{unanswerable}")
    return answerable, right, wrong, unanswerable, leaks


_WEIGHTS = (0.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0)


def calibrate(sets: dict[str, tuple[Callable[[], Any], list[dict[str, Any]], date | None]]
              ) -> None:
    """Leave-one-set-out choice of CONTENT_AGREEMENT (see the module's text)."""
    # Per set, per question: whether it is answerable, and the matches decide() was given.
    asked: dict[str, list[tuple[set[str] | None, list[ranking.Match]]]] = {}
    seen: list[list[ranking.Match]] = []
    original = knowledge.decide

    def spy(matches: list[ranking.Match]) -> ranking.Decision:
        seen.append(list(matches))
        return original(matches)

    knowledge.decide = spy  # type: ignore[assignment]
    try:
        for name, (context, questions, day) in sets.items():
            now = datetime.combine(day, time(9, 0), tzinfo=ZONE) if day else None
            asked[name] = []
            with context() as kb:
                for item in questions:
                    seen.clear()
                    kb.ask(item["q"], now=now)
                    expect = item["expect"]
                    wanted = (None if expect == "unknown"
                              else set(expect) if isinstance(expect, list) else {expect})
                    asked[name].append((wanted, seen[-1] if seen else []))
    finally:
        knowledge.decide = original  # type: ignore[assignment]
    saved = ranking.CONTENT_AGREEMENT

    def outcome(name: str, weight: float) -> tuple[int, int]:
        """(right answers, wrong or unanswerable answers) of a set under ``weight``."""
        ranking.CONTENT_AGREEMENT = weight
        right = wrong = 0
        for wanted, matches in asked[name]:
            decision = ranking.decide(matches)
            if decision.status == "answered" and decision.best is not None:
                if wanted is not None and decision.best.id in wanted:
                    right += 1
                else:
                    wrong += 1
        return right, wrong

    try:
        table = {(name, weight): outcome(name, weight) for name in asked for weight in _WEIGHTS}
    finally:
        ranking.CONTENT_AGREEMENT = saved
    gained = lost = 0
    for name in asked:
        def utility(weight: float, held_out: str = name) -> int:
            return sum(table[other, weight][0] - table[other, 0.0][0]
                       - 3 * (table[other, weight][1] - table[other, 0.0][1])
                       for other in asked if other != held_out)
        chosen = max(_WEIGHTS, key=utility)
        right, wrong = table[name, chosen]
        base_right, base_wrong = table[name, 0.0]
        gained += right - base_right
        lost += wrong - base_wrong
        print(f"{name:12} weight {chosen:4.0f}: right {base_right} -> {right}, "
              f"wrong or leaked {base_wrong} -> {wrong}")
    print(f"leave-one-set-out: {gained:+d} right, {lost:+d} wrong or leaked "
          f"(decide() alone, before the charter's own rule)")
    for weight in _WEIGHTS:
        right = sum(table[name, weight][0] for name in asked)
        wrong = sum(table[name, weight][1] for name in asked)
        print(f"  weight {weight:4.0f} on all sets: right {right}, wrong or leaked {wrong}")


def main(argv: list[str]) -> int:
    sets = _sets()
    if "--calibrate" in argv:
        calibrate(sets)
        return 0
    quiet = "-q" in argv
    chosen = [name for name in argv if name != "-q"] or list(sets)
    for name in chosen:
        if name not in sets:
            print(f"no set {name}; the sets are {', '.join(sets)}")
            return 2
    totals = [0] * 5
    for name in chosen:
        context, questions, day = sets[name]
        totals = [a + b for a, b in zip(totals, run(name, context, questions, day,
                                                    show=not quiet), strict=True)]
    if len(chosen) > 1:
        answerable, right, wrong, unanswerable, leaks = totals
        print(f"{'all':12} right {right}/{answerable}  wrong {wrong}  "
              f"leaks {leaks}/{unanswerable}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
