"""/meetings: the association's congresses and conferences, upcoming and past, each opening
its details; an upcoming one also as an .ics file for the member's calendar."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.kb import KnowledgeBase, Meeting, meeting_ics
from bot.texts import Html, formats
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("meetings")]

LIST = "list"  # mt:list: back to the list, in place
MEETING = "m"  # mt:m:<meeting id>: its details, in place
ICS = "ics"  # mt:ics:<meeting id>: the calendar file

# Past meetings listed as buttons, newest first; older ones are found by asking.
PAST_SHOWN = 20

View = tuple[list[Html], list[list[InlineKeyboardButton]]]


def _data(*parts: str) -> str:
    return callbacks.data(callbacks.MEETINGS, *parts)


def _now(context: Context) -> datetime:
    return common.services(context).clock.now()


def _day(meeting: Meeting, lang: str) -> str:
    return formats.day(meeting.start)


def _is_upcoming(context: Context, kb: KnowledgeBase, meeting: Meeting) -> bool:
    return any(m.id == meeting.id for m in kb.meetings_sorted(_now(context)).upcoming)


def list_view(context: Context, kb: KnowledgeBase, lang: str) -> View:
    """Upcoming meetings (soonest first), then past ones (newest first), as buttons."""
    schedule = kb.meetings_sorted(_now(context))
    if not schedule.upcoming and not schedule.past:
        return [common.text(context, "meetings.none", lang)], []
    rows = [
        answers.button(
            context,
            "meetings.upcoming_button",
            lang,
            _data(MEETING, m.id),
            date=_day(m, lang),
            title=m.title.get(lang),
        )
        for m in schedule.upcoming
    ]
    rows += [
        _register_row(context, lang, m, "registration.button")
        for m in schedule.upcoming
        if m.registration is not None
    ]
    rows += [
        answers.button(
            context,
            "meetings.past_button",
            lang,
            _data(MEETING, m.id),
            date=_day(m, lang),
            title=m.title.get(lang),
        )
        for m in schedule.past[:PAST_SHOWN]
    ]
    parts = [
        common.text(
            context, "meetings.list", lang, upcoming=len(schedule.upcoming), past=len(schedule.past)
        )
    ]
    if len(schedule.past) > PAST_SHOWN:
        parts.append(
            common.text(context, "meetings.older", lang, count=len(schedule.past) - PAST_SHOWN)
        )
    return parts, rows


def _register_row(
    context: Context, lang: str, meeting: Meeting, key: str
) -> list[InlineKeyboardButton]:
    """The registration feature's button (rg:go:<id>), opened by that feature's handler."""
    data = callbacks.data(callbacks.REGISTRATION, "go", meeting.id)
    return answers.button(context, key, lang, data, title=meeting.title.get(lang))


def meeting_view(context: Context, kb: KnowledgeBase, meeting: Meeting, lang: str) -> View:
    """A meeting's details with its source; the calendar file if it is still to come."""
    parts, see = answers.item_view(context, kb, meeting.id, lang)
    rows = []
    if _is_upcoming(context, kb, meeting):
        if meeting.registration is not None:
            rows.append(_register_row(context, lang, meeting, "registration.card_button"))
        rows.append(answers.button(context, "meetings.ics_button", lang, _data(ICS, meeting.id)))
    rows += see
    rows.append(answers.button(context, "meetings.back", lang, _data(LIST)))
    return parts, rows


async def show_meetings(update: Update, context: Context) -> None:
    """/meetings and the menu's meetings item."""
    lang = await common.language(update, context)
    parts, rows = list_view(context, common.services(context).kb, lang)
    await answers.send_parts(
        context.bot,
        given.chat(update).id,
        parts,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


async def _send_ics(update: Update, context: Context, meeting: Meeting, lang: str) -> None:
    config = common.services(context).config
    await context.bot.send_document(
        given.chat(update).id,
        InputFile(meeting_ics(meeting, config.tz, lang), filename=f"{meeting.id}.ics"),
        caption=common.text(context, "meetings.ics_caption", lang, title=meeting.title.get(lang)),
    )


async def meetings_button(update: Update, context: Context) -> None:
    """mt:list, mt:m:<id>, mt:ics:<id>, checked against the knowledge base in service now."""
    query = given.query(update)
    lang = await common.language(update, context)
    kb = common.services(context).kb
    action = callbacks.part(query.data, 1)
    meeting = kb.meeting(callbacks.part(query.data, 2))
    if action == LIST:
        view = list_view(context, kb, lang)
    elif action not in (MEETING, ICS):
        await query.answer()
        return
    elif meeting is None:
        await query.answer(common.text(context, "meetings.stale", lang), show_alert=True)
        return
    elif action == ICS:
        if not _is_upcoming(context, kb, meeting):
            await query.answer(common.text(context, "meetings.over", lang), show_alert=True)
            return
        await query.answer()
        await _send_ics(update, context, meeting, lang)
        return
    else:
        view = meeting_view(context, kb, meeting, lang)
    await query.answer()
    await answers.show_in_place(update, context, *view)


def register(application: AnyApplication) -> None:
    """Wire /meetings, its buttons and the menu's meetings item."""
    application.add_handler(CommandHandler("meetings", show_meetings, filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(meetings_button, pattern=callbacks.pattern(callbacks.MEETINGS))
    )
    router.register_entry_point(application, "meetings", show_meetings)
