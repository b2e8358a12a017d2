"""What the secretariat taught the bot: the ``learned`` and ``learned_questions`` tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.kb.learned import ENTRY, Lesson
from bot.kb.model import Text
from bot.storage import Database, db_time, to_db_time, utcnow
from bot.storage.questions import ANSWERED, OPEN

GONE = "gone"  # the question was erased (the member used /forget)
TAUGHT = "taught"  # the question was taught already (by another admin, or a second press)


@dataclass(frozen=True)
class Taught:
    """What :meth:`LearnedRepository.teach` did: the new lesson, or why there is none."""

    lesson: Lesson | None
    refused: str | None = None  # GONE or TAUGHT


def _text(row: Any, field: str) -> Text | None:
    vi, en = row[f"{field}_vi"], row[f"{field}_en"]
    return Text(vi, en) if vi is not None and en is not None else None


def _lesson(row: Any) -> Lesson:
    return Lesson(
        id=row["id"],
        kind=row["kind"],
        phrasing=row["phrasing"],
        language=row["language"],
        target_id=row["target_id"],
        taught_by=row["taught_by"],
        taught_at=db_time(row["taught_at"]),
        title=_text(row, "title"),
        answer=_text(row, "answer"),
        source=_text(row, "source"),
    )


class LearnedRepository:
    """Lessons, kept without the identity of the member whose question they came from."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def teach(
        self,
        question_id: int,
        *,
        kind: str,
        phrasing: str,
        language: str,
        target_id: str,
        taught_by: int,
        title: Text | None = None,
        answer: Text | None = None,
        source: Text | None = None,
        taught_at: datetime | None = None,
    ) -> Taught:
        """Record a lesson taught from a member's question, once per question, and mark the
        question answered; refused if the question is erased or already taught."""
        if kind == ENTRY and None in (title, answer, source):
            raise ValueError("a new entry needs a title, an answer and a source")
        moment = to_db_time(taught_at or utcnow())
        texts = [value for text in (title, answer, source)
                 for value in ((text.vi, text.en) if text else (None, None))]
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT id FROM questions WHERE id = ?", (question_id,))
            if await cursor.fetchone() is None:
                return Taught(None, GONE)
            cursor = await conn.execute(
                "SELECT 1 FROM learned_questions WHERE question_id = ?", (question_id,)
            )
            if await cursor.fetchone() is not None:
                return Taught(None, TAUGHT)
            cursor = await conn.execute(
                """
                INSERT INTO learned (kind, phrasing, language, target_id, title_vi, title_en,
                                     answer_vi, answer_en, source_vi, source_en, taught_by,
                                     taught_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (kind, phrasing, language, target_id, *texts, taught_by, moment),
            )
            lesson_id = cursor.lastrowid
            await conn.execute(
                "INSERT INTO learned_questions (question_id, lesson_id) VALUES (?, ?)",
                (question_id, lesson_id),
            )
            await conn.execute(
                "UPDATE questions SET status = ?, answered_by = ?, answered_at = ? "
                "WHERE id = ? AND status = ?",
                (ANSWERED, taught_by, moment, question_id, OPEN),
            )
            cursor = await conn.execute("SELECT * FROM learned WHERE id = ?", (lesson_id,))
            row = await cursor.fetchone()
        return Taught(_lesson(row))

    async def lessons(self) -> list[Lesson]:
        """Every lesson, oldest first."""
        rows = await self.db.fetchall("SELECT * FROM learned ORDER BY id")
        return [_lesson(row) for row in rows]

    async def get(self, lesson_id: int) -> Lesson | None:
        """One lesson, or None (never taught, or undone)."""
        row = await self.db.fetchone("SELECT * FROM learned WHERE id = ?", (lesson_id,))
        return _lesson(row) if row else None

    async def of_question(self, question_id: int) -> Lesson | None:
        """The lesson taught from a question, or None."""
        row = await self.db.fetchone(
            "SELECT l.* FROM learned l JOIN learned_questions q ON q.lesson_id = l.id "
            "WHERE q.question_id = ?",
            (question_id,),
        )
        return _lesson(row) if row else None

    async def undo(self, lesson_id: int) -> Lesson | None:
        """Forget a lesson; the lesson it was, or None if it was already undone."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT * FROM learned WHERE id = ?", (lesson_id,))
            row = await cursor.fetchone()
            if row is None:
                return None
            await conn.execute("DELETE FROM learned WHERE id = ?", (lesson_id,))
        return _lesson(row)
