"""/privacy: what HoiBot stores about a person, why, and how to see or erase it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.tg.app import AnyApplication
from handlers.kit import common
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("privacy")]


async def privacy(update: Update, context: Context) -> None:
    """/privacy: the privacy notice in the user's language."""
    config = common.services(context).config
    await common.reply(
        update,
        context,
        "privacy.notice",
        website=config.association.website,
        retention=common.text(
            context,
            "privacy.retention",
            await common.language(update, context),
            visitor_days=config.retention.visitor_days,
            question_days=config.retention.question_days,
            delivery_days=config.retention.delivery_days,
        ),
    )


def register(application: AnyApplication) -> None:
    """Wire /privacy."""
    application.add_handler(CommandHandler("privacy", privacy))
