"""The error handler: log, apologise to the user, tell the admins once per distinct error."""

from __future__ import annotations

import hashlib
import logging
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot.ops.health import record_error
from bot.redaction import without_urls
from bot.tg.app import AnyApplication
from bot.tg.updates import ERROR, mark
from handlers.kit import common, given
from handlers.kit.common import Context
from handlers.kit.notify import notify_admins

log = logging.getLogger(__name__)


def fingerprint(error: BaseException) -> str:
    """Same exception type raised at the same place: the same error. A part missing from an
    update is placed where the handler asked for it, not in the accessor that found it gone."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not (isinstance(error, given.MissingPart) and frame.filename == given.__file__)
    ]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return hashlib.sha256(f"{type(error).__qualname__}|{where}".encode()).hexdigest()[:16]


def describe(update: object) -> str:
    """What went wrong where, without personal data: the update's kind, its chat's type and the
    command or button family (never names, texts, numbers or files)."""
    if not isinstance(update, Update):
        return "a job" if update is None else type(update).__name__
    parts = [f"update {update.update_id}"]
    kind = next((name for name in _KINDS if getattr(update, name, None) is not None), "other")
    parts.append(kind)
    if update.effective_chat is not None:
        parts.append(f"in a {update.effective_chat.type} chat")
    message = update.effective_message
    text = (message.text or "") if message is not None and kind != "callback_query" else ""
    if text.startswith("/"):
        parts.append(f"command {text.split()[0].split('@')[0][:40]}")
    if update.callback_query is not None and update.callback_query.data:
        parts.append(f"button {update.callback_query.data.split(':')[0][:20]}")
    return ", ".join(parts)


_KINDS = (
    "message",
    "edited_message",
    "callback_query",
    "chat_join_request",
    "my_chat_member",
    "chat_member",
    "inline_query",
    "channel_post",
)


async def on_error(update: object, context: Context) -> None:
    """Handle an exception raised by a handler or a job."""
    error = context.error
    if error is None:
        return
    mark(ERROR)
    described = describe(update)
    log.error("error while handling %s", described, exc_info=error)
    record_error(context.application, error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await common.reply(update, context, "errors.generic")
        except TelegramError:
            log.warning("could not tell the user about the error", exc_info=True)
    try:
        if not await common.services(context).reported_errors.record(fingerprint(error)):
            return
    except Exception:  # the database itself may be what failed
        log.exception("could not record the error")
        return
    summary = without_urls(f"{type(error).__name__}: {error}")[:300]
    await notify_admins(
        context,
        "errors.admin_report",
        error=summary,
        update=described,
    )


def register(application: AnyApplication) -> None:
    """Install the error handler."""
    application.add_error_handler(on_error)
