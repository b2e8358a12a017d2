"""The form (multi-step dialogue) each user is filling in, kept across restarts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.storage import Database, to_db_time, utcnow


@dataclass
class FormState:
    user_id: int
    chat_id: int
    form: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


class FormRepository:
    """Reads and writes the ``forms`` table: at most one open form per user."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> FormState | None:
        """The user's open form, or None."""
        row = await self.db.fetchone("SELECT * FROM forms WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return FormState(
            user_id=row["user_id"],
            chat_id=row["chat_id"],
            form=row["form"],
            step=row["step"],
            data=json.loads(row["data"]),
        )

    async def save(self, state: FormState) -> None:
        """Write the form's current step and answers (replacing any other open form)."""
        await self.db.execute(
            """
            INSERT INTO forms (user_id, chat_id, form, step, data, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                chat_id = excluded.chat_id, form = excluded.form, step = excluded.step,
                data = excluded.data, updated_at = excluded.updated_at
            """,
            (
                state.user_id,
                state.chat_id,
                state.form,
                state.step,
                json.dumps(state.data, ensure_ascii=False),
                to_db_time(utcnow()),
            ),
        )

    async def clear(self, user_id: int) -> None:
        """Close the user's open form, if any."""
        await self.db.execute("DELETE FROM forms WHERE user_id = ?", (user_id,))
