"""Registrations for meetings: seats, the waiting list and offers of freed seats.

Every change that depends on how many seats are taken runs in one ``BEGIN IMMEDIATE``
transaction, and the seat itself is decided inside the SQL statement, so two people
pressing for the last seat at once cannot both get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.storage import Database, db_time, from_db_time, one, to_db_time


class RegistrationStatus(StrEnum):
    """A registration: a seat, a place on the waiting list, a seat offered, or cancelled."""

    REGISTERED = "registered"
    WAITING = "waiting"
    OFFERED = "offered"
    CANCELLED = "cancelled"


REGISTERED, WAITING = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING
OFFERED, CANCELLED = RegistrationStatus.OFFERED, RegistrationStatus.CANCELLED
ACTIVE = (REGISTERED, WAITING, OFFERED)
# Rows that hold a seat.
SEATED = (REGISTERED, OFFERED)


@dataclass(frozen=True)
class Registration:
    id: int
    meeting_id: str
    user_id: int
    chat_id: int
    language: str
    full_name: str
    organisation: str
    province: str
    member_number: int | None
    answer: str
    status: str
    cancel_reason: str | None
    created_at: datetime
    queued_at: datetime | None
    offer_expires_at: datetime | None
    rating: int | None
    comment: str | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True)
class Registrant:
    """Who registers: what the form collected (or the member record gave)."""

    user_id: int
    chat_id: int
    language: str
    full_name: str
    organisation: str = ""
    province: str = ""
    member_number: int | None = None
    answer: str = ""


@dataclass(frozen=True)
class Counts:
    registered: int = 0
    waiting: int = 0
    offered: int = 0
    cancelled: int = 0

    @property
    def seats_taken(self) -> int:
        return self.registered + self.offered


@dataclass(frozen=True)
class Cancellation:
    """A cancellation and, when it freed a seat, the offer it made to the next in line."""

    registration: Registration | None
    offer: Registration | None = None


@dataclass(frozen=True)
class Expiry:
    """Offers that ran out, and the offers made to the next in line in their place."""

    expired: list[Registration]
    offers: list[Registration]


def _registration(row: Any) -> Registration:
    return Registration(
        id=row["id"],
        meeting_id=row["meeting_id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        language=row["language"],
        full_name=row["full_name"],
        organisation=row["organisation"],
        province=row["province"],
        member_number=row["member_number"],
        answer=row["answer"],
        status=row["status"],
        cancel_reason=row["cancel_reason"],
        created_at=db_time(row["created_at"]),
        queued_at=from_db_time(row["queued_at"]),
        offer_expires_at=from_db_time(row["offer_expires_at"]),
        rating=row["rating"],
        comment=row["comment"],
    )


_SEATS_TAKEN = (
    "(SELECT COUNT(*) FROM registrations WHERE meeting_id = :meeting "
    f"AND status IN ('{REGISTERED}', '{OFFERED}'))"
)
_FIRST_WAITING = (
    f"(SELECT id FROM registrations WHERE meeting_id = :meeting AND status = '{WAITING}' "
    "ORDER BY queued_at, id LIMIT 1)"
)


class RegistrationRepository:
    """Reads and writes registrations; every seat decision is one atomic statement."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, meeting_id: str, user_id: int) -> Registration | None:
        """A person's registration for a meeting (in any state), or None."""
        row = await self.db.fetchone(
            "SELECT * FROM registrations WHERE meeting_id = ? AND user_id = ?",
            (meeting_id, user_id),
        )
        return _registration(row) if row else None

    async def register(
        self, meeting_id: str, person: Registrant, capacity: int | None, now: datetime
    ) -> tuple[Registration, bool]:
        """Register, or put on the waiting list when every seat is taken; return the row and
        whether it is new (False: the person was already registered or waiting)."""
        params = {
            "meeting": meeting_id,
            "user": person.user_id,
            "chat": person.chat_id,
            "language": person.language,
            "name": person.full_name,
            "organisation": person.organisation,
            "province": person.province,
            "number": person.member_number,
            "answer": person.answer,
            "capacity": capacity if capacity is not None else 2**62,
            "now": to_db_time(now),
        }
        # A seat only when one is free and nobody is waiting for it already.
        free = (
            f"{_SEATS_TAKEN} < :capacity AND NOT EXISTS (SELECT 1 FROM registrations "
            f"WHERE meeting_id = :meeting AND status = '{WAITING}')"
        )
        status = f"CASE WHEN {free} THEN '{REGISTERED}' ELSE '{WAITING}' END"
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                INSERT INTO registrations
                    (meeting_id, user_id, chat_id, language, full_name, organisation,
                     province, member_number, answer, status, created_at, updated_at,
                     queued_at)
                VALUES (:meeting, :user, :chat, :language, :name, :organisation, :province,
                        :number, :answer, {status}, :now, :now,
                        CASE WHEN {free} THEN NULL ELSE :now END)
                ON CONFLICT (meeting_id, user_id) DO UPDATE SET
                    chat_id = excluded.chat_id, language = excluded.language,
                    full_name = excluded.full_name, organisation = excluded.organisation,
                    province = excluded.province, member_number = excluded.member_number,
                    answer = excluded.answer, status = excluded.status,
                    cancel_reason = NULL, updated_at = excluded.updated_at,
                    queued_at = excluded.queued_at, offer_expires_at = NULL
                WHERE registrations.status = '{CANCELLED}'
                """,
                params,
            )
            created = cursor.rowcount == 1
            cursor = await conn.execute(
                "SELECT * FROM registrations WHERE meeting_id = ? AND user_id = ?",
                (meeting_id, person.user_id),
            )
            row = await cursor.fetchone()
        return _registration(row), created

    async def cancel(
        self,
        meeting_id: str,
        user_id: int,
        offer_hours: float,
        now: datetime,
        *,
        offer_seat: bool = True,
    ) -> Cancellation:
        """Cancel a person's registration (or place on the waiting list); a freed seat is
        offered to the first on the waiting list, in the same transaction (unless not
        ``offer_seat``: the meeting has begun)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT status FROM registrations WHERE meeting_id = ? AND user_id = ?",
                (meeting_id, user_id),
            )
            before = await cursor.fetchone()
            cursor = await conn.execute(
                f"""
                UPDATE registrations SET status = '{CANCELLED}', cancel_reason = 'cancelled',
                    updated_at = :now, offer_expires_at = NULL
                WHERE meeting_id = :meeting AND user_id = :user
                  AND status IN ('{REGISTERED}', '{WAITING}', '{OFFERED}')
                RETURNING *
                """,
                {"meeting": meeting_id, "user": user_id, "now": to_db_time(now)},
            )
            row = await cursor.fetchone()
            if row is None:
                return Cancellation(None)
            offer = None
            if offer_seat and one(before)["status"] in SEATED:
                offer = await self._offer_next(conn, meeting_id, offer_hours, now)
            return Cancellation(_registration(row), offer)

    async def _offer_next(
        self, conn: Any, meeting_id: str, offer_hours: float, now: datetime
    ) -> Registration | None:
        cursor = await conn.execute(
            f"""
            UPDATE registrations SET status = '{OFFERED}', offer_expires_at = :expires,
                updated_at = :now
            WHERE id = {_FIRST_WAITING}
            RETURNING *
            """,
            {
                "meeting": meeting_id,
                "expires": to_db_time(now + timedelta(hours=offer_hours)),
                "now": to_db_time(now),
            },
        )
        row = await cursor.fetchone()
        return _registration(row) if row else None

    async def fill_free_seats(
        self, meeting_id: str, capacity: int | None, offer_hours: float, now: datetime
    ) -> list[Registration]:
        """Offer every free seat (a larger capacity, a registrant erased by /forget) to the
        next on the waiting list; return the offers made."""
        offers: list[Registration] = []
        async with self.db.transaction() as conn:
            while True:
                cursor = await conn.execute(f"SELECT {_SEATS_TAKEN}", {"meeting": meeting_id})
                taken = one(await cursor.fetchone())[0]
                if capacity is not None and taken >= capacity:
                    break
                offer = await self._offer_next(conn, meeting_id, offer_hours, now)
                if offer is None:
                    break
                offers.append(offer)
        return offers

    async def accept_offer(self, meeting_id: str, user_id: int, now: datetime) -> bool:
        """Take the offered seat; False if there is no offer or it has expired."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE registrations SET status = '{REGISTERED}', offer_expires_at = NULL,
                    queued_at = NULL, updated_at = :now
                WHERE meeting_id = :meeting AND user_id = :user AND status = '{OFFERED}'
                  AND offer_expires_at > :now
                """,
                {"meeting": meeting_id, "user": user_id, "now": to_db_time(now)},
            )
            return cursor.rowcount == 1

    async def expire_offers(self, offer_hours: dict[str, float], now: datetime) -> Expiry:
        """Offers past their time lose the seat; each goes to the next on its waiting list.

        ``offer_hours`` gives each meeting's offer time (meetings not in it keep 24 hours).
        """
        expired: list[Registration] = []
        offers: list[Registration] = []
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE registrations SET status = '{CANCELLED}', cancel_reason = 'offer_expired',
                    updated_at = :now
                WHERE status = '{OFFERED}' AND offer_expires_at <= :now
                RETURNING *
                """,
                {"now": to_db_time(now)},
            )
            expired = [_registration(row) for row in await cursor.fetchall()]
            for registration in sorted(expired, key=lambda r: r.id):
                hours = offer_hours.get(registration.meeting_id, 24.0)
                offer = await self._offer_next(conn, registration.meeting_id, hours, now)
                if offer is not None:
                    offers.append(offer)
        return Expiry(expired, offers)

    async def open_offers(self) -> list[Registration]:
        """Every seat on offer now, soonest expiry first (jobs are planned from these)."""
        rows = await self.db.fetchall(
            f"SELECT * FROM registrations WHERE status = '{OFFERED}' ORDER BY offer_expires_at"
        )
        return [_registration(row) for row in rows]

    async def of_user(self, user_id: int) -> list[Registration]:
        """A person's registrations that still stand (registered, waiting, offered)."""
        rows = await self.db.fetchall(
            "SELECT * FROM registrations WHERE user_id = ? "
            f"AND status IN ('{REGISTERED}', '{WAITING}', '{OFFERED}') ORDER BY created_at",
            (user_id,),
        )
        return [_registration(row) for row in rows]

    async def of_meeting(self, meeting_id: str) -> list[Registration]:
        """A meeting's registrations: seated first, then the waiting list, then cancelled."""
        rows = await self.db.fetchall(
            f"""
            SELECT * FROM registrations WHERE meeting_id = ?
            ORDER BY CASE status WHEN '{REGISTERED}' THEN 0 WHEN '{OFFERED}' THEN 1
                                 WHEN '{WAITING}' THEN 2 ELSE 3 END,
                     queued_at, id
            """,
            (meeting_id,),
        )
        return [_registration(row) for row in rows]

    async def counts(self, meeting_id: str) -> Counts:
        """How many registrations of a meeting are in each state."""
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) FROM registrations WHERE meeting_id = ? GROUP BY status",
            (meeting_id,),
        )
        return Counts(**{row[0]: int(row[1]) for row in rows})

    async def counts_by_meeting(self) -> dict[str, Counts]:
        """Counts for every meeting that has registrations."""
        rows = await self.db.fetchall(
            "SELECT meeting_id, status, COUNT(*) FROM registrations GROUP BY meeting_id, status"
        )
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found.setdefault(row[0], {})[row[1]] = int(row[2])
        return {meeting: Counts(**values) for meeting, values in found.items()}

    async def waiting_position(self, meeting_id: str, user_id: int) -> int | None:
        """1-based place on the waiting list, or None if the person is not waiting."""
        row = await self.db.fetchone(
            f"""
            SELECT COUNT(*) FROM registrations w, registrations me
            WHERE me.meeting_id = :meeting AND me.user_id = :user AND me.status = '{WAITING}'
              AND w.meeting_id = :meeting AND w.status = '{WAITING}'
              AND (w.queued_at < me.queued_at OR (w.queued_at = me.queued_at AND w.id <= me.id))
            """,
            {"meeting": meeting_id, "user": user_id},
        )
        row = one(row)
        return int(row[0]) or None

    async def feedback_due(self, meeting_id: str) -> list[Registration]:
        """Registrants of a meeting not yet asked for feedback."""
        rows = await self.db.fetchall(
            f"SELECT * FROM registrations WHERE meeting_id = ? AND status = '{REGISTERED}' "
            "AND feedback_asked_at IS NULL ORDER BY id",
            (meeting_id,),
        )
        return [_registration(row) for row in rows]

    async def mark_feedback_asked(self, registration_id: int, now: datetime) -> bool:
        """Record that the question went out; False if it had been recorded already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE registrations SET feedback_asked_at = ? "
                "WHERE id = ? AND feedback_asked_at IS NULL",
                (to_db_time(now), registration_id),
            )
            return cursor.rowcount == 1

    async def rate(self, meeting_id: str, user_id: int, rating: int) -> bool:
        """Record a 1-5 rating; False if the person was not a registrant asked for it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE registrations SET rating = ? WHERE meeting_id = ? AND user_id = ? "
                "AND feedback_asked_at IS NOT NULL",
                (rating, meeting_id, user_id),
            )
            return cursor.rowcount == 1

    async def comment(self, meeting_id: str, user_id: int, comment: str) -> None:
        """Record the optional comment that follows a rating."""
        await self.db.execute(
            "UPDATE registrations SET comment = ? WHERE meeting_id = ? AND user_id = ?",
            (comment, meeting_id, user_id),
        )

    async def feedback(self, meeting_id: str) -> tuple[int, float | None, list[str]]:
        """How many rated, the average rating, and the comments."""
        row = await self.db.fetchone(
            "SELECT COUNT(rating), AVG(rating) FROM registrations WHERE meeting_id = ?",
            (meeting_id,),
        )
        comments = await self.db.fetchall(
            "SELECT comment FROM registrations WHERE meeting_id = ? AND comment IS NOT NULL "
            "AND comment != '' ORDER BY id",
            (meeting_id,),
        )
        row = one(row)
        return int(row[0]), (float(row[1]) if row[1] is not None else None), [
            c[0] for c in comments
        ]
