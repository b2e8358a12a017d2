"""What every feature's handlers share: the user's language, catalog look-ups, replies."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services import Services, get_services
from bot.texts import Html, formats

Context = ContextTypes.DEFAULT_TYPE
LANG_KEY = "lang"
COMMAND_SPECS_KEY = "command_specs"  # every feature's CommandSpec, for /help


@dataclass(frozen=True)
class CommandSpec:
    """A command shown in Telegram's menu and in /help; its description is ``cmd.<name>``."""

    name: str
    admin: bool = False


def services(context: Context) -> Services:
    """The running bot's services."""
    return get_services(context)


async def language(update: Update | None, context: Context) -> str:
    """The language to talk to this update's user in: chosen, else Telegram's, else default."""
    svc = services(context)
    cached = context.user_data.get(LANG_KEY) if context.user_data is not None else None
    if cached:
        return cached
    user = update.effective_user if update else None
    stored = await svc.users.language_of(user.id) if user else None
    lang = svc.texts.language(stored or (user.language_code if user else None))
    if context.user_data is not None:
        context.user_data[LANG_KEY] = lang
    return lang


def remember_language(context: Context, lang: str) -> None:
    """Update the cached language after the user chose one."""
    if context.user_data is not None:
        context.user_data[LANG_KEY] = lang


def text(context: Context, key: str, lang: str, /, **params: Any) -> Html:
    """A catalog text in ``lang`` with its parameters escaped."""
    return services(context).texts.get(key, lang, **params)


def is_admin(update: Update, context: Context) -> bool:
    """Whether the update's user is one of the configured admins."""
    user = update.effective_user
    return services(context).config.is_admin(user.id if user else None)


async def reply(
    update: Update,
    context: Context,
    key: str,
    /,
    reply_markup: InlineKeyboardMarkup | None = None,
    **params: Any,
) -> Message | None:
    """Send a catalog text to the update's chat in the user's language."""
    chat = update.effective_chat
    if chat is None:
        return None
    lang = await language(update, context)
    return await context.bot.send_message(
        chat.id, text(context, key, lang, **params), reply_markup=reply_markup
    )


async def answer_callback(update: Update) -> None:
    """Answer the pressed button's query so the client stops its spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer()


def admins_only(
    callback: Callable[[Update, Context], Awaitable[None]],
) -> Callable[[Update, Context], Awaitable[None]]:
    """Wrap an admin command: anyone who is not an admin gets a polite refusal instead."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            await reply(update, context, "errors.admins_only")
            return
        await callback(update, context)

    return guarded


def admin_chats_only(
    callback: Callable[[Update, Context], Awaitable[None]],
) -> Callable[[Update, Context], Awaitable[None]]:
    """Wrap a command that shows personal data: it works in private chats and the admin chat.

    Anywhere else (a public or members' group) it stays silent there, and an admin who typed
    it is told privately where it works. Put it above :func:`admins_only`, so that nobody gets
    even a refusal in such a group.
    """

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if chat.type == ChatType.PRIVATE or chat.id == services(context).config.admin_chat_id:
            await callback(update, context)
            return
        user = update.effective_user
        if user is None or not is_admin(update, context):
            return
        message = update.effective_message
        command = (message.text or "").split()[0].lstrip("/").split("@")[0] if message else ""
        lang = await language(update, context)
        try:
            await context.bot.send_message(
                user.id, text(context, "guard.admin_chat_only", lang, command=command)
            )
        except TelegramError:  # the admin never opened a private chat with the bot
            pass

    return guarded


def local_time(context: Context, moment: datetime | None) -> str:
    """Day and time in the association's time zone, e.g. ``05/03/2026 14:30``."""
    if moment is None:
        return ""
    return formats.moment(moment, services(context).config.tz)


def local_date(context: Context, moment: datetime | None) -> str:
    """The day in the association's time zone, e.g. ``05/03/2026``."""
    if moment is None:
        return ""
    return formats.day(moment, services(context).config.tz)
