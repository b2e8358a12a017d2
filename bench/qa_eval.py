"""Figures of the search on the evaluation sets, per set.

    python bench/qa_eval.py [--sets questions,holdout,holdout7,charter4] [--misses questions]

The sets: those of tests/data/qa_eval.yaml, plus the sets of tests/data/blind/. A set
``holdoutN`` there is tests/data/blind/holdoutN.yaml, asked of knowledge/; a set ``charterN``
is a folder of questions on a fictional charter: knowledge/ is copied to a temporary folder,
tests/data/blind/charterN/charter.md is imported into the copy, and charterN/questions.yaml
is asked there. These sets' questions are asked at 09:00 (Asia/Ho_Chi_Minh) on their
``asked_on`` day when ``KnowledgeBase.ask`` takes a ``now`` keyword.

The BLIND sets (``holdout65``, ``holdout66``, ``charter71`` to ``charter74`` now;
write new ones, and add them to BLIND_SETS, before any further change) judge the next change and
are never tuned on. The SPENT sets (``holdout5`` to ``holdout64``, ``charter2`` to
``charter70``) were blind for an earlier change, were run once before and once after it,
and are now ordinary sets: still printed, misses may be listed.

For each set: answerable questions answered with the right item (top-1), the right item
answered or among the suggestions, answerable questions answered with a WRONG item (the
failure that matters most), and unanswerable questions answered (leaks). ``expect`` is an
id, a list of ids (any of them is right) or ``unknown``. ``--misses`` lists the questions
that went wrong in the sets named: use it on the sets that are tuned on, never on a holdout
that is still to be reported; it is refused for the blind sets, which are never tuned on.
"""

from __future__ import annotations

import argparse
import inspect
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

from bot.kb import KnowledgeBase, import_charter, semantic  # noqa: E402

# Each charter's articles are read by the sentence encoder once (about 10 s a charter on
# the development machine) and kept between runs (the articles' vectors, no question).
semantic.REMEMBERED_READINGS = 100_000
semantic.remember_in(ROOT / ".cache" / "article-vectors.pickle")

EVAL = ROOT / "tests" / "data" / "qa_eval.yaml"
BLIND = ROOT / "tests" / "data" / "blind"
KNOWLEDGE = ROOT / "knowledge"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ASKED_AT = time(9, 0)


BLIND_SETS: tuple[str, ...] = ("charter71", "charter72", "holdout65", "holdout66", "charter73",
                               "charter74")
SPENT_SETS = ("holdout5", "charter2", "holdout6", "charter3", "holdout7", "charter4", "holdout8",
              "charter5", "holdout9", "charter6", "holdout10", "charter7", "holdout11",
              "charter8", "holdout12", "charter9", "holdout13", "charter10", "charter11",
              "holdout14", "charter12", "holdout15", "charter13", "charter14", "charter15",
              "charter16", "charter17", "charter18", "charter19", "charter20", "holdout16",
              "holdout17", "charter21", "charter22", "holdout18", "charter23", "charter24",
              "charter25", "charter26", "charter27", "charter28", "charter29", "holdout19",
              "holdout20", "charter30", "charter31", "holdout21", "charter32", "holdout22",
              "charter33", "holdout23", "charter34", "holdout24", "charter35", "holdout25",
              "charter36", "holdout26", "charter37", "holdout27", "charter38", "holdout28",
              "charter39", "holdout29", "charter40", "holdout30", "charter41", "holdout31",
              "charter42", "holdout32", "charter43", "holdout33", "charter44",
              "charter45", "holdout34", "holdout35", "charter46",
              "charter47", "charter48", "holdout37", "charter49", "charter50", "holdout36",
              "charter51", "charter52", "holdout38", "holdout39",
              "charter53", "charter54", "holdout41", "holdout40", "charter55",
              "holdout42", "holdout43", "charter56", "charter57", "holdout44", "charter58",
              "holdout45", "holdout46", "charter59", "charter60", "holdout47", "holdout48",
              "holdout49", "holdout50", "charter61", "charter62", "holdout51", "holdout52",
              "holdout53", "holdout54", "charter63", "charter64", "holdout55", "holdout56",
              "holdout57", "holdout58", "holdout59", "holdout60", "charter65", "charter66",
              "charter67", "charter68", "charter69", "charter70", "holdout61", "holdout62",
              "holdout63", "holdout64")


