"""Benchmark of the knowledge base: load + index time and question latency by size.

    python bench/search.py [--sizes 100,1000,10000] [--queries 400]

Builds synthetic knowledge folders (the shipped base sections plus N generated entries of
Vietnamese-like text with English phrasings), loads each one, then times mixed questions:
with and without diacritics, with typos, in English, and unanswerable ones.
Targets on a 2-core machine: p99 < 2 ms at 1,000 entries, < 20 ms at 10,000; loading
1,000 entries < 1 s, 10,000 entries < 1.5 s. The answers' texts are indexed too (the
search reads the content). CPU times are printed beside the wall-clock ones: on a machine
shared with other work they tell what the search itself costs. "restart" is a start with
an unchanged folder, read from the snapshot the bot keeps beside its database
(bot/kb/service.py); "1st start" is the bot's first start, which builds and writes it.
A change meant to make the build faster must keep every answer: bench/qa_dump.py.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import KnowledgeBase  # noqa: E402
from bot.kb.normalize import fold  # noqa: E402
from bot.kb.service import KnowledgeService, snapshot_beside  # noqa: E402

INITIALS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph",
            "qu", "s", "t", "th", "tr", "v", "x"]
RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "at", "ơi", "ương", "iên", "uyên", "ôn",
          "ông", "ư", "ưa", "ên", "inh", "oc", "oan", "âu", "ây", "em", "êt", "uc", "uôc"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
DOMAIN = ["hội phí", "chi hội", "hội nghị", "thư viện", "đào tạo", "bạn đọc", "tài liệu",
          "số hóa", "phòng đọc", "nghiệp vụ", "biên mục", "phân loại", "lưu trữ", "hội viên",
          "ban chấp hành", "khen thưởng", "hội thảo", "văn hóa đọc", "thẻ thư viện", "mượn sách"]
ENGLISH = ["library", "reading", "catalogue", "archive", "training", "members", "branch",
           "conference", "award", "digitisation", "workshop", "fee", "loan", "collection"]
VI_PATTERNS = ["{t} là gì?", "Làm sao để đăng ký {t}?", "{t} ở đâu?", "Khi nào có {t}?",
               "Ai phụ trách {t}?", "{t} bao nhiêu?"]
EN_PATTERNS = ["What is the {t}?", "How do I get the {t}?", "Where is the {t}?",
               "When is the {t}?"]


def syllable(rng: random.Random) -> str:
    rhyme = rng.choice(RHYMES)
    tone = rng.choice(TONES)
    word = rng.choice(INITIALS) + rhyme[0] + tone + rhyme[1:]
    return unicodedata.normalize("NFC", word)


def topic(rng: random.Random) -> str:
    words = [rng.choice(DOMAIN)] + [syllable(rng) for _ in range(rng.randint(2, 3))]
    rng.shuffle(words)
    return " ".join(words)


def english_topic(rng: random.Random) -> str:
    return " ".join(rng.sample(ENGLISH, 2)) + " " + syllable(rng)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(directory: Path, size: int, rng: random.Random) -> list[tuple[str, str]]:
    """Write a knowledge folder with ``size`` entries; give (entry id, a question) pairs."""
    shutil.copytree(ROOT / "knowledge", directory)
    # Only the base sections are kept: the generated entries replace the VLA's.
    for name in ("activities.yaml", "faq.yaml", "membership.yaml", "meetings.yaml"):
        (directory / name).unlink()
    charter = (directory / "charter.yaml").read_text(encoding="utf-8")
    (directory / "charter.yaml").write_text(
        charter.split("\ncharter_facts:")[0] + "\nchapters: []\n", encoding="utf-8"
    )
    association = (directory / "association.yaml").read_text(encoding="utf-8")
    (directory / "association.yaml").write_text(association.split("\nentries:")[0] + "\n",
                                                encoding="utf-8")
    lines = ["entries:"]
    asked: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number in range(size):
        vi_topic, en_topic = topic(rng), english_topic(rng)
        vi = [pattern.format(t=vi_topic) for pattern in rng.sample(VI_PATTERNS, 3)]
        en = [pattern.format(t=en_topic) for pattern in rng.sample(EN_PATTERNS, 2)]
        folded = {fold(question) for question in vi + en}
        if seen & folded:
            continue  # the checker refuses one question for two entries
        seen.update(folded)
        entry_id = f"e{number}"
        asked.append((entry_id, rng.choice(vi + en)))
        lines += [
            f"  - id: {entry_id}",
            f"    title: {{vi: {quoted(vi_topic)}, en: {quoted(en_topic)}}}",
            "    questions:",
            f"      vi: [{', '.join(quoted(q) for q in vi)}]",
            f"      en: [{', '.join(quoted(q) for q in en)}]",
            f"    keywords: [{quoted(syllable(rng))}, {quoted(rng.choice(DOMAIN))}]",
            f"    answer: {{vi: {quoted('Trả lời về ' + vi_topic)}, en: "
            f"{quoted('Answer about ' + en_topic)}}}",
            "    source: {vi: \"Thử nghiệm\", en: \"Benchmark\"}",
        ]
    (directory / "generated.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return asked


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in text if not unicodedata.combining(char))


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        i = rng.randrange(len(word) - 1)
        words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def questions(asked: list[tuple[str, str]], count: int, rng: random.Random) -> list[str]:
    mixed = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.2:
            mixed.append(" ".join(syllable(rng) for _ in range(rng.randint(2, 5))) + "?")
            continue
        _, question = rng.choice(asked)
        if kind < 0.5:
            question = strip_marks(question).lower()
        elif kind < 0.7:
            question = typo(strip_marks(question), rng)
        mixed.append(question)
    return mixed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(size: int, count: int, seed: int) -> tuple[int, float, float, float, float]:
    rng = random.Random(seed + size)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "knowledge"
        asked = generate(directory, size, rng)
        started, cpu = time.perf_counter(), time.process_time()
        kb = KnowledgeBase.load(directory)
        load, load_cpu = time.perf_counter() - started, time.process_time() - cpu
        # The bot's start: the first one builds and snapshots, the next ones read it.
        taken = snapshot_beside(Path(scratch) / "hoibot.sqlite3")
        started = time.perf_counter()
        service = KnowledgeService.load(directory, taken)
        first = time.perf_counter() - started  # the snapshot is written in the background:
        asyncio.run(service.saved())  # ...waited for here, for the restart to find it
        started = time.perf_counter()
        kb = KnowledgeService.load(directory, taken).kb
        restart = time.perf_counter() - started
    batch = questions(asked, count, rng)
    for question in batch[:20]:  # warm-up: first calls fill caches
        kb.ask(question)
    latencies, cpu_latencies = [], []
    for question in batch:
        started, cpu = time.perf_counter(), time.process_time()
        kb.ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_latencies.append((time.process_time() - cpu) * 1000)
    right = sum(kb.ask(question).entry_id == entry_id for entry_id, question in asked[:200])
    return (len(asked), load, load_cpu, first, restart, statistics.median(latencies),
            percentile(latencies, 0.99), percentile(cpu_latencies, 0.99),
            right / min(len(asked), 200))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'entries':>8} {'load+index':>11} {'(cpu)':>8} {'1st start':>9} {'restart':>8} "
          f"{'p50':>9} "
          f"{'p99':>9} {'(cpu p99)':>10} {'exact-question hits':>20}")
    for size in (int(part) for part in args.sizes.split(",")):
        entries, load, load_cpu, first, restart, p50, p99, cpu_p99, hits = run(
            size, args.queries, args.seed
        )
        print(f"{entries:>8} {load:>10.3f}s {load_cpu:>7.3f}s {first:>8.3f}s {restart:>7.3f}s "
              f"{p50:>7.2f}ms {p99:>7.2f}ms {cpu_p99:>8.2f}ms {hits:>19.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
