"""The outbox: what must follow a committed decision, journalled in the decision's own
transaction. See :mod:`bot.outbox` for how entries are run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.storage import Database, to_db_time, utcnow

# One effect: its name and its payload (ids only, never personal data).
Effect = tuple[str, dict[str, Any]]


class OutboxStatus(StrEnum):
    """An entry's state: waiting, started (committed before the effect starts), done,
    given up after its attempts, or interrupted with an outcome nobody knows."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "unknown"


FINISHED = (OutboxStatus.DONE, OutboxStatus.FAILED, OutboxStatus.UNKNOWN)


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    effect: str
    payload: dict[str, Any]
    status: str
    attempts: int


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        id=row["id"],
        effect=row["effect"],
        payload=json.loads(row["payload"]),
        status=row["status"],
        attempts=row["attempts"],
    )


async def enqueue(conn: aiosqlite.Connection, now: datetime, effects: Sequence[Effect]) -> None:
    """Add effects inside the caller's (decision's) transaction: both commit, or neither."""
    moment = to_db_time(now)
    await conn.executemany(
        "INSERT INTO outbox (effect, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(name, json.dumps(payload), moment, moment) for name, payload in effects],
    )


class OutboxRepository:
    """Reads and updates outbox entries."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, effects: Sequence[Effect]) -> None:
        """Add effects in a transaction of their own (when there is no decision to join)."""
        async with self.db.transaction() as conn:
            await enqueue(conn, utcnow(), effects)

    async def pending(self) -> list[OutboxEntry]:
        """Entries waiting to run, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = ? ORDER BY id", (OutboxStatus.PENDING,)
        )
        return [_entry(row) for row in rows]

    async def interrupted(self) -> list[OutboxEntry]:
        """Entries that were running when the bot stopped (their outcome is not recorded)."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = ? ORDER BY id", (OutboxStatus.RUNNING,)
        )
        return [_entry(row) for row in rows]

    async def claim(self, entry_id: int) -> bool:
        """Mark an entry running (committed before the effect starts); False if taken."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE id = ? AND status = ?",
                (OutboxStatus.RUNNING, to_db_time(utcnow()), entry_id, OutboxStatus.PENDING),
            )
            return cursor.rowcount == 1

    async def finish(self, entry_id: int, status: OutboxStatus, error: str | None = None) -> None:
        """Record an entry's outcome: done, failed, unknown, or pending again (to retry)."""
        await self.db.execute(
            "UPDATE outbox SET status = ?, error = ?, updated_at = ? WHERE id = ?",
            (status, error, to_db_time(utcnow()), entry_id),
        )

    async def purge_finished(self, before: datetime) -> int:
        """Forget entries that ended before ``before``."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE status IN (?, ?, ?) AND updated_at < ?",
                (*FINISHED, to_db_time(before)),
            )
            return max(cursor.rowcount, 0)

    async def drop_done(self, effects: Sequence[str]) -> None:
        """Forget at once the finished entries of these effects (their payload names a
        person whose data was just erased)."""
        marks = ", ".join("?" * len(effects))
        await self.db.execute(
            f"DELETE FROM outbox WHERE status = ? AND effect IN ({marks})",
            (OutboxStatus.DONE, *effects),
        )
