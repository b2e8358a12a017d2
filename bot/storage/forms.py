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
    """Reads and writes the ``forms`` table (at most one open form per user) and the forms
    set aside for another prompt (``set_aside_forms``), to be taken up again."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> FormState | None:
        """The user's open form, or None."""
        return _state(await self.db.fetchone("SELECT * FROM forms WHERE user_id = ?", (user_id,)))

    async def save(self, state: FormState) -> None:
        """Write the form's current step and answers (replacing any other open form)."""
        async with self.db.transaction() as conn:
            await conn.execute(_SAVE, _row(state))

    async def replace(self, state: FormState) -> FormState | None:
        """Open ``state`` as the user's form; the one it replaced, read in the same
        transaction (so two prompts opened at once in two chats each see the other)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT * FROM forms WHERE user_id = ?", (state.user_id,))
            earlier = _state(await cursor.fetchone())
            await conn.execute(_SAVE, _row(state))
        return earlier

    async def clear(self, user_id: int) -> None:
        """Close the user's open form, if any."""
        await self.db.execute("DELETE FROM forms WHERE user_id = ?", (user_id,))

    async def set_aside(self, state: FormState) -> None:
        """Keep a form another prompt took the place of, to take it up again later (replacing
        an earlier set-aside form of the same name)."""
        await self.db.execute(
            """
            INSERT OR REPLACE INTO set_aside_forms (user_id, form, chat_id, step, data,
                                                    set_aside_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            (
                state.user_id,
                state.form,
                state.chat_id,
                state.step,
                json.dumps(state.data, ensure_ascii=False),
                to_db_time(utcnow()),
            ),
        )

    async def set_aside_of(self, user_id: int, form: str) -> FormState | None:
        """The user's set-aside form of this name, if one is kept."""
        return _state(await self.db.fetchone(
            "SELECT * FROM set_aside_forms WHERE user_id = ? AND form = ?", (user_id, form)
        ))

    async def take_set_aside(self, user_id: int, form: str) -> FormState | None:
        """The user's set-aside form of this name, no longer kept apart (to open it again)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT * FROM set_aside_forms WHERE user_id = ? AND form = ?", (user_id, form)
            )
            row = await cursor.fetchone()
            await conn.execute(
                "DELETE FROM set_aside_forms WHERE user_id = ? AND form = ?", (user_id, form)
            )
        return _state(row)


_SAVE = """
    INSERT INTO forms (user_id, chat_id, form, step, data, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (user_id) DO UPDATE SET
        chat_id = excluded.chat_id, form = excluded.form, step = excluded.step,
        data = excluded.data, updated_at = excluded.updated_at
"""


def _row(state: FormState) -> tuple[Any, ...]:
    return (
        state.user_id,
        state.chat_id,
        state.form,
        state.step,
        json.dumps(state.data, ensure_ascii=False),
        to_db_time(utcnow()),
    )


def _state(row: Any) -> FormState | None:
    if row is None:
        return None
    return FormState(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        form=row["form"],
        step=row["step"],
        data=json.loads(row["data"]),
    )
