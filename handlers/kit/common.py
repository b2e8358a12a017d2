"""What every feature's handlers share: the user's language, catalog look-ups, replies."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services import HasBotData, Services, get_services
from bot.texts import Html
from bot.tg.app import AnyApplication

Context = ContextTypes.DEFAULT_TYPE
# What jobs and the outbox's effects have instead of a handler's context; both carry the bot
# and its services.
ContextOrApp = Context | AnyApplication
# A handler's callback, as PTB's handlers take it.
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
log = logging.getLogger(__name__)
LANG_KEY = "lang"
COMMAND_SPECS_KEY = "command_specs"  # every feature's CommandSpec, for /help


@dataclass(frozen=True)
class CommandSpec:
    """A command shown in Telegram's menu and in /help; its description is ``cmd.<name>``."""

    name: str
    admin: bool = False


def services(context: HasBotData) -> Services:
    """The running bot's services."""
    return get_services(context)


async def language(update: Update | None, context: Context) -> str:
    """The language to talk to this update's user in: chosen, else Telegram's, else default."""
    svc = services(context)
    cached: str | None = context.user_data.get(LANG_KEY) if context.user_data is not None else None
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


def text(context: HasBotData, key: str, lang: str, /, **params: Any) -> Html:
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
    callback: Callback,
) -> Callback:
    """Wrap an admin command: anyone who is not an admin gets a polite refusal instead."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            await reply(update, context, "errors.admins_only")
            return
        await callback(update, context)

    return guarded


def admin_chats_only(
    callback: Callback,
) -> Callback:
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


async def remove_buttons(message: object, only: str | None = None) -> None:
    """Take the buttons off a message so it is not pressed twice (with ``only``, just the
    button of that callback data). A message too old to edit keeps them: handlers re-check."""
    if not isinstance(message, Message):
        return
    rows: list[list[InlineKeyboardButton]] = []
    if only is not None:
        if message.reply_markup is None:
            return
        keyboard = message.reply_markup.inline_keyboard
        rows = [kept for row in keyboard if (kept := [b for b in row if b.callback_data != only])]
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except TelegramError:  # not modified, or too old to edit
        log.debug("could not remove the buttons of message %s", message.message_id)


def local_time(context: HasBotData, moment: datetime | None) -> str:
    """Day and time in the association's time zone, e.g. ``05/03/2026 14:30``."""
    if moment is None:
        return ""
    return services(context).clock.moment(moment)


def local_date(context: HasBotData, moment: datetime | None) -> str:
    """The day in the association's time zone, e.g. ``05/03/2026``."""
    if moment is None:
        return ""
    return services(context).clock.day(moment)
