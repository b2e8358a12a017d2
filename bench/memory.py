"""Memory under junk: RSS growth while the knowledge base reads unique, long, junk questions.

    python bench/memory.py [--questions 20000]

Loads the shipped knowledge base, asks 200 ordinary questions (warm-up), then asks N
unique junk questions (random letters and syllables, some far longer than any question)
and prints the RSS before, after and at each quarter. Target (issue 9): growth < 20 MB for
20,000 questions. Questions are cut before they are read and the search's caches are bounded
in bytes (bot/kb/normalize.py CACHE_BYTES), so the growth levels off.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import KnowledgeBase  # noqa: E402

SYLLABLES = ["hội", "phí", "thư", "viện", "nghị", "đại", "chủ", "tịch", "khóa", "điều"]


def rss_mb() -> float:
    """The resident set size of this process, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def junk(rng: random.Random, number: int) -> str:
    """A unique junk question: random 'words' (some very long), a known syllable or two."""
    words = []
    for _ in range(rng.randint(20, 120)):
        size = rng.choice((3, 5, 8, 12, 40, 200))
        words.append("".join(rng.choices(string.ascii_lowercase + "ăâêôơưđáàảãạ", k=size)))
    words.insert(rng.randrange(len(words)), rng.choice(SYLLABLES))
    return f"{number} " + " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kb = KnowledgeBase.load(ROOT / "knowledge")
    for question in ["hội phí bao nhiêu", "chu tich hoi la ai", "how do I join"] * 67:
        kb.ask(question)
    start = rss_mb()
    print(f"RSS after load and warm-up: {start:.1f} MiB")
    quarter = max(args.questions // 4, 1)
    for number in range(1, args.questions + 1):
        kb.ask(junk(rng, number))
        if number % quarter == 0:
            print(f"after {number:>6} junk questions: {rss_mb():.1f} MiB "
                  f"(+{rss_mb() - start:.1f})")
    growth = rss_mb() - start
    print(f"growth: {growth:.1f} MiB (target < 20)")
    return 0 if growth < 20 else 1


if __name__ == "__main__":
    raise SystemExit(main())
