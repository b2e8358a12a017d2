"""Broadcasts in progress and after: the progress message with its Stop button, stopping,
the report (naming the recipients whose outcome is unknown) and sending again to them.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.announcements.delivery import BroadcastReport
from bot.announcements.schedule import Once
from bot.services import Services, get_services
from bot.storage.announcements import RESEND, UNKNOWN, Broadcast
from bot.texts import Html, formats
from bot.tg.announcements.runner import get_runner
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, personal
from handlers.kit.common import Context
from handlers.kit.notify import admin_destinations

log = logging.getLogger(__name__)

ACT_STOP = "stop"  # an:stop:<broadcast id>, under the progress message
ACT_RESEND = "re"  # an:re:<broadcast id>: send again to the recipients with unknown outcome
UNKNOWN_LISTED = 30  # names of recipients with an unknown outcome shown in a report
EXCERPT_LENGTH = 60


def excerpt(text: str) -> str:
    """The start of an announcement, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def stop_keyboard(svc: Services, lang: str, broadcast_id: int) -> InlineKeyboardMarkup:
    label = svc.texts.get("announce.stop_button", lang)
    data = callbacks.data(callbacks.ANNOUNCE, ACT_STOP, broadcast_id)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])


async def report_started(application: AnyApplication, broadcast: Broadcast) -> None:
    """A scheduled run started: its progress message, with Stop, to whoever gets its report."""
    svc = get_services(application)
    current = await svc.announcements.get_broadcast(broadcast.id)
    if current is None or current.finished_at is not None:
        return  # already over: the report says it all
    recipients = sum((await svc.announcements.counts(broadcast.id)).values())
    chats = (
        [broadcast.requested_by]
        if broadcast.requested_by is not None
        else admin_destinations(application)
    )
    for chat_id in chats:
        lang = svc.texts.language(await svc.users.language_of(chat_id))
        text = svc.texts.get(
            "announce.sending", lang, id=broadcast.schedule_id, recipients=recipients
        )
        try:
            await application.bot.send_message(
                chat_id, text, reply_markup=stop_keyboard(svc, lang, broadcast.id)
            )
        except TelegramError:
            log.warning("could not tell %s that broadcast %s started", chat_id, broadcast.id)


async def stop_pressed(update: Update, context: Context, argument: str) -> None:
    """The Stop button: cancel every delivery not yet started; the report follows."""
    number = callbacks.number(argument)
    if number is None:
        return
    svc = common.services(context)
    broadcast = await svc.announcements.get_broadcast(number)
    query = given.query(update)
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(None)
        except TelegramError:
            log.debug("could not remove the stop button", exc_info=True)
    if broadcast is None or broadcast.finished_at is not None:
        await common.reply(update, context, "announce.stop_too_late", id=argument)
        return
    cancelled = await get_runner(context.application).stop(broadcast.id)
    log.info(
        "broadcast %s stopped by %s: %d cancelled", broadcast.id, query.from_user.id, cancelled
    )
    await common.reply(
        update, context, "announce.stopping", id=broadcast.schedule_id, count=cancelled
    )


async def resend_pressed(update: Update, context: Context, argument: str) -> None:
    """Send a broadcast again, on purpose, to its recipients whose outcome is unknown (once:
    a second press finds the resend already made)."""
    number = callbacks.number(argument)
    if number is None:
        return
    svc = common.services(context)
    broadcast = await svc.announcements.get_broadcast(number)
    if broadcast is None or broadcast.finished_at is None:
        await common.reply(update, context, "announce.already_done")
        return
    runner = get_runner(context.application)
    schedule, created = await runner.service.create(
        key=f"{RESEND}:{broadcast.id}",
        text=broadcast.text,
        entities=broadcast.entities,
        audience=RESEND,
        rule=Once(runner.service.now()),
        created_by=given.user(update).id,
    )
    sent = await runner.send_now(schedule) if created else None
    if sent is None:
        await common.reply(update, context, "announce.already_done")
        return
    counts = await svc.announcements.counts(sent.id)
    await common.reply(
        update, context, "announce.sending", id=schedule.id,
        recipients=formats.number(sum(counts.values())),
    )


async def report_broadcast(
    application: AnyApplication, broadcast: Broadcast, report: BroadcastReport
) -> bool:
    """Tell the admin who sent it (else the secretariat) how the broadcast went."""
    svc = get_services(application)
    schedule = await svc.announcements.get_schedule(broadcast.schedule_id)
    params = {
        "id": broadcast.schedule_id,
        "excerpt": excerpt(schedule.text if schedule else broadcast.text),
        "recipients": formats.number(report.recipients),
        "delivered": formats.number(report.delivered),
        "failed": formats.number(report.failed),
        "unreachable": formats.number(report.unreachable),
        "unknown": formats.number(report.unknown),
        "duration": formats.duration(report.duration),
    }

    unknown = await svc.announcements.recipients_in(broadcast.id, UNKNOWN)

    def render(lang: str) -> str:
        text: str = svc.texts.get("announce.report", lang, **params)
        if report.cancelled:
            text += "\n" + svc.texts.get("announce.report_cancelled", lang, count=report.cancelled)
        if report.unknown:
            text += "\n" + svc.texts.get("announce.report_unknown_note", lang)
            text += "\n" + _unknown_list(svc, lang, unknown)
        return text

    subjects = [user_id for _, user_id, _ in unknown[:UNKNOWN_LISTED]]

    def buttons(lang: str) -> InlineKeyboardMarkup | None:
        if not unknown or broadcast.audience == RESEND:
            return None
        label = svc.texts.get("announce.resend_button", lang, count=len(unknown))
        data = callbacks.data(callbacks.ANNOUNCE, ACT_RESEND, broadcast.id)
        return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])

    if broadcast.requested_by is not None:
        lang = svc.texts.language(await svc.users.language_of(broadcast.requested_by))
        try:
            sent = await application.bot.send_message(
                broadcast.requested_by, render(lang), reply_markup=buttons(lang)
            )
            await personal.shown(application, sent, subjects)
            return True
        except TelegramError:
            log.warning("could not report broadcast %s to its admin", broadcast.id, exc_info=True)
    sent_to_admins = []
    for chat_id in admin_destinations(application):
        lang = svc.texts.language(await svc.users.language_of(chat_id))
        try:
            sent_to_admins.append(
                await application.bot.send_message(
                    chat_id, render(lang), reply_markup=buttons(lang)
                )
            )
        except TelegramError:
            log.warning("could not report broadcast %s to %s", broadcast.id, chat_id)
    await personal.shown(application, sent_to_admins, subjects)
    return bool(sent_to_admins)


def _unknown_list(svc: Services, lang: str, unknown: list[tuple[int, int | None, str]]) -> str:
    """The recipients whose outcome is unknown, by name and id, for a follow-up."""
    shown = [
        svc.texts.get("announce.report_unknown_item", lang, name=name, id=chat_id)
        if name
        else svc.texts.get("announce.report_unknown_unnamed", lang, id=chat_id)
        for chat_id, _, name in unknown[:UNKNOWN_LISTED]
    ]
    more = len(unknown) - len(shown)
    if more > 0:
        shown.append(svc.texts.get("announce.report_unknown_more", lang, count=more))
    return svc.texts.get("announce.report_unknown_list", lang, names=Html(", ".join(shown)))
