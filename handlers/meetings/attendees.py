"""/attendees (admins, in a private chat or the admin chat): meetings with their
registration counts and feedback, each meeting's list of registrants, and the list as CSV."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.kb import Meeting
from bot.spreadsheet import csv_bytes
from bot.storage import utcnow
from bot.storage.registrations import SEATED, Counts, Registration, RegistrationStatus
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, personal
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("attendees", admin=True)]

SHOW, CSV = "m", "csv"
# Past meetings stay listed this long after they end, for their feedback.
LISTED_PAST = 5


def _data(*parts: str) -> str:
    return callbacks.data(callbacks.ATTENDEES, *parts)


def _allowed_chat(update: Update, context: Context) -> bool:
    chat = update.effective_chat
    config = common.services(context).config
    return chat is not None and (chat.type == "private" or chat.id == config.admin_chat_id)


def _meetings(context: Context, counts: dict[str, Counts]) -> list[Meeting]:
    """Upcoming meetings open for registration, then recent past ones with registrants."""
    svc = common.services(context)
    schedule = svc.kb.meetings_sorted(svc.clock.now())
    upcoming = [m for m in schedule.upcoming if m.registration is not None or m.id in counts]
    past = [m for m in schedule.past if m.id in counts][:LISTED_PAST]
    return upcoming + past


async def meeting_lines(context: Context, lang: str) -> tuple[list[Html], list[Meeting]]:
    """One line per meeting with its counts (and feedback when there is some)."""
    svc = common.services(context)
    counts = await svc.registrations.counts_by_meeting()
    meetings = _meetings(context, counts)
    lines = []
    for meeting in meetings:
        count = counts.get(meeting.id, Counts())
        capacity = meeting.registration.capacity if meeting.registration else None
        lines.append(common.text(
            context, "attendees.line", lang, title=meeting.title.get(lang),
            registered=count.registered + count.offered, waiting=count.waiting,
            cancelled=count.cancelled, capacity=capacity or "∞",
        ))
        rated, average, comments = await svc.registrations.feedback(meeting.id)
        if rated:
            lines.append(common.text(context, "attendees.feedback", lang, rated=rated,
                                     average=f"{average:.1f}", comments=len(comments)))
    return lines, meetings


@common.admins_only
async def attendees(update: Update, context: Context) -> None:
    """/attendees: every meeting with registration, with counts and a button each."""
    if not _allowed_chat(update, context):
        await common.reply(update, context, "attendees.private_only")
        return
    lang = await common.language(update, context)
    lines, meetings = await meeting_lines(context, lang)
    if not meetings:
        await common.reply(update, context, "attendees.none")
        return
    rows = [
        answers.button(context, "attendees.meeting_button", lang, _data(SHOW, m.id),
                       title=m.title.get(lang))
        for m in meetings
    ]
    await common.reply(update, context, "attendees.header", reply_markup=InlineKeyboardMarkup(rows),
                       lines=Html("\n".join(lines)))


def _person(context: Context, lang: str, index: int, registration: Registration) -> str:
    none = common.text(context, "registration.none", lang)
    return common.text(
        context, "attendees.person", lang, index=index, name=registration.full_name,
        organisation=registration.organisation or none, province=registration.province or none,
        member=(common.text(context, "attendees.member_number", lang,
                            number=registration.member_number)
                if registration.member_number else ""),
    )


async def _show_meeting(update: Update, context: Context, meeting_id: str, lang: str) -> None:
    svc = common.services(context)
    meeting = svc.kb.meeting(meeting_id)
    title = meeting.title.get(lang) if meeting else meeting_id
    rows = await svc.registrations.of_meeting(meeting_id)
    seated = [r for r in rows if r.status in SEATED]
    waiting = [r for r in rows if r.status == RegistrationStatus.WAITING]
    parts: list[str] = [common.text(context, "attendees.meeting_header", lang, title=title,
                         registered=len(seated), waiting=len(waiting))]
    parts += [_person(context, lang, i, r) for i, r in enumerate(seated, 1)]
    if waiting:
        parts.append(common.text(context, "attendees.waiting_header", lang))
        parts += [_person(context, lang, i, r) for i, r in enumerate(waiting, 1)]
    _, _, comments = await svc.registrations.feedback(meeting_id)
    if comments:
        parts.append(common.text(context, "attendees.comments_header", lang))
        parts += [common.text(context, "attendees.comment", lang, comment=c) for c in comments]
    parts.append(common.text(context, "attendees.message_hint", lang))
    keyboard = InlineKeyboardMarkup(
        [answers.button(context, "attendees.csv_button", lang, _data(CSV, meeting_id))]
    )
    listed = await answers.send_parts(context.bot, given.chat(update).id, ["\n".join(parts)],
                                      reply_markup=keyboard)
    await personal.shown(context, listed, [r.user_id for r in rows])


async def _send_csv(update: Update, context: Context, meeting_id: str, lang: str) -> None:
    svc = common.services(context)
    rows = await svc.registrations.of_meeting(meeting_id)
    tz = svc.config.tz
    header = svc.texts.raw("attendees.csv_header", lang).split(",")
    data = csv_bytes(header, (
        (
            common.text(context, f"attendees.status.{r.status}", lang),
            r.full_name, r.organisation, r.province, r.member_number or "", r.answer,
            svc.clock.moment(r.created_at), r.rating or "",
            r.comment or "", r.user_id,
        )
        for r in rows
    ))
    stamp = utcnow().astimezone(tz).strftime("%Y%m%d-%H%M")
    export = await context.bot.send_document(
        given.chat(update).id,
        InputFile(data, filename=f"dang-ky-{meeting_id}-{stamp}.csv"),
        caption=common.text(context, "attendees.csv_caption", lang, count=len(rows)),
    )
    await personal.shown(context, export, [r.user_id for r in rows])


async def button_pressed(update: Update, context: Context) -> None:
    """at:m:<id> and at:csv:<id>, for admins only."""
    query = given.query(update)
    lang = await common.language(update, context)
    if not common.is_admin(update, context) or not _allowed_chat(update, context):
        await query.answer(common.text(context, "errors.admins_only", lang), show_alert=True)
        return
    await query.answer()
    action, meeting_id = callbacks.part(query.data, 1), callbacks.part(query.data, 2)
    if action == SHOW:
        await _show_meeting(update, context, meeting_id, lang)
    elif action == CSV:
        await _send_csv(update, context, meeting_id, lang)


def register(application: AnyApplication) -> None:
    """Wire /attendees and its buttons."""
    application.add_handler(CommandHandler("attendees", attendees))
    application.add_handler(
        CallbackQueryHandler(button_pressed, pattern=callbacks.pattern(callbacks.ATTENDEES))
    )
