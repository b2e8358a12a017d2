"""The knowledge base a running bot serves, swapped whole when the secretariat reloads it or
teaches the bot something (what was taught is laid over the files: :mod:`bot.kb.learned`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.kb.knowledge import KnowledgeBase
from bot.kb.learned import CONFLICT, Lesson, knowledge_base, overlay, read_contents
from bot.kb.loader import Contents, KnowledgeError, Problem

log = logging.getLogger(__name__)

LessonSource = Callable[[], Awaitable[Sequence[Lesson]]]


class KnowledgeService:
    """Holds the current :class:`KnowledgeBase`; a reload replaces it only if the new one is
    valid, so members are never answered from a half-read folder.

    With a lesson source (:meth:`use_lessons`), every build lays the lessons over the files:
    at :meth:`refresh` (start-up, after each teaching or undo) and at :meth:`reload`.
    """

    def __init__(
        self, directory: Path, kb: KnowledgeBase, contents: Contents | None = None
    ) -> None:
        self.directory = directory
        self._kb = kb
        self._contents = contents  # the files as last read; lessons are laid over them
        self._lessons: LessonSource | None = None
        self._building = asyncio.Lock()
        self.lesson_status: dict[int, str] = {}  # lesson id -> bot.kb.learned status
        self._built_with: tuple[int, ...] | None = () if contents is not None else None

    @classmethod
    def load(cls, directory: Path | str) -> KnowledgeService:
        """Load the folder; raise :class:`KnowledgeError` (file:line problems) if it is invalid."""
        contents = read_contents(directory)
        return cls(Path(directory), knowledge_base(contents), contents)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base in service now."""
        return self._kb

    def use_lessons(self, source: LessonSource) -> None:
        """Where the lessons come from (the database); read at every build."""
        self._lessons = source

    async def refresh(self) -> None:
        """Build again from the files as last read (not re-read: edits wait for /reload) and
        the current lessons; nothing to do when the lessons are those of the last build."""
        async with self._building:
            lessons = await self._lessons() if self._lessons is not None else ()
            if self._built_with == tuple(lesson.id for lesson in lessons):
                return  # lessons are never edited, only added and undone
            contents = self._contents
            if contents is None:
                contents = await asyncio.to_thread(read_contents, self.directory)
            await self._build(contents, lessons)

    async def reload(self) -> list[Problem]:
        """Re-read the folder; swap it in if valid. The problems found ([] when it was swapped)."""
        # Loading and indexing is CPU work: off the event loop, so other chats go on.
        try:
            contents = await asyncio.to_thread(read_contents, self.directory)
        except KnowledgeError as exc:
            return exc.problems
        async with self._building:
            await self._build(contents, await self._lessons() if self._lessons else ())
        return []

    async def _build(self, contents: Contents, lessons: Sequence[Lesson]) -> None:
        overlaid = overlay(contents, lessons)
        status = overlaid.status
        try:
            kb = await asyncio.to_thread(knowledge_base, overlaid.contents)
        except Exception:
            # A lesson must never take the knowledge base down: serve the files alone.
            log.exception("the knowledge base could not be built with the lessons")
            kb = await asyncio.to_thread(knowledge_base, contents)
            status = dict.fromkeys(status, CONFLICT)
        # One assignment each: every question sees either the old or the new one.
        self._contents = contents
        self.lesson_status = status
        self._built_with = tuple(lesson.id for lesson in lessons)
        self._kb = kb
