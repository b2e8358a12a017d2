"""Write ``bot/kb/vectors-seed.npz``: the sentence encoder's vectors of every reading of the
shipped knowledge base (``knowledge/``, no charter imported), so that a first start reads
its entries and meetings by meaning at once (:data:`bot.kb.semantic.SEED`).

    python bench/seed_vectors.py

Run it after editing ``knowledge/``: ``tests/test_semantic.py`` fails while the seed lacks a
reading (a start would then read the missing ones in a thread, ~17 ms each).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.kb import KnowledgeBase, semantic  # noqa: E402


def main() -> int:
    kb = KnowledgeBase.load(ROOT / "knowledge")
    texts = list(dict.fromkeys(text for _, said in kb.read_by_meaning() for text in said))
    semantic.write_seed(semantic.SEED, texts)
    print(f"wrote {semantic.SEED.relative_to(ROOT)}: {len(texts)} readings, "
          f"{semantic.SEED.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
