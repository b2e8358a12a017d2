"""The figures of /stats and ``hoibot stats``, read from the whole database; and the daily
count of questions by outcome (answered, suggested, unknown), which keeps no text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.membership.applications import Kind, MemberStatus
from bot.storage import Database, one, to_db_time
from bot.storage.questions import QuestionStatus

OUTCOMES = ("answered", "suggested", "unknown")


@dataclass(frozen=True)
class BroadcastFigures:
    id: int
    schedule_id: int
    started_at: str
    audience: str
    text: str
    counts: dict[str, int]


class StatsRepository:
    """Counts for the admins; nothing here is per person."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def count_question(self, day: date, outcome: str) -> None:
        """One more question typed on ``day`` (local) with this outcome."""
        await self.db.execute(
            "INSERT INTO question_counts (day, outcome, count) VALUES (?, ?, 1) "
            "ON CONFLICT (day, outcome) DO UPDATE SET count = count + 1",
            (day.isoformat(), outcome),
        )

    async def question_counts(self, since: date) -> dict[str, dict[str, int]]:
        """day (ISO) -> outcome -> count, from ``since`` on."""
        rows = await self.db.fetchall(
            "SELECT day, outcome, count FROM question_counts WHERE day >= ? ORDER BY day",
            (since.isoformat(),),
        )
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(row["day"], {})[row["outcome"]] = int(row["count"])
        return found

    async def sent_to_secretariat(self, since: datetime) -> list[datetime]:
        """When each question sent to the secretariat since ``since`` was asked."""
        rows = await self.db.fetchall(
            "SELECT asked_at FROM questions WHERE asked_at >= ? ORDER BY asked_at",
            (to_db_time(since),),
        )
        return [datetime.fromisoformat(row[0]) for row in rows]

    async def frequent_open_questions(self, limit: int = 5) -> list[tuple[str, int]]:
        """The questions waiting for the secretariat, most often asked first."""
        rows = await self.db.fetchall(
            f"""
            SELECT MIN(text) AS text, COUNT(*) AS n FROM questions
            WHERE status = '{QuestionStatus.OPEN}'
            GROUP BY LOWER(TRIM(text)) ORDER BY n DESC, MIN(asked_at) LIMIT ?
            """,
            (limit,),
        )
        return [(row["text"], int(row["n"])) for row in rows]

    async def applications(self, since: datetime) -> dict[str, tuple[int, int]]:
        """status -> (submitted since ``since``, in total)."""
        rows = await self.db.fetchall(
            "SELECT status, SUM(submitted_at >= ?) AS recent, COUNT(*) AS total "
            "FROM applications GROUP BY status",
            (to_db_time(since),),
        )
        return {row["status"]: (int(row["recent"] or 0), int(row["total"])) for row in rows}

    async def members(self, since: datetime) -> dict[str, int]:
        """Active members by kind, all active, and joined since ``since``."""
        row = await self.db.fetchone(
            f"""
            SELECT COUNT(*) AS active,
                   SUM(kind = '{Kind.INDIVIDUAL}') AS individual,
                   SUM(kind = '{Kind.ORGANISATION}') AS organisation,
                   SUM(joined_at >= ?) AS recent
            FROM members WHERE status = '{MemberStatus.ACTIVE}'
            """,
            (to_db_time(since),),
        )
        row = one(row)
        return {key: int(row[key] or 0) for key in ("active", "individual", "organisation",
                                                    "recent")}

    async def member_joins(self) -> list[datetime]:
        """When each member still active joined, oldest first (members over time)."""
        rows = await self.db.fetchall(
            f"SELECT joined_at FROM members WHERE status = '{MemberStatus.ACTIVE}' "
            "ORDER BY joined_at"
        )
        return [datetime.fromisoformat(row[0]) for row in rows]

    async def subscribers(self) -> tuple[int, int, int]:
        """(people who talked to the bot, subscribers, subscribers still reachable)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), SUM(subscribed = 1), SUM(subscribed = 1 AND reachable = 1) "
            "FROM users"
        )
        row = one(row)
        return int(row[0]), int(row[1] or 0), int(row[2] or 0)

    async def last_broadcasts(self, limit: int = 5) -> list[BroadcastFigures]:
        """The latest broadcasts with their deliveries counted by state, newest first."""
        rows = await self.db.fetchall(
            "SELECT id, schedule_id, started_at, audience, text FROM broadcasts "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        found = []
        for row in rows:
            counts = await self.db.fetchall(
                "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status",
                (row["id"],),
            )
            found.append(BroadcastFigures(
                id=row["id"], schedule_id=row["schedule_id"], started_at=row["started_at"],
                audience=row["audience"], text=row["text"],
                counts={c[0]: int(c[1]) for c in counts},
            ))
        return found
