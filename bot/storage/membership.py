"""Applications, members, the membership decision log and join requests (every SQL statement
of the membership feature).

Decisions are atomic: each runs in one ``BEGIN IMMEDIATE`` transaction whose conditional
``UPDATE ... WHERE status = 'pending'`` lets exactly one of two concurrent decisions through.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.membership.applications import JoinRequestStatus, MemberStatus, Status
from bot.storage import Database, to_db_time
from bot.storage import membership_records as records
from bot.storage.membership_records import (
    AlreadyMember,
    AlreadyPending,
    Application,
    Decision,
    JoinRequest,
    LogEntry,
    Member,
    member_name,
)
from bot.storage.outbox import Effect, enqueue
from bot.text import fold

# A member number or a Telegram id as typed in /member: ASCII digits within SQLite's INTEGER.
_ID_OR_NUMBER = re.compile(r"-?[0-9]{1,18}")
_MEMBER_SELECT = """
    SELECT m.number, m.user_id, m.kind, m.full_name, m.status, m.joined_at, m.province,
           m.application_id, m.revoked_at,
           COALESCE(a.organisation, '') AS organisation, COALESCE(a.position, '') AS position,
           COALESCE(a.email, '') AS email, COALESCE(a.phone, '') AS phone,
           COALESCE(a.representative, '') AS representative,
           COALESCE(a.full_name, '') AS applicant_name
    FROM members m LEFT JOIN applications a ON a.id = m.application_id
