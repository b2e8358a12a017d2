"""/privacy: what HoiBot stores about a person, why, and how to see or erase it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from handlers import common
from handlers.common import CommandSpec, Context

COMMANDS = [CommandSpec("privacy")]


async def privacy(update: Update, context: Context) -> None:
    """/privacy: the privacy notice in the user's language."""
    assoc = common.services(context).config.association
    await common.reply(update, context, "privacy.notice", website=assoc.website)


def register(application: Application) -> None:
    """Wire /privacy."""
    application.add_handler(CommandHandler("privacy", privacy))
