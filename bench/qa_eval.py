"""Figures of the search on the evaluation sets of tests/data/qa_eval.yaml, per set.

    python bench/qa_eval.py [--sets questions,holdout] [--misses questions]

For each set: answerable questions answered with the right item (top-1), the right item
answered or among the suggestions, answerable questions answered with a WRONG item (the
failure that matters most), and unanswerable questions answered (leaks). ``--misses``
lists the questions that went wrong in the sets named: use it on the sets that are tuned
on, never on a holdout that is still to be reported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import KnowledgeBase  # noqa: E402

EVAL = ROOT / "tests" / "data" / "qa_eval.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--misses", default="", help="comma-separated sets whose misses to list")
    args = parser.parse_args()
    kb = KnowledgeBase.load(ROOT / "knowledge")
    sets = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    chosen = args.sets.split(",") if args.sets else list(sets)
    show = set(filter(None, args.misses.split(",")))
    print(f"{'set':10} {'answerable':>10} {'top-1':>7} {'in-sugg':>8} {'wrong':>6} "
          f"{'unanswerable':>12} {'leaks':>6}")
    for name in chosen:
        answerable = right = offered = wrong = unanswerable = leaks = 0
        for item in sets[name]:
            result = kb.ask(item["q"])
            expect = item["expect"]
            if expect == "unknown":
                unanswerable += 1
                leaked = result.status == "answered"
                leaks += leaked
                if leaked and name in show:
                    print(f"  LEAK   {item['q']!r} -> {result.entry_id} {result.score}")
                continue
            answerable += 1
            hit = result.status == "answered" and result.entry_id == expect
            suggested = result.status == "suggest" and expect in result.suggestions
            right += hit
            offered += hit or suggested
            wrong += result.status == "answered" and not hit
            if not hit and name in show:
                got = result.entry_id if result.status == "answered" else result.suggestions
                print(f"  {result.status:7}{item['q']!r} want {expect}, got {got} "
                      f"{result.score}")
        print(f"{name:10} {answerable:>10} {_share(right, answerable):>7} "
              f"{_share(offered, answerable):>8} {wrong:>6} {unanswerable:>12} {leaks:>6}")
    return 0


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


if __name__ == "__main__":
    raise SystemExit(main())
