"""The bot's own messages that show a person's data, so /forget can take them back."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage import Database, to_db_time, utcnow


class PersonalMessageRepository:
    """Reads and writes the ``personal_messages`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, chat_id: int, message_id: int, subject_ids: Iterable[int]) -> None:
        """Remember that a message in a chat shows these people's data."""
        now = to_db_time(utcnow())
        rows = [(chat_id, message_id, subject, now) for subject in set(subject_ids) if subject]
        if not rows:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO personal_messages VALUES (?, ?, ?, ?)", rows
            )

    async def of_subject(self, subject_id: int) -> list[tuple[int, int]]:
        """(chat id, message id) of every recorded message showing the person."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM personal_messages WHERE subject_id = ? "
            "ORDER BY chat_id, message_id",
            (subject_id,),
        )
        return [(row["chat_id"], row["message_id"]) for row in rows]

    async def forget_messages(self, messages: Iterable[tuple[int, int]]) -> None:
        """Drop the records of messages that were deleted or blanked (for every subject)."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM personal_messages WHERE chat_id = ? AND message_id = ?",
                list(messages),
            )
