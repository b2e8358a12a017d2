"""Read-only questions a health check asks of the database file, on its own connection.

Blocking ``sqlite3`` on purpose: ``hoibot doctor`` must not migrate or write anything, and
the running bot asks the same questions from a worker thread while it keeps writing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.membership.applications import Status
from bot.storage.announcements import DeliveryStatus
from bot.storage.questions import QuestionStatus


@dataclass(frozen=True)
class QueueLengths:
    """Work waiting: announcement deliveries, applications, members' questions."""

    deliveries: int
    applications: int
    questions: int


@dataclass(frozen=True)
class AdminContact:
    """Whether an admin has started the bot, and whether they can still be reached."""

    started: bool
    reachable: bool


def admin_contacts(path: Path, admin_ids: Iterable[int]) -> dict[int, AdminContact]:
    """Each admin id: seen in ``users`` (pressed Start), and not blocked since."""
    ids = list(admin_ids)
    with contextlib.closing(_read_only(path)) as conn:
        rows = dict(
            conn.execute(
                f"SELECT id, reachable FROM users WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        )
    return {i: AdminContact(started=i in rows, reachable=bool(rows.get(i, 0))) for i in ids}


def queue_lengths(path: Path) -> QueueLengths:
    """How much work is waiting, counted on the file."""
    with contextlib.closing(_read_only(path)) as conn:

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return QueueLengths(
            deliveries=count(
                f"SELECT count(*) FROM deliveries WHERE status = '{DeliveryStatus.PENDING}'"
            ),
            applications=count(
                f"SELECT count(*) FROM applications WHERE status = '{Status.PENDING}'"
            ),
            questions=count(
                f"SELECT count(*) FROM questions WHERE status = '{QuestionStatus.OPEN}'"
            ),
        )


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn
