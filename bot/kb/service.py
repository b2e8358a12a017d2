"""The knowledge base a running bot serves, swapped whole when the secretariat reloads it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.kb.knowledge import KnowledgeBase
from bot.kb.loader import KnowledgeError, Problem


class KnowledgeService:
    """Holds the current :class:`KnowledgeBase`; a reload replaces it only if the new one is
    valid, so members are never answered from a half-read folder."""

    def __init__(self, directory: Path, kb: KnowledgeBase) -> None:
        self.directory = directory
        self._kb = kb

    @classmethod
    def load(cls, directory: Path | str) -> KnowledgeService:
        """Load the folder; raise :class:`KnowledgeError` (file:line problems) if it is invalid."""
        return cls(Path(directory), KnowledgeBase.load(directory))

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base in service now."""
        return self._kb

    async def reload(self) -> list[Problem]:
        """Re-read the folder; swap it in if valid. The problems found ([] when it was swapped)."""
        # Loading and indexing is CPU work: off the event loop, so other chats go on.
        try:
            kb = await asyncio.to_thread(KnowledgeBase.load, self.directory)
        except KnowledgeError as exc:
            return exc.problems
        self._kb = kb  # one assignment: every question sees either the old or the new one
        return []
