"""Everything stored about one person: exported for /mydata, erased for /forget.

Besides the tables it knows (users, forms, applications, members, join requests), any other
table with a ``user_id`` column, or a foreign key to ``users``, is included, so features
added later (questions, deliveries, ...) are covered without changes here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.membership.applications import MemberStatus
from bot.storage import Database, to_db_time
from bot.storage.outbox import Effect, enqueue

# Tables handled explicitly below; every other table is found through its columns.
_KNOWN = frozenset(
    {
        "users",
        "forms",
        "applications",
        "members",
        "join_requests",
        "membership_log",
        "application_notices",
        "personal_messages",
    }
)


@dataclass(frozen=True)
class Erasure:
    """What /forget erased, and the admins' notification copies to clean up."""

    applications: int
    member_number: int | None
    notices: list[tuple[int, int, int]]  # (application id, chat id, message id)
    other_rows: int


def _row(row: Any) -> dict[str, Any]:
    return {key: row[key] for key in row.keys()}


class PersonalDataRepository:
    """Finds, exports and erases one person's personal data across the whole database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _person_columns(self) -> list[tuple[str, str]]:
        """(table, column) pairs outside the known tables that hold a Telegram user id."""
        tables = await self.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        found = []
        for table in sorted(row["name"] for row in tables):
            if table in _KNOWN:
                continue
            columns = {
                row["name"] for row in await self.db.fetchall(f'PRAGMA table_info("{table}")')
            }
            referencing = {
                row["from"]
                for row in await self.db.fetchall(f'PRAGMA foreign_key_list("{table}")')
                if row["table"] == "users"
            }
            for column in sorted(({"user_id"} & columns) | referencing):
                found.append((table, column))
        return found

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, by table."""
        data: dict[str, list[dict[str, Any]]] = {}
        queries = {
            "users": ("SELECT * FROM users WHERE id = ?", (user_id,)),
            "forms": ("SELECT * FROM forms WHERE user_id = ?", (user_id,)),
            "applications": ("SELECT * FROM applications WHERE user_id = ?", (user_id,)),
            "members": ("SELECT * FROM members WHERE user_id = ?", (user_id,)),
            "join_requests": ("SELECT * FROM join_requests WHERE user_id = ?", (user_id,)),
            "membership_log": (
                """
                SELECT * FROM membership_log WHERE application_id IN
                    (SELECT id FROM applications WHERE user_id = ?)
                OR member_number IN (SELECT number FROM members WHERE user_id = ?)
                ORDER BY id
                """,
                (user_id, user_id),
            ),
        }
        for table, (sql, params) in queries.items():
            data[table] = [_row(row) for row in await self.db.fetchall(sql, params)]
        for table, column in await self._person_columns():
            rows = await self.db.fetchall(
                f'SELECT * FROM "{table}" WHERE "{column}" = ?', (user_id,)
            )
            data.setdefault(table, []).extend(_row(row) for row in rows)
        return data

    async def _erase_applications(
        self, conn: Any, ids: list[int]
    ) -> list[tuple[int, int, int]]:
        """Forget the admins' copies of these applications and the reasons in the log;
        the copies, (application id, chat id, message id), are returned to be blanked."""
        notices: list[tuple[int, int, int]] = []
        for application_id in ids:
            rows = await (
                await conn.execute(
                    "SELECT chat_id, message_id FROM application_notices "
                    "WHERE application_id = ?",
                    (application_id,),
                )
            ).fetchall()
            notices.extend((application_id, row["chat_id"], row["message_id"]) for row in rows)
            await conn.execute(
                "DELETE FROM application_notices WHERE application_id = ?", (application_id,)
            )
            await conn.execute(
                "UPDATE membership_log SET reason = NULL WHERE application_id = ?",
                (application_id,),
            )
        return notices

    async def erase(
        self,
        user_id: int,
        now: datetime,
        effects: Callable[[Erasure], Sequence[Effect]] | None = None,
    ) -> Erasure:
        """Erase the person's personal data in one transaction; ``effects(erasure)`` join the
        outbox in it.

        Kept: the anonymised decision log (no names, no reasons) and the member number
        (marked revoked, with no name), so the association's numbering stays intact.
        """
        others = await self._person_columns()
        moment = to_db_time(now)
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT id FROM applications WHERE user_id = ?", (user_id,)
            )
            ids = [row["id"] for row in rows]
            member = await (
                await conn.execute("SELECT number FROM members WHERE user_id = ?", (user_id,))
            ).fetchone()
            number = member["number"] if member else None
            notices = await self._erase_applications(conn, ids)
            if number is not None:
                await conn.execute(
                    "UPDATE membership_log SET reason = NULL WHERE member_number = ?", (number,)
                )
                await conn.execute(
                    f"""
                    UPDATE members SET user_id = NULL, full_name = '', province = '',
                        application_id = NULL, status = '{MemberStatus.REVOKED}',
                        revoked_at = COALESCE(revoked_at, ?)
                    WHERE number = ?
                    """,
                    (moment, number),
                )
            if ids or number is not None:
                await conn.execute(
                    "INSERT INTO membership_log (at, action, member_number) "
                    "VALUES (?, 'erased', ?)",
                    (moment, number),
                )
            await conn.execute("DELETE FROM applications WHERE user_id = ?", (user_id,))
            await conn.execute("DELETE FROM join_requests WHERE user_id = ?", (user_id,))
            await conn.execute("DELETE FROM forms WHERE user_id = ?", (user_id,))
            # Records of messages about the person (the messages are taken back through the outbox).
            await conn.execute("DELETE FROM personal_messages WHERE subject_id = ?", (user_id,))
            other_rows = 0
            for table, column in others:
                cursor = await conn.execute(
                    f'DELETE FROM "{table}" WHERE "{column}" = ?', (user_id,)
                )
                other_rows += max(cursor.rowcount, 0)
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
            erasure = Erasure(len(ids), number, notices, other_rows)
            if effects is not None:
                await enqueue(conn, now, effects(erasure))
        return erasure
