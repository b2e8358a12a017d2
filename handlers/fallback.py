"""Buttons nobody handles (an old message, a feature that changed) still get an answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import common
from handlers.common import Context


async def stale_button(update: Update, context: Context) -> None:
    """Answer the press so the button stops spinning, and say it no longer works."""
    lang = await common.language(update, context)
    await update.callback_query.answer(
        common.text(context, "errors.stale_button", lang), show_alert=True
    )


def register(application: Application) -> None:
    """Registered last in group 0: only presses no feature claimed reach it."""
    application.add_handler(CallbackQueryHandler(stale_button))
