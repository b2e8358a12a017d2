"""/stats (admins, private or admin chat): the figures as text, then the chart as a photo."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.stats import chart_png, gather, render
from bot.storage import utcnow
from bot.tg.app import AnyApplication
from handlers.kit import common, given
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("stats", admin=True)]


@common.admins_only
async def stats(update: Update, context: Context) -> None:
    """/stats: figures, then the chart (drawn in a thread: matplotlib is not async)."""
    svc = common.services(context)
    chat = given.chat(update)
    if chat.type != "private" and chat.id != svc.config.admin_chat_id:
        await common.reply(update, context, "stats.private_only")
        return
    lang = await common.language(update, context)
    figures = await gather(svc.stats, svc.registrations, svc.kb, utcnow(), svc.config.tz)
    await context.bot.send_message(chat.id, render(figures, svc.texts, lang))
    png = await asyncio.to_thread(chart_png, figures, svc.texts, lang)
    await context.bot.send_photo(
        chat.id,
        InputFile(png, filename="hoibot-stats.png"),
        caption=common.text(context, "stats.chart_caption", lang),
    )


def register(application: AnyApplication) -> None:
    """Wire /stats."""
    application.add_handler(CommandHandler("stats", stats))
