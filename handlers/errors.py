"""The error handler: log, apologise to the user, tell the admins once per distinct error."""

from __future__ import annotations

import hashlib
import logging
import traceback

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.ops.health import record_error
from handlers import common
from handlers.common import Context
from handlers.notify import notify_admins

log = logging.getLogger(__name__)


def fingerprint(error: BaseException) -> str:
    """Same exception type raised at the same place: the same error."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return hashlib.sha256(f"{type(error).__qualname__}|{where}".encode()).hexdigest()[:16]


async def on_error(update: object, context: Context) -> None:
    """Handle an exception raised by a handler or a job."""
    error = context.error
    if error is None:
        return
    log.error("error while handling %r", update, exc_info=error)
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
    summary = f"{type(error).__name__}: {str(error)[:300]}"
    described = repr(update.to_dict() if isinstance(update, Update) else update)[:500]
    await notify_admins(
        context,
        "errors.admin_report",
        error=summary,
        update=described,
    )


def register(application: Application) -> None:
    """Install the error handler."""
    application.add_error_handler(on_error)
