"""The knowledge base a running bot serves, swapped whole when the secretariat reloads it or
teaches the bot something (what was taught is laid over the files: :mod:`bot.kb.learned`).

With a snapshot path (beside the database, a folder only the bot writes), every build is
snapshotted (:mod:`bot.kb.snapshot`) and a start with the same files, the same code and the
same lessons reads it instead of indexing again: 10,000 entries start in about 0.3 s
instead of about 3 s (README.md, "Measured"). The snapshot is keyed by the SHA-256 of
every ``*.yaml`` of the folder (taken before the files are read), the knowledge code and
the Python version; any difference, or a damaged snapshot, means a normal build.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

from bot.kb import semantic
from bot.kb import snapshot as snapshots
from bot.kb.knowledge import KnowledgeBase
from bot.kb.learned import CONFLICT, Lesson, knowledge_base, overlay, read_contents
from bot.kb.nodes import Contents, KnowledgeError, Problem

log = logging.getLogger(__name__)

LessonSource = Callable[[], Awaitable[Sequence[Lesson]]]


def _lessons_key(lessons: Sequence[Lesson]) -> str:
    """What identifies a set of lessons: a digest of all their fields."""
    return hashlib.sha256(repr(tuple(lessons)).encode()).hexdigest()


def snapshot_beside(database: Path | str) -> Path:
    """Where the bot keeps its knowledge snapshot: beside its database file."""
    database = Path(database)
    return database.with_name(f"{database.name}.knowledge")


def vectors_beside(snapshot: Path) -> Path:
    """Where the items' vectors are kept (:func:`bot.kb.semantic.remember_in`):
    beside the snapshot, so a build after the charter changed reads them again."""
    return snapshot.with_name(f"{snapshot.name}.vectors")


class KnowledgeService:
    """Holds the current :class:`KnowledgeBase`; a reload replaces it only if the new one is
    valid, so members are never answered from a half-read folder.

    With a lesson source (:meth:`use_lessons`), every build lays the lessons over the files:
    at :meth:`refresh` (start-up, after each teaching or undo) and at :meth:`reload`.
    """

    def __init__(
        self, directory: Path, kb: KnowledgeBase, contents: Contents | None = None,
        snapshot: Path | None = None, key: bytes = b"",
    ) -> None:
        self.directory = directory
        self._kb = kb
        self._contents = contents  # the files as last read; lessons are laid over them
        self._key = key  # the files' fingerprint when they were read (for the snapshot)
        self._snapshot = snapshot
        self._lessons: LessonSource | None = None
        self._building = asyncio.Lock()
        # Snapshots are written in the background, one at a time, in build order, by a
        # daemon thread: a start, a teaching, a /reload or the bot's exit does not wait for
        # one (cut short, it leaves a temporary file, never a damaged snapshot).
        self._jobs: deque[tuple[bytes, snapshots.Built, Future[None]]] = deque()
        self._writing = False
        self._jobs_lock = threading.Lock()
        self._last_save: Future[None] | None = None
        self.lesson_status: dict[int, str] = {}  # lesson id -> bot.kb.learned status
        self.reading: threading.Thread | None = None  # the articles read by meaning
        # The lessons of the last build: what they are, not only their ids (a database
        # restored from elsewhere may give other lessons the same ids).
        self._built_with: str | None = _lessons_key(()) if contents is not None else None

    @classmethod
    def load(cls, directory: Path | str, snapshot: Path | str | None = None) -> KnowledgeService:
        """Load the folder; raise :class:`KnowledgeError` (file:line problems) if it is
        invalid. With ``snapshot``, read the last build from it if it was of these files."""
        directory = Path(directory)
        if snapshot is None:
            contents = read_contents(directory)
            return cls(directory, knowledge_base(contents), contents)
        snapshot = Path(snapshot)
        semantic.remember_in(vectors_beside(snapshot))
        key = snapshots.fingerprint(directory)
        built = snapshots.read_built(snapshot, key)
        if built is not None:
            service = cls(directory, built.kb, built.contents, snapshot, key)
            service._built_with = built.lessons
            service.lesson_status = dict(built.status)
        else:
            contents = read_contents(directory)
            with semantic.kept_only():
                kb = knowledge_base(contents)
            service = cls(directory, kb, contents, snapshot, key)
            service._save_later(key, snapshots.Built(contents, service._kb))
        # A new charter's articles (or a snapshot written before they were read) are read
        # by meaning in a thread; the bot answers meanwhile.
        service.reading = service._kb.read_meanings_later()
        return service

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
            if self._built_with == _lessons_key(lessons):
                return
            if self._contents is None:
                key, contents = await asyncio.to_thread(self._read)
            else:
                contents, key = self._contents, self._key
            await self._build(contents, lessons, key)

    async def reload(self) -> list[Problem]:
        """Re-read the folder; swap it in if valid. The problems found ([] when it was swapped)."""
        # Loading and indexing is CPU work: off the event loop, so other chats go on.
        try:
            key, contents = await asyncio.to_thread(self._read)
        except KnowledgeError as exc:
            return exc.problems
        async with self._building:
            await self._build(contents, await self._lessons() if self._lessons else (), key)
        return []

    def _read(self) -> tuple[bytes, Contents]:
        """The files' fingerprint (taken first: a file changed meanwhile makes the snapshot
        miss, never serve old contents as new) and their contents."""
        key = snapshots.fingerprint(self.directory) if self._snapshot is not None else b""
        return key, read_contents(self.directory)

    async def _build(self, contents: Contents, lessons: Sequence[Lesson], key: bytes) -> None:
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
        self._key = key
        self.lesson_status = status
        self._built_with = _lessons_key(lessons)
        self._kb = kb
        self._save_later(key, snapshots.Built(contents, kb, self._built_with, dict(status)))

    async def saved(self) -> None:
        """Wait until every build so far is snapshotted."""
        if self._last_save is not None:
            await asyncio.wrap_future(self._last_save)

    def _save_later(self, key: bytes, built: snapshots.Built) -> None:
        if self._snapshot is None:
            return
        done: Future[None] = Future()
        self._last_save = done
        with self._jobs_lock:
            self._jobs.append((key, built, done))
            if self._writing:
                return
            self._writing = True
        threading.Thread(target=self._write_jobs, name="kb-snapshot", daemon=True).start()

    def _write_jobs(self) -> None:
        while True:
            with self._jobs_lock:
                if not self._jobs:
                    self._writing = False
                    return
                key, built, done = self._jobs.popleft()
            self._save(key, built)
            done.set_result(None)

    def _save(self, key: bytes, built: snapshots.Built) -> None:
        """Snapshot a build; a failure only costs the next start its speed. (The knowledge
        base is not changed by questions but for its caches, which are not pickled.)"""
        if self._snapshot is None:  # (never queued without one: _save_later)
            return
        try:
            snapshots.write_built(self._snapshot, key, built)
        except Exception:
            log.warning("knowledge snapshot %s not written", self._snapshot, exc_info=True)
