"""The gate every update passes first (group -2, before user tracking and every feature).

- An edited message is no new input: it never runs a command, answers a form or asks a question.
- The bot serves private chats, the admin chat, the members' group and the announcement chat.
  Added to any other chat it says one line and leaves; a message or button from another group
  makes it leave without a word.
- A per-user flood limit (admins exempt, see :mod:`bot.flood`): past a burst the user is told
  once to slow down, then their updates are dropped for a while; both are logged. It counts
  what is addressed to the bot: everything in private, commands, buttons and messages that
  name the bot in groups.

It also says how an update is described in the per-update log line (:mod:`bot.updates`) and
which chat orders it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Hashable

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.config import Config
from bot.flood import ALLOW, SLOW_DOWN, FloodGuard
from bot.tg.app import AnyApplication
from bot.tg.updates import DROPPED, IGNORED, REFUSED, Describe, UpdateRecord, mark
from handlers.kit import callbacks, common, given
from handlers.kit.common import Context

log = logging.getLogger(__name__)

FLOOD_KEY = "flood_guard"
GATE_GROUP = -2

_EDITS = ("edited_message", "edited_channel_post", "edited_business_message")
_COUNTED = ("message", "callback_query", "inline_query")
_ADDED = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.RESTRICTED)
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s|$)")


def served_chats(config: Config) -> frozenset[int]:
    """The groups and channels the bot works in (private chats aside)."""
    chats = (config.admin_chat_id, config.members_group_id, config.announcements.chat_id)
    return frozenset(chat for chat in chats if chat is not None)


def chat_of(update: object) -> Hashable | None:
    """What orders an update: its chat, else its user (inline queries), else nothing."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


def _feature(update: Update, kind: str) -> str:
    message = update.effective_message if kind != "callback_query" else None
    if message is not None:
        text = message.text or message.caption or ""
        command = _COMMAND.match(text)
        if command:
            return "/" + command.group(1).lower()
        return "text" if message.text else "media"
    if update.callback_query is not None:
        prefix = callbacks.part(update.callback_query.data, 0)
        return "button:" + callbacks.FEATURES.get(prefix, "unknown")
    return {
        "my_chat_member": "bot_status",
        "chat_member": "member_status",
        "chat_join_request": "join_request",
        "inline_query": "inline",
    }.get(kind, "-")


def describer(config: Config) -> Describe:
    """How the log line names an update: kind, feature, and which of the bot's chats."""
    named = {
        config.admin_chat_id: "admin_chat",
        config.members_group_id: "members_group",
        config.announcements.chat_id: "announcement_chat",
    }

    def describe(update: object) -> UpdateRecord:
        if not isinstance(update, Update):
            return UpdateRecord(None, type(update).__name__, "-")
        kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "-")
        chat = update.effective_chat
        where = "" if chat is None else named.get(chat.id) or chat.type
        return UpdateRecord(update.update_id, kind, _feature(update, kind), where)

    return describe


async def _leave(update: Update, context: Context) -> None:
    """Leave a chat the bot does not serve; when just added there, say why first."""
    chat = given.chat(update)
    change = update.my_chat_member
    if change is not None and change.new_chat_member.status not in _ADDED:
        return  # removed, or our own leaving: nothing to do
    if change is not None:
        lang = await common.language(update, context)
        try:
            await context.bot.send_message(chat.id, common.text(context, "guard.not_here", lang))
        except TelegramError:
            log.info("could not say goodbye in a chat the bot does not serve")
    try:
        await context.bot.leave_chat(chat.id)
        log.info("left a %s the bot does not serve", chat.type)
    except TelegramError as exc:
        log.warning("could not leave a chat the bot does not serve: %s", exc)


async def _flooding(update: Update, context: Context) -> bool:
    """Count the update against its user's flood limit; True if it must be dropped."""
    user = update.effective_user
    if user is None or common.is_admin(update, context):
        return False
    if not any(getattr(update, kind) is not None for kind in _COUNTED):
        return False
    chat = update.effective_chat
    message = update.message
    if message is not None and chat is not None and chat.type != ChatType.PRIVATE:
        text = message.text or ""
        named = f"@{context.bot.username}".lower() in text.lower()
        if not _COMMAND.match(text) and not named:
            return False  # members talking among themselves in a group are not talking to us
    guard: FloodGuard = context.application.bot_data[FLOOD_KEY]
    verdict = guard.check(user.id)
    if verdict.action == ALLOW:
        if verdict.dropped:
            log.warning("flood: user %s is heard again; %d dropped", user.id, verdict.dropped)
        return False
    if verdict.action == SLOW_DOWN:
        policy = guard.policy
        log.warning(
            "flood: user %s sent more than %d updates in a burst; dropping theirs for %.0f s",
            user.id,
            policy.burst,
            policy.mute_seconds,
        )
        await _slow_down(update, context)
    return True


async def _slow_down(update: Update, context: Context) -> None:
    lang = await common.language(update, context)
    notice = common.text(context, "guard.slow_down", lang)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(notice, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, notice)
    except TelegramError:
        log.info("could not ask a flooding user to slow down")


async def gate(update: Update, context: Context) -> None:
    """Stop what the bot must not handle: edits, chats it does not serve, a user's flood."""
    if any(getattr(update, kind, None) is not None for kind in _EDITS):
        mark(IGNORED)
        raise ApplicationHandlerStop
    chat = update.effective_chat
    config = common.services(context).config
    if chat is not None and chat.type != ChatType.PRIVATE and chat.id not in served_chats(config):
        mark(REFUSED)
        await _leave(update, context)
        raise ApplicationHandlerStop
    if await _flooding(update, context):
        mark(DROPPED)
        raise ApplicationHandlerStop


def register(application: AnyApplication) -> None:
    """Install the gate before every other handler."""
    application.bot_data[FLOOD_KEY] = FloodGuard()
    application.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
