"""After a meeting with ``feedback: true``, each registrant is asked once for a 1-5 rating
and an optional comment; /attendees shows the summary to the admins.

The question is recorded as asked before it is sent, so a restart never asks twice (at
worst, a crash between the two loses one question).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.kb.model import Meeting
from bot.services import get_services
from bot.storage import utcnow
from bot.storage.forms import FormState
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, router
from handlers.kit.common import Context
from handlers.kit.reload import on_reload
from handlers.meetings.prompts import same_meeting, tell_set_aside

log = logging.getLogger(__name__)

FORM = "feedback"
JOB_PREFIX = "feedback:"
# Meetings that ended longer ago than this are not asked about any more.
ASK_WITHIN = timedelta(days=3)
# A meeting known only by its day is asked about the next morning.
NEXT_MORNING = timedelta(hours=9)
MAX_COMMENT = 500


def ask_at(meeting: Meeting, application: AnyApplication) -> datetime:
    """When a meeting's registrants are asked: at its end, or the morning after its day."""
    tz = get_services(application).config.tz
    if isinstance(meeting.end, datetime):
        return meeting.ends_at(tz)
    return meeting.ends_at(tz) + NEXT_MORNING


async def plan(application: AnyApplication) -> None:
    """(Re)plan one job per meeting whose registrants are to be asked."""
    svc = get_services(application)
    if application.job_queue is None:
        return
    for job in application.job_queue.jobs():
        if job.name and job.name.startswith(JOB_PREFIX):
            job.schedule_removal()
    now = utcnow()
    for meeting in svc.kb.meetings:
        if meeting.registration is None or not meeting.registration.feedback:
            continue
        when = ask_at(meeting, application)
        if now - when > ASK_WITHIN:
            continue
        application.job_queue.run_once(
            _ask_job, max(when, now), data=meeting.id, name=f"{JOB_PREFIX}{meeting.id}",
            job_kwargs={"misfire_grace_time": None},
        )


async def _ask_job(context: Context) -> None:
    job = context.job
    if job is None:
        raise RuntimeError("the feedback question runs as a job")
    await ask(context.application, str(job.data))


async def ask(application: AnyApplication, meeting_id: str) -> int:
    """Ask every registrant of the meeting not asked yet; return how many were asked."""
    svc = get_services(application)
    meeting = svc.kb.meeting(meeting_id)
    if meeting is None:
        return 0
    asked = 0
    for registration in await svc.registrations.feedback_due(meeting_id):
        if not await svc.registrations.mark_feedback_asked(registration.id, utcnow()):
            continue
        lang = svc.texts.language(registration.language)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(
                f"{score} ⭐",
                callback_data=callbacks.data(callbacks.FEEDBACK, meeting_id, score),
            )
            for score in range(1, 6)
        ]])
        try:
            await application.bot.send_message(
                registration.chat_id,
                svc.texts.get("feedback.ask", lang, title=meeting.title.get(lang)),
                reply_markup=keyboard,
            )
            asked += 1
        except TelegramError:
            log.warning("could not ask %s for feedback", registration.user_id)
    return asked


async def rated(update: Update, context: Context) -> None:
    """fb:<meeting id>:<1-5>: record the rating, then offer to add a comment."""
    query = given.query(update)
    lang = await common.language(update, context)
    svc = common.services(context)
    meeting_id, score = callbacks.part(query.data, 1), callbacks.number_part(query.data, 2)
    if score is None or not 1 <= score <= 5 or not await svc.registrations.rate(
        meeting_id, given.user(update).id, score
    ):
        await query.answer(common.text(context, "errors.stale_button", lang), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await router.open_prompt(context, FormState(
        user_id=given.user(update).id, chat_id=given.chat(update).id, form=FORM,
        step="comment", data={"meeting": meeting_id},
    ))
    await common.reply(update, context, "feedback.thanks", score=score)


class CommentForm:
    """The optional comment after a rating."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        svc = common.services(context)
        text = (update.effective_message.text or "").strip() if update.effective_message else ""
        if not text or len(text) > MAX_COMMENT:
            await common.reply(update, context, "feedback.bad_comment", limit=MAX_COMMENT)
            return
        await svc.registrations.comment(state.data["meeting"], state.user_id, text)
        await svc.forms.clear(state.user_id)
        await common.reply(update, context, "feedback.comment_saved")

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        await common.reply(update, context, "feedback.no_comment")

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """A comment on another meeting sets this one aside."""
        return same_meeting(earlier, state)

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt took this one's place: the rating stays, no comment is awaited."""
        await tell_set_aside(context, state, "feedback.set_aside")


def register(application: AnyApplication) -> None:
    """Wire the rating buttons, the comment form and re-planning after /reload."""
    application.add_handler(
        CallbackQueryHandler(rated, pattern=callbacks.pattern(callbacks.FEEDBACK))
    )
    router.register_form(application, FORM, CommentForm())
    on_reload(application, plan)


async def on_startup(application: AnyApplication) -> None:
    """Plan the questions for meetings that ended recently or are still to come."""
    await plan(application)
