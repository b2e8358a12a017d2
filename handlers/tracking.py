"""Records everyone who talks to the bot (first and last seen, name, language)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from handlers import common
from handlers.common import Context


async def track_user(update: Update, context: Context) -> None:
    """Upsert the update's user before any feature handles it."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await common.services(context).users.seen(
        user.id,
        first_name=user.first_name,
        last_name=user.last_name or "",
        username=user.username or "",
        language_code=user.language_code or "",
    )


def register(application: Application) -> None:
    """Run before every other handler (group -1) without stopping them."""
    application.add_handler(TypeHandler(Update, track_user), group=-1)
