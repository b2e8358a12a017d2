"""Users who have talked to the bot, and their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage import Database, db_time, one, to_db_time, utcnow


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    last_name: str
    username: str
    language_code: str
    language: str | None
    first_seen: datetime
    last_seen: datetime
    subscribed: bool
    reachable: bool

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


def _user(row: aiosqlite.Row) -> User:
    return User(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        language_code=row["language_code"],
        language=row["language"],
        first_seen=db_time(row["first_seen"]),
        last_seen=db_time(row["last_seen"]),
        subscribed=bool(row["subscribed"]),
        reachable=bool(row["reachable"]),
    )


class UserRepository:
    """Reads and writes the ``users`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def seen(
        self,
        user_id: int,
        *,
        first_name: str = "",
        last_name: str = "",
        username: str = "",
        language_code: str = "",
        create: bool = True,
        at: datetime | None = None,
    ) -> None:
        """Record that a user talked to the bot ``at`` (default now), creating them on first
        contact unless ``create`` is false: then only someone already known is updated."""
        now = to_db_time(at or utcnow())
        if not create:
            await self.db.execute(
                """
                UPDATE users SET first_name = ?, last_name = ?, username = ?,
                    language_code = ?, last_seen = ?
                WHERE id = ?
                """,
                (first_name, last_name or "", username or "", language_code or "", now, user_id),
            )
            return
        await self.db.execute(
            """
            INSERT INTO users (id, first_name, last_name, username, language_code,
                               first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                first_name = excluded.first_name,
                last_name = excluded.last_name,
                username = excluded.username,
                language_code = excluded.language_code,
                last_seen = excluded.last_seen
            """,
            (user_id, first_name, last_name or "", username or "", language_code or "", now, now),
        )

    async def get(self, user_id: int) -> User | None:
        """One user, or None if they never talked to the bot."""
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    async def set_language(self, user_id: int, language: str) -> None:
        """Save the language a user chose."""
        await self.db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

    async def language_of(self, user_id: int) -> str | None:
        """The language a user chose, else their Telegram language code, else None."""
        row = await self.db.fetchone(
            "SELECT language, language_code FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        return row["language"] or row["language_code"] or None

    async def set_subscribed(self, user_id: int, subscribed: bool) -> None:
        """Subscribe a user to announcements, or unsubscribe them."""
        await self.db.execute(
            "UPDATE users SET subscribed = ? WHERE id = ?", (int(subscribed), user_id)
        )

    async def set_reachable(self, user_id: int, reachable: bool) -> None:
        """Mark a user unreachable (they blocked the bot) or reachable again."""
        await self.db.execute(
            "UPDATE users SET reachable = ? WHERE id = ?", (int(reachable), user_id)
        )

    async def count(self) -> int:
        """How many users have talked to the bot."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM users")
        row = one(row)
        return int(row[0])

    async def forget(self, user_id: int) -> None:
        """Erase a user's record (their personal data)."""
        await self.db.execute("DELETE FROM users WHERE id = ?", (user_id,))
