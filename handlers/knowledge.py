"""/reload: the secretariat puts an edited knowledge base in service without a restart.

Features that derive state from the knowledge base (e.g. scheduled announcements) register
a listener with :func:`handlers.kit.reload.on_reload`; listeners run after every successful
reload.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.kb import Problem
from bot.texts import formats
from bot.tg.app import AnyApplication
from handlers.kit import answers, common, given
from handlers.kit.common import CommandSpec, Context
from handlers.kit.reload import notify_listeners

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("reload", admin=True)]


def _where(problem: Problem) -> str:
    """``file:line`` of a problem (the folder itself when no file is concerned)."""
    where = problem.file or "knowledge/"
    return where if problem.line is None else f"{where}:{problem.line}"


@common.admins_only
async def reload_knowledge(update: Update, context: Context) -> None:
    """/reload (admins): re-read the knowledge folder; keep the old one if the new is invalid.
    Only in a private chat or the admin chat: its report names the folder's files and
    problems, nothing for a members' group (elsewhere it says where it works, as /health)."""
    svc = common.services(context)
    chat = update.effective_chat
    if chat is None or (chat.type != "private" and chat.id != svc.config.admin_chat_id):
        await common.reply(update, context, "knowledge.reload_private_only")
        return
    lang = await common.language(update, context)
    problems = await svc.knowledge.reload()
    chat_id = given.chat(update).id
    if problems:
        count = formats.number(len(problems))
        parts = [common.text(context, "knowledge.reload_failed", lang, count=count)]
        # The checker describes problems in English: a message in another language shows
        # where each one is, and its lead points to `hoibot kb check` (docs/voice.md).
        if lang == "en":
            parts += [
                common.text(context, "knowledge.problem", lang, where=_where(p), message=p.message)
                for p in problems
            ]
        else:
            places = dict.fromkeys(_where(p) for p in problems)  # one line per place, in order
            parts += [
                common.text(context, "knowledge.problem_location", lang, where=where)
                for where in places
            ]
        await answers.send_parts(context.bot, chat_id, parts, separator="\n")
        return
    kb = svc.kb
    failed = await notify_listeners(context.application)
    parts = [
        common.text(
            context,
            "knowledge.reloaded",
            lang,
            entries=formats.number(len(kb.entries)),
            meetings=formats.number(len(kb.meetings)),
            articles=formats.number(len(kb.charter.articles)),
        )
    ]
    if failed:
        parts.append(common.text(context, "knowledge.listeners_failed", lang, count=failed))
    await answers.send_parts(context.bot, chat_id, parts)


def register(application: AnyApplication) -> None:
    """Wire /reload."""
    application.add_handler(CommandHandler("reload", reload_knowledge))
