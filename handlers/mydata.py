"""Personal data rights (Law 91/2025/QH15): /mydata shows everything stored about a person,
/forget erases it after a confirmation; a daily job erases what is no longer needed.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import privacy
from bot.services import get_services
from bot.storage import from_db_time, utcnow
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, personal
from handlers.kit.common import CommandSpec, Context, ContextOrApp
from handlers.kit.notify import notify_admins

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("mydata"), CommandSpec("forget")]

YES = "y"
NO = "n"
RETENTION_JOB = "membership-retention"


def _language_name(context: Context, lang: str, chosen: str | None) -> str:
    """The language the person talks to the bot in, by its name ("Tiếng Việt"), not a code."""
    code = common.services(context).texts.language(chosen)
    return common.text(context, f"lang.name.{code}", lang).split(" ", 1)[-1]


def _summary_lines(context: Context, lang: str, data: dict[str, Any]) -> list[Html]:
    """One line per kind of stored data, in the person's words."""
    svc = common.services(context)
    lines = []
    for user in data.get("users", []):
        subscribed = "mydata.yes" if user["subscribed"] else "mydata.no"
        lines.append(
            common.text(
                context,
                "mydata.line.user",
                lang,
                name=" ".join(p for p in (user["first_name"], user["last_name"]) if p),
                id=user["id"],
                language=_language_name(
                    context, lang, user["language"] or user["language_code"]
                ),
                date=common.local_date(context, from_db_time(user["first_seen"])),
                subscribed=common.text(context, subscribed, lang),
            )
        )
    if data.get("forms"):
        lines.append(common.text(context, "mydata.line.form", lang))
    if data.get("applications"):
        lines.append(
            common.text(context, "mydata.line.applications", lang, count=len(data["applications"]))
        )
    for member in data.get("members", []):
        lines.append(
            common.text(
                context,
                "mydata.line.member",
                lang,
                number=member["number"],
                status=common.text(context, f"members.status.{member['status']}", lang),
            )
        )
    if data.get("join_requests"):
        lines.append(
            common.text(
                context, "mydata.line.join_requests", lang, count=len(data["join_requests"])
            )
        )
    known = {"users", "forms", "applications", "members", "join_requests", "membership_log"}
    catalog = set(svc.texts.keys())
    other = 0
    for table, rows in data.items():
        if table in known or not rows:
            continue
        # Each feature's rows are named in the member's words (mydata.table.<table>);
        # a table without a name is counted, never shown by its internal name.
        if f"mydata.table.{table}" in catalog:
            lines.append(common.text(context, f"mydata.table.{table}", lang, count=len(rows)))
        else:
            other += len(rows)
    if other:
        lines.append(common.text(context, "mydata.line.other", lang, count=other))
    return lines


async def mydata(update: Update, context: Context) -> None:
    """/mydata: a summary, and every stored row about the person as a JSON file."""
    svc = common.services(context)
    lang = await common.language(update, context)
    user_id = given.user(update).id
    data = await svc.personal_data.export(user_id)
    # Questions with the secretariat's replies (linked by question, not by person).
    data["questions"] = await svc.questions.export_for_user(user_id)
    lines = _summary_lines(context, lang, data)
    await common.reply(update, context, "mydata.summary", lines=Html("\n".join(lines)))
    document = json.dumps(
        {"exported_at": utcnow().isoformat(timespec="seconds"), **data},
        ensure_ascii=False,
        indent=2,
        default=str,
    ).encode("utf-8")
    await context.bot.send_document(
        given.chat(update).id,
        InputFile(document, filename=f"hoibot-mydata-{user_id}.json"),
        caption=common.text(context, "mydata.caption", lang),
    )


