"""Scheduled announcements, their runs (broadcasts) and one delivery row per recipient."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.storage import Database, db_time, one, to_db_time
from bot.storage.announcement_records import (
    Broadcast,
    Delivery,
    DeliveryUpdate,
    MissedRuns,
    Schedule,
    entities_json,
)
from bot.storage.announcement_records import broadcast as broadcast_row
from bot.storage.announcement_records import schedule as schedule_row
from bot.storage.audiences import recipients_query

__all__ = [
    "AnnouncementRepository",
    "Broadcast",
    "Delivery",
    "DeliveryUpdate",
    "MissedRuns",
    "Schedule",
]

# Audiences chosen in SQL from the users table; the others name their chat explicitly.
SUBSCRIBERS = "subscribers"
MEMBERS = "members"
# Sent again, on an admin's request, to the recipients whose outcome was unknown in the
# broadcast named by the schedule's key ``resend:<broadcast id>``.
RESEND = "resend"



class DeliveryStatus(StrEnum):
    """A delivery row's state. 'sending' is committed before the request, so after a crash
    it marks the sends whose outcome nobody knows."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"  # an admin stopped the broadcast before this row was sent


class BroadcastStatus(StrEnum):
    """A broadcast's state: its deliveries being sent, or all of them settled."""

    SENDING = "sending"
    DONE = "done"


class ScheduleStatus(StrEnum):
    """A schedule's state: running, run its last time, stopped by an admin, or dropped
    from the knowledge base."""

    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"
    RETIRED = "retired"


PENDING, SENDING, SENT = DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT
FAILED, UNREACHABLE = DeliveryStatus.FAILED, DeliveryStatus.UNREACHABLE
UNKNOWN, CANCELLED = DeliveryStatus.UNKNOWN, DeliveryStatus.CANCELLED

# Knowledge-base schedules carry these key prefixes; admins' schedules start with 'admin:'.
KNOWLEDGE_PREFIXES = ("kb:", "meeting:")


