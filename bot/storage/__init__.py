"""SQLite storage through aiosqlite: one connection, versioned migrations, serialised writes.

Every SQL statement of HoiBot lives in this package: ``Database`` owns the connection and the
schema; one repository module per feature (``users``, ...) owns that feature's statements.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_db_time(moment: datetime) -> str:
    """Store times as ISO-8601 UTC text (sortable, readable in the sqlite3 shell)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db_time(value: str | None) -> datetime | None:
    """Read a time written by :func:`to_db_time` (None for an empty column)."""
    return datetime.fromisoformat(value) if value else None


def db_time(value: str) -> datetime:
    """Read a time of a column that is never empty (``NOT NULL``)."""
    return datetime.fromisoformat(value)


def one(row: aiosqlite.Row | None) -> aiosqlite.Row:
    """The row of a query that always gives one (``COUNT``, ``SUM``, ``INSERT ... RETURNING``)."""
    if row is None:
        raise LookupError("the query gave no row")
    return row


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """The migration files, by version number (``0001_core.sql``, ...)."""
    found = []
    for path in directory.glob("*.sql"):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def _private_files(path: Path) -> None:
    """Only the bot's own account may read the database: folder 0700, files 0600.

    SQLite gives the -wal and -shm files the permissions of the database file, so creating
    that file 0600 before SQLite opens it covers them too.
    """
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


class Database:
    """The bot's SQLite database: WAL, a busy timeout, writes in ``BEGIN IMMEDIATE``."""

    def __init__(self, path: Path | str, *, synchronous: str = "FULL") -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
        self.path = Path(path)
        self.synchronous = synchronous
        self._conn: aiosqlite.Connection | None = None
        # One aiosqlite connection is one transaction: coroutines must take turns writing.
        self._write_lock = asyncio.Lock()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("the database is not open")
        return self._conn

    async def open(self) -> None:
        """Open the file (creating its folder), set pragmas and apply pending migrations."""
        if str(self.path) != ":memory:":
            _private_files(self.path)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        # Erased rows are overwritten with zeros, not left in free pages of the file.
        await self._conn.execute("PRAGMA secure_delete=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        # FULL: every commit is fsynced, so a committed decision, outbox entry or delivery
        # record survives a power loss too, not only a crash of the process (NORMAL).
        # Measured by bench/journal_sync.py: it costs ~0.3 ms a commit here and halves
        # the journal's own ceiling (~20,000 -> ~10,000 msg/s), far above Telegram's 30/s.
        await self._conn.execute(f"PRAGMA synchronous={self.synchronous}")
        await self.migrate()

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it (after an erasure, so erased
        rows do not stay readable in the WAL)."""
        async with self._write_lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def schema_version(self) -> int:
        """The highest migration applied."""
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply every migration newer than the database, each in its own transaction."""
        applied = []
        current = await self.schema_version()
        for version, path in migrations():
            if version <= current:
                continue
            script = path.read_text(encoding="utf-8")
            async with self._write_lock:
                await self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={version};\nCOMMIT;"
                )
            applied.append(version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` so a read-then-write never hits BUSY."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in its own transaction; return the last row id."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def fetchone(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> aiosqlite.Row | None:
        """The first row of a query, or None."""
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        """All rows of a query."""
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
