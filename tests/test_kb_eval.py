"""How well the bot answers questions typed the way members type them (tests/data/qa_eval.yaml).

Top-1 accuracy on answerable questions must be at least 90%, and at least 90% of the
questions the knowledge base cannot answer must get "unknown" or suggestions, never an
answer. The figures of each set are printed: `questions` (written before tuning, then tuned
on), `holdout` sets (written later, each run once before the work it measures; see the
file) and `dev` sets (written during later work and tuned on). `python bench/qa_eval.py`
gives more figures per set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "qa_eval.yaml"


def score(kb: KnowledgeBase, questions: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(right answers, answerable questions, unanswerable not answered, unanswerable).
    ``expect`` is an id, a list of ids (any of them is right) or ``unknown``."""
    right = answerable = safe = unanswerable = 0
    for item in questions:
        result = kb.ask(item["q"])
        if item["expect"] == "unknown":
            unanswerable += 1
            safe += result.status != "answered"
        else:
            answerable += 1
            expect = item["expect"]
            wanted = expect if isinstance(expect, list) else [expect]
            right += result.status == "answered" and result.entry_id in wanted
    return right, answerable, safe, unanswerable


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def test_the_evaluation_questions_are_answered_well_enough(
    capsys: pytest.CaptureFixture[str],
) -> None:
    kb = KnowledgeBase.load(ROOT / "knowledge")
    sets = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    known = {*kb.entries, *(meeting.id for meeting in kb.meetings), "unknown"}
    totals = [0, 0, 0, 0]
    report = []
    for name, questions in sets.items():
        expected = {wanted for item in questions for wanted in (
            item["expect"] if isinstance(item["expect"], list) else [item["expect"]])}
        assert expected <= known, f"{name}: unknown expected id"
        figures = score(kb, questions)
        totals = [total + figure for total, figure in zip(totals, figures, strict=True)]
        right, answerable, safe, unanswerable = figures
        report.append(
            f"{name:10} answerable top-1 {right}/{answerable} = "
            f"{_share(right, answerable)}; unanswerable not answered "
            f"{safe}/{unanswerable} = {_share(safe, unanswerable)}"
        )
    right, answerable, safe, unanswerable = totals
    report.append(
        f"{'all':10} answerable top-1 {right}/{answerable} = "
        f"{_share(right, answerable)}; unanswerable not answered "
        f"{safe}/{unanswerable} = {_share(safe, unanswerable)}"
    )
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert answerable + unanswerable >= 100 and unanswerable >= 20
    assert right / answerable >= 0.90
    assert safe / unanswerable >= 0.90
