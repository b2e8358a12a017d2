"""Misses of the DEVELOPMENT sets, to find general weaknesses of the search.

    python bench/qa_dev.py [SET ...]

Sets: those of tests/data/qa_eval.yaml, those of tests/data/dev_content.yaml (``content``
and ``charter``, the latter asked after importing tests/data/dev_charter/), the SPENT blind
sets ``holdout5`` and ``charter2`` (their figures were reported; they are development sets
now), and any ``tests/data/dev_*/`` folder holding ``charter.md`` and ``questions.yaml``
(asked after importing that charter). Never use it on a blind set still to be reported.
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

from bot.kb import KnowledgeBase, import_charter  # noqa: E402

DATA = ROOT / "tests" / "data"
KNOWLEDGE = ROOT / "knowledge"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SPENT = ("holdout5", "charter2")


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
    holdout5 = yaml.safe_load((DATA / "blind" / "holdout5.yaml").read_text("utf-8"))
    found["holdout5"] = (plain, holdout5["questions"], holdout5["asked_on"])
    for folder in [DATA / "blind" / "charter2", *sorted(DATA.glob("dev_*/"))]:
        if (folder / "questions.yaml").exists() and (folder / "charter.md").exists():
            data = yaml.safe_load((folder / "questions.yaml").read_text("utf-8"))
            found[folder.name] = (lambda f=folder: _with_charter(f / "charter.md"),
                                  data["questions"], data.get("asked_on"))
    return found


@contextmanager
def _nothing(kb: KnowledgeBase) -> Iterator[KnowledgeBase]:
    yield kb


def run(name: str, context: Callable[[], Any], questions: list[dict[str, Any]],
        day: date | None, show: bool = True) -> tuple[int, int, int, int]:
    """Ask a set; print its misses; (answerable, right, unanswerable, leaks)."""
    now = datetime.combine(day, time(9, 0), tzinfo=ZONE) if day else None
    answerable = right = unanswerable = leaks = 0
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
            if not hit and show:
                print(f"  {result.status:8}{item['q']!r} want {expect}, got {got} "
                      f"{result.score}")
    print(f"{name:12} right {right}/{answerable}  leaks {leaks}/{unanswerable}")
    return answerable, right, unanswerable, leaks


def main(argv: list[str]) -> int:
    sets = _sets()
    quiet = "-q" in argv
    chosen = [name for name in argv if name != "-q"] or list(sets)
    for name in chosen:
        if name not in sets:
            print(f"no set {name}; the sets are {', '.join(sets)}")
            return 2
        context, questions, day = sets[name]
        run(name, context, questions, day, show=not quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
