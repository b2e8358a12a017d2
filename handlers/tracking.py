"""Records the people who use the bot (first and last seen, name, language).

Only someone who talks to the bot in a private chat, asks to join the members' group or is
an admin is recorded. Members of a group the bot is in and inline-query users are not: their
data would be kept with no purpose. Someone already recorded is kept up to date anywhere.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot.tg.app import AnyApplication
from handlers.kit import common
from handlers.kit.common import Context


def _uses_the_bot(update: Update, context: Context) -> bool:
    """Whether this update makes its user someone the bot needs to remember."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    return update.chat_join_request is not None or common.is_admin(update, context)


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
        create=_uses_the_bot(update, context),
    )


def register(application: AnyApplication) -> None:
    """Run before every other handler (group -1) without stopping them."""
    application.add_handler(TypeHandler(Update, track_user), group=-1)
