"""Where a cold build of the knowledge base spends its time, step by step (wall and CPU).

    python bench/build_phases.py [--size 10000] [--runs 3]

Writes the generated knowledge folder of ``bench/search.py`` (same seed, so the same base
as its "load + index" row), then loads it ``--runs`` times with no snapshot, timing each
step of the build from outside (its functions wrapped, the code unchanged), and prints
the fastest run of each step. The steps: the YAML parsed into nodes (libyaml), the nodes
walked into the model, the phrasings' words read, the phrasings indexed (synonym segments,
spellings, pairs, shares), what the items say read into the content index's terms, the
FTS5 table, the phrases' weights, and the rest (postings, IDF, typos, the charter's
authority). The wrappers cost a little; the total is printed beside the load unwrapped.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search as generated  # noqa: E402

from bot.kb import KnowledgeBase, indexing, knowledge, loader  # noqa: E402
from bot.kb import search as index  # noqa: E402

# (step, the object holding the function, the function's name), in the order they run.
STEPS: list[tuple[str, Any, str]] = [
    ("whole load", knowledge.KnowledgeBase, "load"),
    ("  YAML into nodes (libyaml)", loader.yaml, "compose"),
    ("  read the folder (with YAML)", knowledge, "read_knowledge"),
    ("  search index (all of it)", index.SearchIndex, "__init__"),
    ("    phrasings' words read", indexing.IndexBuilder, "_read_documents"),
    ("    phrasings indexed", indexing.IndexBuilder, "_index_phrasings"),
    ("    content read into terms", indexing.IndexBuilder, "_content_tokens"),
    ("    content index (with terms)", index.ContentIndex, "__init__"),
    ("    phrases' weights", indexing.IndexBuilder, "_phrase"),
]


@contextmanager
def timed(spent: dict[str, list[float]]) -> Iterator[None]:
    """Each step's function wrapped to add its wall and CPU time to ``spent``."""
    originals = [(owner, name, getattr(owner, name)) for _, owner, name in STEPS]
    for (step, owner, name), (_, _, function) in zip(STEPS, originals, strict=True):
        setattr(owner, name, _timing(step, function, spent))
    try:
        yield
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)


def _timing(step: str, function: Callable[..., Any],
            spent: dict[str, list[float]]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            total = spent.setdefault(step, [0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += time.process_time() - cpu
    return wrapper


def measure(directory: Path, runs: int) -> tuple[dict[str, list[float]], float, float]:
    """The fastest of ``runs`` timings of each step, and of the load unwrapped."""
    best: dict[str, list[float]] = {}
    plain_wall = plain_cpu = float("inf")
    for _ in range(runs):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        KnowledgeBase.load(directory)
        plain_wall = min(plain_wall, time.perf_counter() - wall)
        plain_cpu = min(plain_cpu, time.process_time() - cpu)
        gc.collect()
        spent: dict[str, list[float]] = {}
        with timed(spent):
            KnowledgeBase.load(directory)
        for step, (wall_spent, cpu_spent) in spent.items():
            kept = best.setdefault(step, [wall_spent, cpu_spent])
            kept[0], kept[1] = min(kept[0], wall_spent), min(kept[1], cpu_spent)
    return best, plain_wall, plain_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "knowledge"
        asked = generated.generate(directory, args.size, random.Random(args.seed + args.size))
        best, plain_wall, plain_cpu = measure(directory, args.runs)
    print(f"{len(asked)} entries, fastest of {args.runs} runs")
    print(f"{'step':34} {'wall':>8} {'cpu':>8}")
    for step, _, _ in STEPS:
        wall, cpu = best.get(step, [0.0, 0.0])
        print(f"{step:34} {wall:>7.3f}s {cpu:>7.3f}s")
    print(f"{'load, not wrapped':34} {plain_wall:>7.3f}s {plain_cpu:>7.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
