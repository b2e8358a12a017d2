"""Questions members send to the secretariat, the admin messages that show them, the replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.storage import Database, db_time, from_db_time, one, to_db_time, utcnow


class QuestionStatus(StrEnum):
    """A member's question to the secretariat: waiting for a reply, or answered."""

    OPEN = "open"
    ANSWERED = "answered"


OPEN, ANSWERED = QuestionStatus.OPEN, QuestionStatus.ANSWERED


@dataclass(frozen=True)
class Question:
    """A member's question to the secretariat."""

    id: int
    user_id: int
    chat_id: int
    message_id: int
    text: str
    language: str
    asked_at: datetime
    status: str
    answered_by: int | None
    answered_at: datetime | None
    asker_name: str = ""  # from the users table, when the question was read with it
    taught_answer_at: datetime | None = None  # when a taught answer reached the member

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def _question(row: Any) -> Question:
    keys = row.keys()
    return Question(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        text=row["text"],
        language=row["language"],
        asked_at=db_time(row["asked_at"]),
        status=row["status"],
        answered_by=row["answered_by"],
        answered_at=from_db_time(row["answered_at"]),
        asker_name=row["asker_name"] if "asker_name" in keys else "",
        taught_answer_at=from_db_time(row["taught_answer_at"]),
    )


_WITH_ASKER = """
    SELECT q.*, TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, ''))
           AS asker_name
    FROM questions q LEFT JOIN users u ON u.id = q.user_id
"""


class QuestionRepository:
    """Reads and writes ``questions``, ``question_notices`` and ``question_replies``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ask(
        self,
        *,
        user_id: int,
        chat_id: int,
        message_id: int,
        text: str,
        language: str,
        asked_at: datetime | None = None,
    ) -> tuple[Question, bool]:
        """Record a question (open); ``(question, False)`` if that message was already sent."""
        async with self.db.transaction() as conn:
            inserted = await conn.execute(
                """
                INSERT INTO questions (user_id, chat_id, message_id, text, language, asked_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, message_id) DO NOTHING
                """,
                (user_id, chat_id, message_id, text, language, to_db_time(asked_at or utcnow())),
            )
            cursor = await conn.execute(
                "SELECT * FROM questions WHERE user_id = ? AND message_id = ?",
                (user_id, message_id),
            )
            row = await cursor.fetchone()
        return _question(row), inserted.rowcount == 1

    async def get(self, question_id: int) -> Question | None:
        """One question, or None (never asked, or erased)."""
        row = await self.db.fetchone(f"{_WITH_ASKER} WHERE q.id = ?", (question_id,))
        return _question(row) if row else None

    async def by_message(self, user_id: int, message_id: int) -> Question | None:
        """The question a member's message holds, if they sent it to the secretariat."""
        row = await self.db.fetchone(
            "SELECT * FROM questions WHERE user_id = ? AND message_id = ?", (user_id, message_id)
        )
        return _question(row) if row else None

    async def open_asked_since(self, user_id: int, since: datetime) -> int:
        """How many of a member's questions asked since then are still open."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM questions WHERE user_id = ? AND status = ? AND asked_at >= ?",
            (user_id, OPEN, to_db_time(since)),
        )
        row = one(row)
        return int(row[0])

    async def add_notices(self, question_id: int, messages: list[tuple[int, int]]) -> None:
        """Remember the admin-side messages ``(chat_id, message_id)`` that show a question."""
        if not messages:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR REPLACE INTO question_notices (chat_id, message_id, question_id) "
                "VALUES (?, ?, ?)",
                [(chat_id, message_id, question_id) for chat_id, message_id in messages],
            )

    async def by_notice(self, chat_id: int, message_id: int) -> Question | None:
        """The question an admin-side message shows, or None."""
        row = await self.db.fetchone(
            f"{_WITH_ASKER} JOIN question_notices n ON n.question_id = q.id "
            "WHERE n.chat_id = ? AND n.message_id = ?",
            (chat_id, message_id),
        )
        return _question(row) if row else None

    async def record_reply(
        self,
        question_id: int,
        *,
        admin_id: int,
        text: str,
        delivered: bool,
        sent_at: datetime | None = None,
    ) -> None:
        """Record an admin's reply; the first one marks the question answered."""
        moment = to_db_time(sent_at or utcnow())
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO question_replies (question_id, admin_id, text, sent_at, delivered) "
                "VALUES (?, ?, ?, ?, ?)",
                (question_id, admin_id, text, moment, int(delivered)),
            )
            await conn.execute(
                "UPDATE questions SET status = ?, answered_by = ?, answered_at = ? "
                "WHERE id = ? AND status = ?",
                (ANSWERED, admin_id, moment, question_id, OPEN),
            )

    async def record_taught_answer(self, question_id: int, at: datetime) -> None:
        """Note that the member was sent the answer taught for their question (the first
        time counts: a later teaching of the same question does not send it again)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE questions SET taught_answer_at = COALESCE(taught_answer_at, ?) "
                "WHERE id = ?",
                (to_db_time(at), question_id),
            )

    async def open_questions(self, limit: int = 50) -> list[Question]:
        """Open questions, oldest first."""
        rows = await self.db.fetchall(
            f"{_WITH_ASKER} WHERE q.status = ? ORDER BY q.asked_at, q.id LIMIT ?",
            (OPEN, limit),
        )
        return [_question(row) for row in rows]

    async def count_open(self) -> int:
        """How many questions are open."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM questions WHERE status = ?", (OPEN,))
        row = one(row)
        return int(row[0])

    async def notices_of_user(self, user_id: int) -> list[tuple[int, int]]:
        """The admin-side messages ``(chat_id, message_id)`` showing a member's questions."""
        rows = await self.db.fetchall(
            "SELECT n.chat_id, n.message_id FROM question_notices n "
            "JOIN questions q ON q.id = n.question_id WHERE q.user_id = ?",
            (user_id,),
        )
        return [(row[0], row[1]) for row in rows]

    async def export_for_user(self, user_id: int) -> list[dict[str, Any]]:
        """Everything stored about a member's questions, for /mydata (JSON-ready)."""
        questions = await self.db.fetchall(
            "SELECT * FROM questions WHERE user_id = ? ORDER BY asked_at, id", (user_id,)
        )
        exported = []
        for row in questions:
            replies = await self.db.fetchall(
                "SELECT text, sent_at, delivered FROM question_replies "
                "WHERE question_id = ? ORDER BY sent_at, id",
                (row["id"],),
            )
            exported.append(
                {
                    "question": row["text"],
                    "language": row["language"],
                    "asked_at": row["asked_at"],
                    "status": row["status"],
                    "answered_at": row["answered_at"],
                    "taught_answer_at": row["taught_answer_at"],
                    "replies": [
                        {
                            "text": reply["text"],
                            "sent_at": reply["sent_at"],
                            "delivered": bool(reply["delivered"]),
                        }
                        for reply in replies
                    ],
                }
            )
        return exported

    async def erase_user(self, user_id: int) -> int:
        """Erase a member's questions with their notices and replies; how many questions."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM questions WHERE user_id = ?", (user_id,))
            return cursor.rowcount
