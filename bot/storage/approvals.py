"""Announcements waiting for a second admin's approval (announcements.require_second_admin)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.storage import Database, db_time, to_db_time


class ApprovalStatus(StrEnum):
    """A second admin's approval of an announcement."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


PENDING, APPROVED, REJECTED = (
    ApprovalStatus.PENDING,
    ApprovalStatus.APPROVED,
    ApprovalStatus.REJECTED,
)


@dataclass(frozen=True)
class Approval:
    id: int
    token: str
    draft: dict[str, Any]
    requested_by: int
    requested_at: datetime
    status: str
    decided_by: int | None


def _approval(row: Any) -> Approval:
    return Approval(
        id=row["id"],
        token=row["token"],
        draft=json.loads(row["draft"]),
        requested_by=row["requested_by"],
        requested_at=db_time(row["requested_at"]),
        status=row["status"],
        decided_by=row["decided_by"],
    )


class ApprovalRepository:
    """Drafts waiting for a second admin, decided once (an atomic conditional update)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def request(
        self, token: str, draft: dict[str, Any], requested_by: int, now: datetime
    ) -> tuple[Approval, bool]:
        """Record a draft once per token; return it and whether it is new."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO announcement_approvals (token, draft, requested_by, requested_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (token) DO NOTHING",
                (token, json.dumps(draft, ensure_ascii=False), requested_by, to_db_time(now)),
            )
            created = cursor.rowcount == 1
            cursor = await conn.execute(
                "SELECT * FROM announcement_approvals WHERE token = ?", (token,)
            )
            row = await cursor.fetchone()
        return _approval(row), created

    async def get(self, approval_id: int) -> Approval | None:
        """One approval request, or None."""
        row = await self.db.fetchone(
            "SELECT * FROM announcement_approvals WHERE id = ?", (approval_id,)
        )
        return _approval(row) if row else None

    async def decide(
        self, approval_id: int, admin_id: int, approve: bool, now: datetime
    ) -> Approval | None:
        """Approve or reject a pending draft, never by the admin who wrote it; None when it
        was decided already (or the admin is its author)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"""
                UPDATE announcement_approvals SET status = ?, decided_by = ?, decided_at = ?
                WHERE id = ? AND status = '{ApprovalStatus.PENDING}' AND requested_by != ?
                RETURNING *
                """,
                (APPROVED if approve else REJECTED, admin_id, to_db_time(now), approval_id,
                 admin_id),
            )
            row = await cursor.fetchone()
        return _approval(row) if row else None
