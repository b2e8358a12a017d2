"""Errors already reported to the admins, so each distinct error is reported once."""

from __future__ import annotations

from bot.storage import Database, one, to_db_time, utcnow


class ReportedErrorRepository:
    """Reads and writes the ``reported_errors`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, fingerprint: str) -> bool:
        """Count one occurrence; True only the first time this fingerprint is seen."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO reported_errors (fingerprint, first_seen) VALUES (?, ?) "
                "ON CONFLICT (fingerprint) DO UPDATE SET count = count + 1 RETURNING count",
                (fingerprint, to_db_time(utcnow())),
            )
            row = await cursor.fetchone()
        return bool(one(row)[0] == 1)
