"""Every decision of the search on every evaluation set, one line a question, to diff.

    python bench/qa_dump.py [--generated 1000,10000] [FILE]   (default: standard output)

For each set that ``bench/qa_eval.py`` prints (the sets of tests/data/qa_eval.yaml, the
spent and the blind sets, in its order), each question's status, item id, score and
suggestions. A change meant to keep the search's results (a faster build) must leave the
dump identical: run it before and after, and ``diff`` the two files. ``--generated``
adds, for each size, the mixed questions of ``bench/search.py`` asked of its generated
knowledge base of that size (what the build does at scale).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search as generated  # noqa: E402
from qa_eval import (  # noqa: E402
    BLIND_SETS,
    EVAL,
    KNOWLEDGE,
    SPENT_SETS,
    _asker,
    _blind_set,
)

from bot.kb import KnowledgeBase  # noqa: E402


def dump_set(name: str, questions: list[dict[str, Any]], ask: Callable[[str], Any],
             out: TextIO) -> None:
    """One line per question of a set: what the search decided."""
    for item in questions:
        result = ask(item["q"])
        suggestions = ",".join(result.suggestions)
        out.write(f"{name}\t{item['q']!r}\t{result.status}\t{result.entry_id}\t"
                  f"{result.score!r}\t{suggestions}\n")


def dump_generated(size: int, out: TextIO, seed: int = 7, count: int = 400) -> None:
    """The questions of ``bench/search.py`` on its generated knowledge base of ``size``."""
    rng = random.Random(seed + size)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "knowledge"
        asked = generated.generate(directory, size, rng)
        kb = KnowledgeBase.load(directory)
    batch = generated.questions(asked, count, rng) + [question for _, question in asked[:200]]
    dump_set(f"generated{size}", [{"q": question} for question in batch], kb.ask, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="where to write (default: standard output)")
    parser.add_argument("--generated", default="", help="sizes of generated bases to add")
    args = parser.parse_args()
    out = open(args.file, "w", encoding="utf-8") if args.file else sys.stdout
    sets = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    kb = KnowledgeBase.load(KNOWLEDGE)
    with out:
        for name in [*sets, *SPENT_SETS, *BLIND_SETS]:
            if name in sets:
                dump_set(name, sets[name], kb.ask, out)
                continue
            with _blind_set(name) as (blind_kb, questions, day):
                dump_set(name, questions, _asker(blind_kb, day), out)
        for size in filter(None, args.generated.split(",")):
            dump_generated(int(size), out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