class AnnouncementRepository:
    """Reads and writes schedules, broadcasts, deliveries and missed runs."""

    def __init__(self, db: Database, default_language: str = "vi") -> None:
        self.db = db
        # Who reads which language when they never chose one (the "lang:" audiences).
        self.default_language = default_language

    # Schedules

    async def add_schedule(
        self,
        *,
        key: str,
        text: str,
        entities: Sequence[dict[str, Any]],
        audience: str,
        rule: str,
        created_by: int | None,
        now: datetime,
        anchor: datetime,
    ) -> tuple[Schedule, bool]:
        """Create a schedule unless one with ``key`` exists; return it and whether it is new."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO announcement_schedules
                    (key, text, entities, audience, rule, created_by, created_at, anchor_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO NOTHING
                """,
                (
                    key,
                    text,
                    entities_json(entities),
                    audience,
                    rule,
                    created_by,
                    to_db_time(now),
                    to_db_time(anchor),
                ),
            )
            created = cursor.rowcount == 1
            cursor = await conn.execute(
                "SELECT * FROM announcement_schedules WHERE key = ?", (key,)
            )
            row = await cursor.fetchone()
        return schedule_row(row), created

    async def sync_schedule(
        self,
        *,
        key: str,
        text: str,
        entities: Sequence[dict[str, Any]],
        audience: str,
        rule: str,
        now: datetime,
    ) -> Schedule:
        """Create or update a knowledge-base schedule, keyed by its stable id.

        A changed rule (or a definition that comes back after removal) starts counting from
        ``now``, so an edit never turns into a burst of "missed" runs from the past. An admin's
        cancellation stands until the rule itself changes.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                INSERT INTO announcement_schedules
                    (key, text, entities, audience, rule, created_by, created_at, anchor_at)
                VALUES (:key, :text, :entities, :audience, :rule, NULL, :now, :now)
                ON CONFLICT (key) DO UPDATE SET
                    text = excluded.text,
                    entities = excluded.entities,
                    audience = excluded.audience,
                    anchor_at = CASE
                        WHEN rule != excluded.rule OR status = '{ScheduleStatus.RETIRED}'
                        THEN excluded.anchor_at
                        ELSE anchor_at END,
                    status = CASE
                        WHEN rule != excluded.rule OR status = '{ScheduleStatus.RETIRED}'
                        THEN '{ScheduleStatus.ACTIVE}'
                        ELSE status END,
                    rule = excluded.rule
                RETURNING *
                """,
                {
                    "key": key,
                    "text": text,
                    "entities": entities_json(entities),
                    "audience": audience,
                    "rule": rule,
                    "now": to_db_time(now),
                },
            )
            row = await cursor.fetchone()
        return schedule_row(row)

    async def retire_knowledge_schedules(self, keep: Iterable[str]) -> list[int]:
        """Retire the active knowledge-base schedules whose key is not in ``keep``."""
        keep_keys = set(keep)
        rows = await self.db.fetchall(
            f"SELECT id, key FROM announcement_schedules WHERE status = '{ScheduleStatus.ACTIVE}'"
        )
        gone = [
            row["id"]
            for row in rows
            if row["key"].startswith(KNOWLEDGE_PREFIXES) and row["key"] not in keep_keys
        ]
        if gone:
            async with self.db.transaction() as conn:
                await conn.executemany(
                    f"UPDATE announcement_schedules SET status = '{ScheduleStatus.RETIRED}' "
                    "WHERE id = ?",
                    [(schedule_id,) for schedule_id in gone],
                )
        return gone

    async def get_schedule(self, schedule_id: int) -> Schedule | None:
        """One schedule, or None."""
        row = await self.db.fetchone(
            "SELECT * FROM announcement_schedules WHERE id = ?", (schedule_id,)
        )
        return schedule_row(row) if row else None

    async def schedule_by_key(self, key: str) -> Schedule | None:
        """The schedule with this stable key, or None."""
        row = await self.db.fetchone("SELECT * FROM announcement_schedules WHERE key = ?", (key,))
        return schedule_row(row) if row else None

    async def complete_schedule(self, schedule_id: int) -> None:
        """An active schedule has no run left."""
        await self.db.execute(
            f"UPDATE announcement_schedules SET status = '{ScheduleStatus.DONE}' "
            f"WHERE id = ? AND status = '{ScheduleStatus.ACTIVE}'",
            (schedule_id,),
        )

    async def active_schedules(self) -> list[Schedule]:
        """Every schedule that may still run, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT * FROM announcement_schedules WHERE status = '{ScheduleStatus.ACTIVE}' "
            "ORDER BY id"
        )
        return [schedule_row(row) for row in rows]

    async def cancel_schedule(self, schedule_id: int) -> bool:
        """Cancel an active schedule; False if it was not active any more."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE announcement_schedules SET status = '{ScheduleStatus.CANCELLED}' "
                f"WHERE id = ? AND status = '{ScheduleStatus.ACTIVE}'",
                (schedule_id,),
            )
            return cursor.rowcount == 1

    async def record_missed(
        self,
        schedule_id: int,
        *,
        count: int,
        first: datetime,
        last: datetime,
        anchor: datetime,
        done: bool,
        now: datetime,
    ) -> None:
        """Record missed runs (to be reported) and move the schedule past them, atomically."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO missed_runs (schedule_id, count, first_planned, last_planned, "
                "recorded_at) VALUES (?, ?, ?, ?, ?)",
                (schedule_id, count, to_db_time(first), to_db_time(last), to_db_time(now)),
            )
            await self._advance(conn, schedule_id, anchor, done)

    async def _advance(self, conn: Any, schedule_id: int, anchor: datetime, done: bool) -> None:
        await conn.execute(
            "UPDATE announcement_schedules SET anchor_at = MAX(anchor_at, ?), "
            f"status = CASE WHEN ? AND status = '{ScheduleStatus.ACTIVE}' "
            f"THEN '{ScheduleStatus.DONE}' ELSE status END "
            "WHERE id = ?",
            (to_db_time(anchor), int(done), schedule_id),
        )

    async def unreported_missed(self) -> list[MissedRuns]:
        """Missed runs the admins have not been told about yet."""
        rows = await self.db.fetchall(
            "SELECT * FROM missed_runs WHERE reported_at IS NULL ORDER BY id"
        )
        return [
            MissedRuns(
                id=row["id"],
                schedule_id=row["schedule_id"],
                count=row["count"],
                first_planned=db_time(row["first_planned"]),
                last_planned=db_time(row["last_planned"]),
            )
            for row in rows
        ]

    async def mark_missed_reported(self, missed_id: int, now: datetime) -> None:
        """The admins were told about these missed runs."""
        await self.db.execute(
            "UPDATE missed_runs SET reported_at = ? WHERE id = ?", (to_db_time(now), missed_id)
        )

    # Broadcasts

    async def start_run(
        self,
        schedule_id: int,
        planned_at: datetime,
        *,
        chat_ids: Sequence[int] | None,
        requested_by: int | None,
        done: bool,
        now: datetime,
    ) -> Broadcast | None:
        """Record one run of a schedule with a delivery row per recipient, before any send.

        Recipients are the schedule's audience (subscribers, members) chosen in SQL, or
        ``chat_ids`` when given. Returns None if this run was already recorded or the
        schedule is no longer active: the unique (schedule, planned time) is what makes a
        run impossible to deliver twice.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT * FROM announcement_schedules "
                f"WHERE id = ? AND status = '{ScheduleStatus.ACTIVE}'",
                (schedule_id,),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            cursor = await conn.execute(
                """
                INSERT INTO broadcasts (schedule_id, planned_at, text, entities, audience,
                                        requested_by, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (schedule_id, planned_at) DO NOTHING
                RETURNING *
                """,
                (
                    schedule_id,
                    to_db_time(planned_at),
                    row["text"],
                    row["entities"],
                    row["audience"],
                    requested_by,
                    to_db_time(now),
                ),
            )
            inserted = await cursor.fetchone()
            if inserted is None:
                return None
            broadcast = broadcast_row(inserted)
            await self._add_deliveries(conn, broadcast, chat_ids)
            await self._advance(conn, schedule_id, planned_at, done)
        return broadcast

    async def _add_deliveries(
        self, conn: Any, broadcast: Broadcast, chat_ids: Sequence[int] | None
    ) -> None:
        """One pending delivery row per recipient: ``chat_ids``, else the audience's users."""
        if chat_ids is not None:
            await conn.executemany(
                "INSERT OR IGNORE INTO deliveries (broadcast_id, chat_id, user_id) "
                "VALUES (?, ?, ?)",
                [
                    (broadcast.id, chat_id, chat_id if chat_id > 0 else None)
                    for chat_id in chat_ids
                ],
            )
        else:
            sql, params = recipients_query(broadcast.audience, self.default_language)
            await conn.execute(
                "INSERT OR IGNORE INTO deliveries (broadcast_id, chat_id, user_id) "
                f"SELECT ?, id, id FROM ({sql})",
                (broadcast.id, *params),
            )

    async def count_recipients(self, audience: str) -> int:
        """How many users an audience chosen from the users table has now."""
        sql, params = recipients_query(audience, self.default_language)
        row = await self.db.fetchone(f"SELECT COUNT(DISTINCT id) FROM ({sql})", params)
        row = one(row)
        return int(row[0])

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        """One broadcast, or None."""
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return broadcast_row(row) if row else None

    async def unfinished_broadcasts(self) -> list[Broadcast]:
        """Broadcasts still being sent (to resume at start)."""
        rows = await self.db.fetchall(
            f"SELECT * FROM broadcasts WHERE status = '{BroadcastStatus.SENDING}' ORDER BY id"
        )
        return [broadcast_row(row) for row in rows]

    async def unreported_broadcasts(self) -> list[Broadcast]:
        """Finished broadcasts whose report has not been sent."""
        rows = await self.db.fetchall(
            f"SELECT * FROM broadcasts WHERE status = '{BroadcastStatus.DONE}' "
            "AND reported_at IS NULL ORDER BY id"
        )
        return [broadcast_row(row) for row in rows]

    async def finish_broadcast(self, broadcast_id: int, now: datetime) -> None:
        """Every delivery row of the broadcast has a final state."""
        await self.db.execute(
            f"UPDATE broadcasts SET status = '{BroadcastStatus.DONE}', finished_at = ? "
            f"WHERE id = ? AND status = '{BroadcastStatus.SENDING}'",
            (to_db_time(now), broadcast_id),
        )

    async def mark_reported(self, broadcast_id: int, now: datetime) -> None:
        """The requester got the broadcast's report."""
        await self.db.execute(
            "UPDATE broadcasts SET reported_at = ? WHERE id = ?", (to_db_time(now), broadcast_id)
        )

    # Deliveries

    async def interrupted_to_unknown(self) -> int:
        """At start: rows left 'sending' by a crash become 'unknown' (never re-sent blindly)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE deliveries SET status = '{DeliveryStatus.UNKNOWN}', "
                f"error = 'interrupted while sending' WHERE status = '{DeliveryStatus.SENDING}'"
            )
            return cursor.rowcount

    async def pending_deliveries(
        self, broadcast_id: int, *, after_chat_id: int | None, limit: int
    ) -> list[Delivery]:
        """The next pending rows of a broadcast, by chat id."""
        rows = await self.db.fetchall(
            "SELECT chat_id, status, part, attempts FROM deliveries "
            f"WHERE broadcast_id = ? AND status = '{DeliveryStatus.PENDING}' AND chat_id > ? "
            "ORDER BY chat_id LIMIT ?",
            (broadcast_id, after_chat_id if after_chat_id is not None else -(2**63), limit),
        )
        return [Delivery(row[0], row[1], row[2], row[3]) for row in rows]

    async def journal(
        self,
        broadcast_id: int,
        *,
        claims: Sequence[int],
        updates: Sequence[DeliveryUpdate],
        now: datetime,
    ) -> set[int]:
        """Write a batch of claims ('sending') and outcomes in one transaction; return the
        chats actually claimed (a row erased meanwhile by /forget cannot be).

        Outcomes of 'unreachable' also mark the user unreachable, in the same transaction.
        """
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            if updates:
                await conn.executemany(
                    "UPDATE deliveries SET status = ?, part = ?, attempts = ?, error = ?, "
                    "updated_at = ? WHERE broadcast_id = ? AND chat_id = ?",
                    [
                        (u.status, u.part, u.attempts, u.error, stamp, broadcast_id, u.chat_id)
                        for u in updates
                    ],
                )
                blocked = [(u.chat_id,) for u in updates if u.status == UNREACHABLE]
                if blocked:
                    await conn.executemany(
                        "UPDATE users SET reachable = 0 WHERE id = ?", blocked
                    )
            if not claims:
                return set()
            cursor = await conn.executemany(
                f"UPDATE deliveries SET status = '{DeliveryStatus.SENDING}', updated_at = ? "
                f"WHERE broadcast_id = ? AND chat_id = ? AND status = '{DeliveryStatus.PENDING}'",
                [(stamp, broadcast_id, chat_id) for chat_id in claims],
            )
            if cursor.rowcount == len(claims):
                return set(claims)
            marks = ",".join("?" * len(claims))
            cursor = await conn.execute(
                "SELECT chat_id FROM deliveries "
                f"WHERE broadcast_id = ? AND status = '{DeliveryStatus.SENDING}' "
                f"AND chat_id IN ({marks})",
                (broadcast_id, *claims),
            )
            return {row[0] for row in await cursor.fetchall()}

    async def cancel_pending(self, broadcast_id: int, now: datetime) -> int:
        """An admin stops a broadcast: every row not yet claimed for sending is cancelled
        (sends in flight finish and are recorded as usual)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE deliveries SET status = '{DeliveryStatus.CANCELLED}', updated_at = ? "
                f"WHERE broadcast_id = ? AND status = '{DeliveryStatus.PENDING}'",
                (to_db_time(now), broadcast_id),
            )
            return max(cursor.rowcount, 0)

    async def recipients_in(
        self, broadcast_id: int, status: str
    ) -> list[tuple[int, int | None, str]]:
        """(chat id, user id, name) of the recipients whose delivery is in ``status``."""
        rows = await self.db.fetchall(
            "SELECT d.chat_id, d.user_id, "
            "TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')) AS name "
            "FROM deliveries d LEFT JOIN users u ON u.id = d.user_id "
            "WHERE d.broadcast_id = ? AND d.status = ? ORDER BY d.chat_id",
            (broadcast_id, status),
        )
        return [(row[0], row[1], row[2] or "") for row in rows]

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        """How many delivery rows of a broadcast are in each state."""
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        return {row[0]: int(row[1]) for row in rows}

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every delivery row of a broadcast (what the stories check a broadcast did)."""
        rows = await self.db.fetchall(
            "SELECT chat_id, status, part, attempts FROM deliveries WHERE broadcast_id = ? "
            "ORDER BY chat_id",
            (broadcast_id,),
        )
        return [Delivery(row[0], row[1], row[2], row[3]) for row in rows]
