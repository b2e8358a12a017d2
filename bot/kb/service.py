"""The knowledge base a running bot serves, swapped whole when the secretariat reloads it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.kb.knowledge import KnowledgeBase
from bot.kb.loader import KnowledgeError, Problem
from bot.kb.snapshot import load as load_snapshot

# The snapshot of the indexed knowledge base, in the database's folder.
KNOWLEDGE_SNAPSHOT = "knowledge-snapshot.pickle"


class KnowledgeService:
    """Holds the current :class:`KnowledgeBase`; a reload replaces it only if the new one is
    valid, so members are never answered from a half-read folder."""

    def __init__(
        self, directory: Path, kb: KnowledgeBase, snapshot: Path | None = None
    ) -> None:
        self.directory = directory
        self._kb = kb
        self.snapshot = snapshot

    @classmethod
    def load(cls, directory: Path | str, snapshot: Path | None = None) -> KnowledgeService:
        """Load the folder; raise :class:`KnowledgeError` (file:line problems) if it is invalid.

        With ``snapshot`` (a file in a folder only the bot writes), an unchanged folder is
        not indexed again at the next start (:mod:`bot.kb.snapshot`).
        """
        return cls(Path(directory), _load(Path(directory), snapshot), snapshot)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base in service now."""
        return self._kb

    async def reload(self) -> list[Problem]:
        """Re-read the folder; swap it in if valid. The problems found ([] when it was swapped)."""
        # Loading and indexing is CPU work: off the event loop, so other chats go on.
        try:
            kb = await asyncio.to_thread(_load, self.directory, self.snapshot)
        except KnowledgeError as exc:
            return exc.problems
        self._kb = kb  # one assignment: every question sees either the old or the new one
        return []


def _load(directory: Path, snapshot: Path | None) -> KnowledgeBase:
    return KnowledgeBase.load(directory) if snapshot is None else load_snapshot(directory, snapshot)