"""


class MembershipRepository:
    """Reads and writes applications, members, the decision log and join requests."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Applications -----------------------------------------------------------------------

    async def submit(
        self,
        user_id: int,
        chat_id: int,
        data: dict[str, Any],
        language: str,
        now: datetime,
        effects: Callable[[int], Sequence[Effect]] | None = None,
    ) -> Application:
        """Write a confirmed application, log it and close the form, in one transaction;
        ``effects(application id)`` join the outbox in it."""
        async with self.db.transaction() as conn:
            member = await self._fetch_member(
                conn, f"m.user_id = ? AND m.status = '{MemberStatus.ACTIVE}'", user_id
            )
            if member is not None:
                raise AlreadyMember(member)
            try:
                cursor = await conn.execute(
                    """
                    INSERT INTO applications (
                        user_id, chat_id, language, kind, full_name, organisation, position,
                        province, email, phone, representative, consent_at, consent_version,
                        consent_language, submitted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    (
                        user_id,
                        chat_id,
                        language,
                        data["kind"],
                        data["full_name"],
                        data["organisation"],
                        data["position"],
                        data["province"],
                        data["email"],
                        data["phone"],
                        data.get("representative", ""),
                        to_db_time(datetime.fromisoformat(data["consent_at"])),
                        data["consent_version"],
                        data.get("consent_language", language),
                        to_db_time(now),
                    ),
                )
            except sqlite3.IntegrityError:
                pending = await self._fetch_application(
                    conn, f"user_id = ? AND status = '{Status.PENDING}'", user_id
                )
                if pending is None:
                    raise
                raise AlreadyPending(pending) from None
            application_id = cursor.lastrowid
            assert application_id is not None  # an INSERT that succeeded
            await self._log(conn, now, "submitted", application_id=application_id)
            await conn.execute("DELETE FROM forms WHERE user_id = ?", (user_id,))
            if effects is not None:
                await enqueue(conn, now, effects(application_id))
            application = await self._fetch_application(conn, "id = ?", application_id)
        assert application is not None
        return application

    async def get(self, application_id: int) -> Application | None:
        """One application, or None (never existed or erased)."""
        return await self._fetch_application(self.db.conn, "id = ?", application_id)

    async def pending_of(self, user_id: int) -> Application | None:
        """The person's application waiting for review, if any."""
        return await self._fetch_application(
            self.db.conn, f"user_id = ? AND status = '{Status.PENDING}'", user_id
        )

    async def applications_of(self, user_id: int) -> list[Application]:
        """Everything a person applied for, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM applications WHERE user_id = ? ORDER BY id DESC", (user_id,)
        )
        return [records.application(row) for row in rows]

    async def pending(self) -> list[Application]:
        """Applications waiting for review, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT * FROM applications WHERE status = '{Status.PENDING}' ORDER BY id"
        )
        return [records.application(row) for row in rows]

    async def log_of(self, application_id: int) -> list[LogEntry]:
        """The history of one application, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM membership_log WHERE application_id = ? ORDER BY id", (application_id,)
        )
        return [records.log_entry(row) for row in rows]

    async def membership_end(self, application_id: int) -> LogEntry | None:
        """The revocation that ended the membership this application made, if it ended: the
        first one of its member number logged after the application's approval."""
        row = await self.db.fetchone(
            """
            SELECT ended.* FROM membership_log AS approval
            JOIN membership_log AS ended
              ON ended.member_number = approval.member_number AND ended.id > approval.id
             AND ended.action = 'revoked'
            WHERE approval.application_id = ? AND approval.action = 'approved'
            ORDER BY ended.id LIMIT 1
            """,
            (application_id,),
        )
        return None if row is None else records.log_entry(row)

    async def approve(
        self,
        application_id: int,
        admin_id: int,
        admin_name: str,
        now: datetime,
        effects: Sequence[Effect] = (),
    ) -> Decision:
        """Approve a pending application and make the applicant a member, subscribed to
        announcements, atomically; ``effects`` join the outbox in the same transaction."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE applications
                SET status = '{Status.APPROVED}',
                    decided_at = ?, decided_by = ?, decided_by_name = ?
                WHERE id = ? AND status = '{Status.PENDING}'
                """,
                (to_db_time(now), admin_id, admin_name, application_id),
            )
            application = await self._fetch_application(conn, "id = ?", application_id)
            if application is None:
                raise LookupError(f"no application {application_id}")
            if cursor.rowcount != 1:
                return Decision(False, application)
            number = await self._make_member(conn, application, now)
            await conn.execute(
                "UPDATE applications SET member_number = ? WHERE id = ?", (number, application.id)
            )
            await self._log(
                conn,
                now,
                "approved",
                application_id=application.id,
                member_number=number,
                actor_id=admin_id,
                actor_name=admin_name,
            )
            await conn.execute(
                "UPDATE users SET subscribed = 1 WHERE id = ?", (application.user_id,)
            )
            await enqueue(conn, now, effects)
            application = await self._fetch_application(conn, "id = ?", application_id)
            member = await self._fetch_member(conn, "m.number = ?", number)
        assert application is not None
        return Decision(True, application, member)

    async def reject(
        self,
        application_id: int,
        admin_id: int,
        admin_name: str,
        reason: str,
        now: datetime,
        effects: Sequence[Effect] = (),
    ) -> Decision:
        """Reject a pending application with the admin's reason, atomically."""
        return await self._close(
            application_id,
            Status.REJECTED,
            now,
            actor_id=admin_id,
            actor_name=admin_name,
            reason=reason,
            effects=effects,
        )

    async def withdraw(
        self, application_id: int, user_id: int, now: datetime, effects: Sequence[Effect] = ()
    ) -> Decision:
        """The applicant withdraws their own pending application."""
        application = await self.get(application_id)
        if application is None or application.user_id != user_id:
            raise LookupError(f"no application {application_id} of user {user_id}")
        return await self._close(application_id, Status.WITHDRAWN, now, effects=effects)

    async def _close(
        self,
        application_id: int,
        status: Status,
        now: datetime,
        *,
        actor_id: int | None = None,
        actor_name: str | None = None,
        reason: str | None = None,
        effects: Sequence[Effect] = (),
    ) -> Decision:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE applications
                SET status = ?, decided_at = ?, decided_by = ?, decided_by_name = ?, reason = ?
                WHERE id = ? AND status = '{Status.PENDING}'
                """,
                (str(status), to_db_time(now), actor_id, actor_name, reason, application_id),
            )
            application = await self._fetch_application(conn, "id = ?", application_id)
            if application is None:
                raise LookupError(f"no application {application_id}")
            if cursor.rowcount != 1:
                return Decision(False, application)
            await self._log(
                conn,
                now,
                str(status),
                application_id=application_id,
                actor_id=actor_id,
                actor_name=actor_name,
                reason=reason,
            )
            await enqueue(conn, now, effects)
        return Decision(True, application)

    # Admins' copies of the notification -------------------------------------------------

    async def add_notice(self, application_id: int, chat_id: int, message_id: int) -> None:
        """Remember an admin's copy of an application's notification."""
        await self.db.execute(
            "INSERT OR IGNORE INTO application_notices VALUES (?, ?, ?)",
            (application_id, chat_id, message_id),
        )

    async def notices(self, application_id: int) -> list[tuple[int, int]]:
        """(chat id, message id) of every admin copy of the notification."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM application_notices WHERE application_id = ?",
            (application_id,),
        )
        return [(row["chat_id"], row["message_id"]) for row in rows]

    # Members ----------------------------------------------------------------------------

    async def member(self, number: int) -> Member | None:
        """A member by number."""
        return await self._fetch_member(self.db.conn, "m.number = ?", number)

    async def member_of(self, user_id: int) -> Member | None:
        """A person's member record (active or revoked), if any."""
        return await self._fetch_member(self.db.conn, "m.user_id = ?", user_id)

    async def members(self, *, active_only: bool = False) -> list[Member]:
        """Every member record (with the erased ones, whose name is empty), by number."""
        where = f" WHERE m.status = '{MemberStatus.ACTIVE}'" if active_only else ""
        rows = await self.db.fetchall(f"{_MEMBER_SELECT}{where} ORDER BY m.number")
        return [records.member(row) for row in rows]

    async def search_members(self, query: str, limit: int = 10) -> list[Member]:
        """Members by number, Telegram id, or name (diacritics and case ignored)."""
        query = query.strip().lstrip("#")
        # ASCII digits SQLite can hold ("²" passes isdigit(), 20 digits overflow INTEGER).
        if _ID_OR_NUMBER.fullmatch(query):
            value = int(query)
            rows = await self.db.fetchall(
                f"{_MEMBER_SELECT} WHERE m.number = ? OR m.user_id = ? ORDER BY m.number",
                (value, value),
            )
            return [records.member(row) for row in rows][:limit]
        needle = fold(query)
        if not needle:
            return []
        found = [
            member
            for member in await self.members()
            if member.full_name
            and any(
                needle in fold(text)
                for text in (member.full_name, member.applicant_name, member.representative)
            )
        ]
        return found[:limit]

    async def revoke(
        self,
        number: int,
        admin_id: int,
        admin_name: str,
        now: datetime,
        effects: Sequence[Effect] = (),
    ) -> Member | None:
        """End an active membership; None if there is no active member with that number."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE members SET status = '{MemberStatus.REVOKED}', revoked_at = ?, revoked_by = ?
                WHERE number = ? AND status = '{MemberStatus.ACTIVE}'
                """,
                (to_db_time(now), admin_id, number),
            )
            if cursor.rowcount != 1:
                return None
            await self._log(
                conn,
                now,
                "revoked",
                member_number=number,
                actor_id=admin_id,
                actor_name=admin_name,
            )
            await enqueue(conn, now, effects)
            return await self._fetch_member(conn, "m.number = ?", number)

    async def counts(self) -> dict[str, dict[str, int]]:
        """Active members counted by kind and by province."""
        by_kind = await self.db.fetchall(
            "SELECT kind, COUNT(*) AS n FROM members "
            f"WHERE status = '{MemberStatus.ACTIVE}' GROUP BY kind"
        )
        by_province = await self.db.fetchall(
            f"""
            SELECT province, COUNT(*) AS n FROM members WHERE status = '{MemberStatus.ACTIVE}'
            GROUP BY province ORDER BY n DESC, province
            """
        )
        return {
            "kind": {row["kind"]: row["n"] for row in by_kind},
            "province": {row["province"]: row["n"] for row in by_province},
        }

    # Join requests to the members' group ------------------------------------------------

    async def record_join_request(
        self, chat_id: int, user_id: int, user_chat_id: int | None, now: datetime
    ) -> None:
        """Remember a pending join request (a new request replaces an older one)."""
        await self.db.execute(
            f"""
            INSERT INTO join_requests (chat_id, user_id, user_chat_id, requested_at, status)
            VALUES (?, ?, ?, ?, '{JoinRequestStatus.PENDING}')
            ON CONFLICT (chat_id, user_id) DO UPDATE SET
                user_chat_id = excluded.user_chat_id, requested_at = excluded.requested_at,
                status = '{JoinRequestStatus.PENDING}', decided_at = NULL
            """,
            (chat_id, user_id, user_chat_id, to_db_time(now)),
        )

    async def pending_join_requests(self, user_id: int) -> list[JoinRequest]:
        """A person's join requests still waiting."""
        rows = await self.db.fetchall(
            "SELECT * FROM join_requests "
            f"WHERE user_id = ? AND status = '{JoinRequestStatus.PENDING}'",
            (user_id,),
        )
        return [records.join_request(row) for row in rows]

    async def join_requests_of(self, user_id: int) -> list[JoinRequest]:
        """All of a person's join requests."""
        rows = await self.db.fetchall("SELECT * FROM join_requests WHERE user_id = ?", (user_id,))
        return [records.join_request(row) for row in rows]

    async def close_join_request(
        self, chat_id: int, user_id: int, status: str, now: datetime
    ) -> None:
        """Record that a join request was approved, declined, or could not be acted on."""
        await self.db.execute(
            """
            UPDATE join_requests SET status = ?, decided_at = ?
            WHERE chat_id = ? AND user_id = ?
            """,
            (status, to_db_time(now), chat_id, user_id),
        )

    # Data retention ---------------------------------------------------------------------

    async def purge_expired(
        self, now: datetime, *, closed_after_days: int, forms_after_days: int
    ) -> dict[str, int]:
        """Erase personal data no longer needed: closed (rejected, withdrawn) applications,
        abandoned application forms and old closed join requests. The log keeps the bare
        decisions."""
        closed_before = to_db_time(now - timedelta(days=closed_after_days))
        forms_before = to_db_time(now - timedelta(days=forms_after_days))
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT id FROM applications WHERE status IN (?, ?) AND decided_at < ?",
                (Status.REJECTED, Status.WITHDRAWN, closed_before),
            )
            ids = [(row["id"],) for row in rows]
            for sql in (
                "UPDATE membership_log SET reason = NULL WHERE application_id = ?",
                "DELETE FROM application_notices WHERE application_id = ?",
                "DELETE FROM applications WHERE id = ?",
            ):
                await conn.executemany(sql, ids)
            forms = await conn.execute(
                "DELETE FROM forms WHERE form = 'join' AND updated_at < ?", (forms_before,)
            )
            set_aside = await conn.execute(
                "DELETE FROM set_aside_forms WHERE form = 'join' AND set_aside_at < ?",
                (forms_before,),
            )
            requests = await conn.execute(
                "DELETE FROM join_requests "
                f"WHERE status != '{JoinRequestStatus.PENDING}' AND decided_at < ?",
                (forms_before,),
            )
        return {
            "applications": len(ids),
            "forms": forms.rowcount + set_aside.rowcount,
            "join_requests": requests.rowcount,
        }

    # Helpers ----------------------------------------------------------------------------

    async def _make_member(self, conn: Any, application: Application, now: datetime) -> int:
        """The member record of an approved application; its number."""
        name = member_name(application.kind, application.full_name, application.organisation)
        existing = await conn.execute(
            "SELECT number FROM members WHERE user_id = ?", (application.user_id,)
        )
        row = await existing.fetchone()
        if row is not None:
            # A former member applying again gets their old number back.
            number = row["number"]
            await conn.execute(
                f"""
                UPDATE members SET kind = ?, full_name = ?, status = '{MemberStatus.ACTIVE}',
                    joined_at = ?, province = ?, application_id = ?,
                    revoked_at = NULL, revoked_by = NULL
                WHERE number = ?
                """,
                (
                    application.kind,
                    name,
                    to_db_time(now),
                    application.province,
                    application.id,
                    number,
                ),
            )
        else:
            inserted = await conn.execute(
                f"""
                INSERT INTO members (user_id, kind, full_name, status, joined_at, province,
                                     application_id)
                VALUES (?, ?, ?, '{MemberStatus.ACTIVE}', ?, ?, ?)
                """,
                (
                    application.user_id,
                    application.kind,
                    name,
                    to_db_time(now),
                    application.province,
                    application.id,
                ),
            )
            number = inserted.lastrowid
        assert number is not None  # an INSERT that succeeded
        return int(number)

    async def _fetch_application(self, conn: Any, where: str, *params: Any) -> Application | None:
        async with conn.execute(f"SELECT * FROM applications WHERE {where}", params) as cursor:
            row = await cursor.fetchone()
        return records.application(row) if row else None

    async def _fetch_member(self, conn: Any, where: str, *params: Any) -> Member | None:
        async with conn.execute(f"{_MEMBER_SELECT} WHERE {where}", params) as cursor:
            row = await cursor.fetchone()
        return records.member(row) if row else None

    async def _log(
        self,
        conn: Any,
        now: datetime,
        action: str,
        *,
        application_id: int | None = None,
        member_number: int | None = None,
        actor_id: int | None = None,
        actor_name: str | None = None,
        reason: str | None = None,
    ) -> None:
        await conn.execute(
            """
            INSERT INTO membership_log (at, action, application_id, member_number, actor_id,
                                        actor_name, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            (to_db_time(now), action, application_id, member_number, actor_id, actor_name, reason),
        )
