"""``/health`` for admins: the doctor's checks, uptime, work waiting and the last error."""

from __future__ import annotations

import asyncio
import sqlite3

from telegram import Update
from telegram.ext import CommandHandler

from bot.ops.doctor import summary
from bot.ops.health import health_state, uptime_parts
from bot.storage import health
from bot.tg.app import AnyApplication
from bot.tg.doctor import run_checks
from handlers.kit import common
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("health", admin=True)]


@common.admins_only
async def show_health(update: Update, context: Context) -> None:
    """Answer /health with the report (in a private chat or the admin chat: it names the
    server's folders and the work waiting, nothing for a members' group)."""
    svc = common.services(context)
    chat = update.effective_chat
    if chat is None or (chat.type != "private" and chat.id != svc.config.admin_chat_id):
        await common.reply(update, context, "ops.health_private_only")
        return
    lang = await common.language(update, context)
    checks = await run_checks(svc.config, context.bot)
    state = health_state(context.application)
    try:
        queues = await asyncio.to_thread(health.queue_lengths, svc.config.database)
        waiting = common.text(
            context,
            "ops.health_queues",
            lang,
            deliveries=queues.deliveries,
            applications=queues.applications,
            questions=queues.questions,
        )
    except (OSError, sqlite3.Error) as exc:
        waiting = common.text(context, "ops.health_queues_unknown", lang, error=str(exc))
    error = state.last_error
    last_error = (
        common.text(
            context,
            "ops.health_last_error",
            lang,
            when=svc.clock.moment(error.at),
            error=error.summary,
        )
        if error
        else common.text(context, "ops.health_no_error", lang)
    )
    key, figures = uptime_parts(state.uptime_seconds)
    await common.reply(
        update,
        context,
        "ops.health_report",
        summary=summary(checks, svc.texts, lang),
        checks="\n".join(check.entry(svc.texts, lang) for check in checks),
        uptime=common.text(context, key, lang, **figures),
        waiting=waiting,
        last_error=last_error,
    )


def register(application: AnyApplication) -> None:
    """Install /health."""
    application.add_handler(CommandHandler("health", show_health))


async def on_startup(application: AnyApplication) -> None:
    """Start counting the uptime."""
    health_state(application)
