"""How long data is kept about people who are not (or no longer) applicants or members.

Membership data has its own rules (``MembershipRepository.purge_expired``); these are the
other tables: visitors who never applied, questions to the secretariat, delivery records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.membership.applications import JoinRequestStatus
from bot.storage import Database, to_db_time


@dataclass(frozen=True)
class Purged:
    visitors: int
    questions: int
    deliveries: int

    def __bool__(self) -> bool:
        return bool(self.visitors or self.questions or self.deliveries)


# A person silent since ?, who never applied, is no member, is not subscribed, has no open
# (or set-aside) form or pending join request, and no question newer than ? (kept ids are
# excluded).
_SILENT_VISITOR = f"""
    last_seen < ? AND subscribed = 0 AND id NOT IN ({{kept}})
    AND id NOT IN (SELECT user_id FROM applications)
    AND id NOT IN (SELECT user_id FROM members WHERE user_id IS NOT NULL)
    AND id NOT IN (SELECT user_id FROM forms)
    AND id NOT IN (SELECT user_id FROM set_aside_forms)
    AND id NOT IN (SELECT user_id FROM join_requests WHERE status = '{JoinRequestStatus.PENDING}')
    AND id NOT IN (SELECT user_id FROM questions WHERE asked_at >= ?)
"""


def _kept(keep: tuple[int, ...]) -> str:
    return ",".join(str(int(user_id)) for user_id in keep) or "NULL"


class RetentionRepository:
    """Erases rows past their retention period, in one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def expiring(
        self, now: datetime, *, visitor_days: int, question_days: int, keep: tuple[int, ...] = ()
    ) -> tuple[list[int], list[tuple[int, int]]]:
        """What :meth:`purge` is about to erase that the bot has shown in chats: the silent
        visitors' ids, and the (chat, message) of the admin-side notices of old questions."""
        visitors_before = to_db_time(now - timedelta(days=visitor_days))
        questions_before = to_db_time(now - timedelta(days=question_days))
        visitors = await self.db.fetchall(
            f"SELECT id FROM users WHERE {_SILENT_VISITOR.format(kept=_kept(keep))}",
            (visitors_before, questions_before),
        )
        notices = await self.db.fetchall(
            "SELECT n.chat_id, n.message_id FROM question_notices n "
            "JOIN questions q ON q.id = n.question_id WHERE q.asked_at < ?",
            (questions_before,),
        )
        return [row[0] for row in visitors], [(row[0], row[1]) for row in notices]

    async def purge(
        self,
        now: datetime,
        *,
        visitor_days: int,
        question_days: int,
        delivery_days: int,
        keep: tuple[int, ...] = (),
    ) -> Purged:
        """Erase visitors silent for ``visitor_days`` who never applied, are no member, are
        not subscribed and have no open form; questions asked more than ``question_days``
        ago (with their replies); deliveries of broadcasts finished ``delivery_days`` ago.
        ``keep``: user ids never erased this way (the admins)."""
        visitors_before = to_db_time(now - timedelta(days=visitor_days))
        questions_before = to_db_time(now - timedelta(days=question_days))
        deliveries_before = to_db_time(now - timedelta(days=delivery_days))
        kept = _kept(keep)
        async with self.db.transaction() as conn:
            visitors = await conn.execute(
                f"DELETE FROM users WHERE {_SILENT_VISITOR.format(kept=kept)}",
                (visitors_before, questions_before),
            )
            questions = await conn.execute(
                "DELETE FROM questions WHERE asked_at < ?", (questions_before,)
            )
            deliveries = await conn.execute(
                """
                DELETE FROM deliveries WHERE broadcast_id IN
                    (SELECT id FROM broadcasts WHERE finished_at IS NOT NULL AND finished_at < ?)
                """,
                (deliveries_before,),
            )
        return Purged(
            max(visitors.rowcount, 0), max(questions.rowcount, 0), max(deliveries.rowcount, 0)
        )