async def forget(update: Update, context: Context) -> None:
    """/forget: say what will be erased (and what it ends), and ask to confirm."""
    svc = common.services(context)
    lang = await common.language(update, context)
    user_id = given.user(update).id
    warnings = []
    member = await svc.membership.member_of(user_id)
    if member is not None and member.active:
        warnings.append(common.text(context, "forget.warning_member", lang, number=member.number))
    pending = await svc.membership.pending_of(user_id)
    if pending is not None:
        warnings.append(common.text(context, "forget.warning_pending", lang, id=pending.id))
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, "forget.button.yes", lang),
                    callback_data=callbacks.data(callbacks.FORGET, YES),
                ),
                InlineKeyboardButton(
                    common.text(context, "forget.button.no", lang),
                    callback_data=callbacks.data(callbacks.FORGET, NO),
                ),
            ]
        ]
    )
    await common.reply(
        update,
        context,
        "forget.confirm",
        warnings=Html("".join(f"{warning}\n" for warning in warnings)),
        reply_markup=buttons,
    )


async def forget_pressed(update: Update, context: Context) -> None:
    """The confirmation buttons of /forget."""
    query = given.query(update)
    await query.answer()
    await common.remove_buttons(query.message)
    if callbacks.part(query.data, 1) != YES:
        await common.reply(update, context, "forget.kept")
        return
    await erase_person(update, context)


async def erase_person(update: Update, context: Context) -> None:
    """Erase everything about the person (the core takes back what the bot showed), then
    say goodbye in their language."""
    svc = common.services(context)
    await svc.privacy.forget(given.user(update).id)
    if context.user_data is not None:
        lang = context.user_data.get(common.LANG_KEY)
        context.user_data.clear()
        if lang:
            common.remember_language(context, lang)  # to say goodbye in their language
    await common.reply(update, context, "forget.done")


async def purge_expired(context: ContextOrApp) -> dict[str, int]:
    """The daily retention job (see :meth:`bot.privacy.PrivacyService.purge_expired`)."""
    return await get_services(context).privacy.purge_expired()


def register_effects(application: AnyApplication) -> None:
    """Tell the outbox how to take back messages and tell the secretariat of an erasure."""
    svc = get_services(application)

    async def blank(payload: dict[str, Any]) -> None:
        messages = [(int(chat_id), int(message_id)) for chat_id, message_id in payload["messages"]]
        for chat_id, message_id in messages:
            await personal.blank(application, chat_id, message_id)
        await svc.personal_messages.forget_messages(messages)

    async def erased_notices(payload: dict[str, Any]) -> None:
        for application_id, chat_id, message_id in payload["notices"]:
            lang = svc.texts.language(await svc.users.language_of(chat_id))
            try:
                await application.bot.edit_message_text(
                    svc.texts.get("review.outcome.erased", lang, id=application_id),
                    chat_id=chat_id,
                    message_id=message_id,
                )
            except TelegramError:
                log.debug("could not update notice %s/%s", chat_id, message_id, exc_info=True)

    async def erased(payload: dict[str, Any]) -> None:
        if payload["member"]:
            await notify_admins(
                application,
                "forget.admin_notice",
                applications=payload["applications"],
                number=payload["number"],
            )
        else:
            await notify_admins(
                application, "forget.admin_notice_applicant", applications=payload["applications"]
            )

    svc.outbox.register(privacy.BLANK, blank, repeatable=True)
    svc.outbox.register(privacy.ERASED_NOTICES, erased_notices, repeatable=True)
    svc.outbox.register(privacy.ERASED, erased, repeatable=False)


async def on_startup(application: AnyApplication) -> None:
    """Purge once at start (jobs do not survive restarts), then every day."""
    await purge_expired(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            purge_expired,
            interval=timedelta(days=1),
            first=timedelta(days=1),
            name=RETENTION_JOB,
            # APScheduler skips a job delayed by more than a second unless told otherwise.
            job_kwargs={"misfire_grace_time": 3600, "coalesce": True},
        )


def register(application: AnyApplication) -> None:
    """Wire /mydata, /forget and its confirmation, and the erasure's effects."""
    register_effects(application)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("mydata", mydata, private))
    application.add_handler(CommandHandler("forget", forget, private))
    application.add_handler(
        CallbackQueryHandler(forget_pressed, pattern=callbacks.pattern(callbacks.FORGET))
    )
