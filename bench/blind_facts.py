"""Print the FACTS of knowledge/ for a blind-set writer (tests/data/blind/WRITING.md).

    python bench/blind_facts.py [PROJECT_ROOT] > /tmp/facts.txt

Every item without the fields that say how it is searched (``questions``, ``keywords``,
``aliases``, ``stands_in_for``), and not the synonyms or the topics: a writer of questions
nobody tuned for must know what the knowledge base states, never how it is found.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

HIDDEN = {"questions", "keywords", "aliases", "stands_in_for"}
SEARCH_FILES = {"synonyms.yaml", "topics.yaml"}


def facts(node: Any) -> Any:
    """``node`` without the fields of :data:`HIDDEN`, at any depth."""
    if isinstance(node, dict):
        return {key: facts(value) for key, value in node.items() if key not in HIDDEN}
    if isinstance(node, list):
        return [facts(value) for value in node]
    return node


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else Path(__file__).resolve().parents[1]) / "knowledge"
    for path in sorted(root.glob("*.yaml")):
        if path.name in SEARCH_FILES:
            continue
        print(f"===== {path.name}")
        print(yaml.safe_dump(facts(yaml.safe_load(path.read_text("utf-8"))),
                             allow_unicode=True, sort_keys=False, width=100))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