@contextmanager
def _blind_set(name: str) -> Iterator[tuple[KnowledgeBase, list[dict[str, Any]], date]]:
    """The knowledge base, questions and day of a set of tests/data/blind/."""
    folder = BLIND / name
    if not folder.is_dir():
        data = yaml.safe_load((BLIND / f"{name}.yaml").read_text(encoding="utf-8"))
        yield KnowledgeBase.load(KNOWLEDGE), data["questions"], data["asked_on"]
        return
    data = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        knowledge = Path(scratch) / "knowledge"
        shutil.copytree(KNOWLEDGE, knowledge)
        import_charter(folder / "charter.md", knowledge / "charter.yaml")
        yield KnowledgeBase.load(knowledge), data["questions"], data["asked_on"]


def _asker(kb: KnowledgeBase, day: date | None) -> Callable[[str], Any]:
    """``kb.ask``, given the moment of asking when it takes a ``now`` keyword."""
    if day is not None and "now" in inspect.signature(kb.ask).parameters:
        now = datetime.combine(day, ASKED_AT, tzinfo=ZONE)
        return lambda question: kb.ask(question, now=now)
    return kb.ask


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--misses", default="", help="comma-separated sets whose misses to list")
    args = parser.parse_args()
    sets = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    known = [*sets, *SPENT_SETS, *BLIND_SETS]
    chosen = args.sets.split(",") if args.sets else known
    unknown_sets = [name for name in chosen if name not in known]
    if unknown_sets:
        parser.error(f"no set {', '.join(unknown_sets)}; the sets are {', '.join(known)}")
    show = set(filter(None, args.misses.split(",")))
    if show & set(BLIND_SETS):
        parser.error("the blind sets are never tuned on: --misses is refused for "
                     + ", ".join(sorted(show & set(BLIND_SETS))))
    kb = KnowledgeBase.load(KNOWLEDGE)
    print(f"{'set':10} {'answerable':>10} {'top-1':>7} {'in-sugg':>8} {'wrong':>6} "
          f"{'unanswerable':>12} {'leaks':>6}")
    for name in chosen:
        if name in SPENT_SETS or name in BLIND_SETS:
            with _blind_set(name) as (blind_kb, questions, day):
                print(_row(name, questions, _asker(blind_kb, day), show=name in show))
        else:
            print(_row(name, sets[name], kb.ask, show=name in show))
    return 0


def _row(name: str, questions: list[dict[str, Any]], ask: Callable[[str], Any],
         show: bool) -> str:
    """Ask a set's questions and return its line of the table (listing misses if ``show``)."""
    answerable = right = offered = wrong = unanswerable = leaks = 0
    for item in questions:
        result = ask(item["q"])
        expect = item["expect"]
        if expect == "unknown":
            unanswerable += 1
            leaked = result.status == "answered"
            leaks += leaked
            if leaked and show:
                print(f"  LEAK   {item['q']!r} -> {result.entry_id} {result.score}")
            continue
        wanted = set(expect) if isinstance(expect, list) else {expect}
        answerable += 1
        hit = result.status == "answered" and result.entry_id in wanted
        suggested = result.status == "suggest" and bool(wanted & set(result.suggestions))
        right += hit
        offered += hit or suggested
        wrong += result.status == "answered" and not hit
        if not hit and show:
            got = result.entry_id if result.status == "answered" else result.suggestions
            print(f"  {result.status:7}{item['q']!r} want {expect}, got {got} "
                  f"{result.score}")
    return (f"{name:10} {answerable:>10} {_share(right, answerable):>7} "
            f"{_share(offered, answerable):>8} {wrong:>6} {unanswerable:>12} {leaks:>6}")


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


if __name__ == "__main__":
    raise SystemExit(main())
