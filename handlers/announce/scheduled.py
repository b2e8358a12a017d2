"""/scheduled (every active schedule, each with a cancel button), schedules in words, and the
announcements' start-up: the broadcast runner, recovered broadcasts, missed runs reported,
the knowledge base's schedules kept in sync (at start and after each /reload)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackContext, CommandHandler
from telegram.ext import filters as tg_filters

from bot.announcements.delivery import BroadcastReport, SenderSettings
from bot.announcements.knowledge import definitions
from bot.announcements.schedule import Cron, Daily, Monthly, Once, Rule, Weekly
from bot.announcements.service import AnnouncementService
from bot.services import get_services
from bot.storage.announcements import Broadcast, MissedRuns, Schedule
from bot.texts import Html, formats
from bot.tg.announcements.runner import RUNNER_KEY, BroadcastRunner, get_runner
from bot.tg.app import AnyApplication
from handlers.announce import audience as announce_audience
from handlers.announce import broadcasts
from handlers.announce.broadcasts import excerpt as _excerpt
from handlers.kit import callbacks, common
from handlers.kit.common import CommandSpec, Context
from handlers.kit.notify import notify_admins
from handlers.kit.reload import on_reload

COMMANDS = [CommandSpec("scheduled", admin=True)]

ACT_CANCEL_SCHEDULE = "x"  # an:x:<schedule id>


def format_time(context: Context, moment: datetime) -> str:
    """A moment in the association's time zone."""
    return common.services(context).clock.moment(moment)


def button(context: Context, lang: str, key: str, *parts: object, **params: Any) -> Any:
    """A button labelled with a catalog text, pressing ``an:<parts>``."""
    return InlineKeyboardButton(
        common.text(context, key, lang, **params),
        callback_data=callbacks.data(callbacks.ANNOUNCE, *parts),
    )


def describe_rule(context: Context, lang: str, rule: Rule | None) -> str:
    """A rule in words, in the admin's language (None: "now")."""
    if rule is None:
        return common.text(context, "announce.rule.now", lang)
    if isinstance(rule, Once):
        return common.text(context, "announce.rule.once", lang, at=format_time(context, rule.at))
    if isinstance(rule, Daily):
        return common.text(context, "announce.rule.daily", lang, time=f"{rule.at:%H:%M}")
    if isinstance(rule, Weekly):
        weekday = common.text(context, f"announce.weekday.{rule.weekday}", lang)
        return common.text(
            context, "announce.rule.weekly", lang, weekday=weekday, time=f"{rule.at:%H:%M}"
        )
    if isinstance(rule, Monthly):
        return common.text(
            context, "announce.rule.monthly", lang, day=rule.day, time=f"{rule.at:%H:%M}"
        )
    assert isinstance(rule, Cron)
    return common.text(context, "announce.rule.cron", lang, expression=rule.expression)


@common.admins_only
async def scheduled(update: Update, context: Context) -> None:
    """/scheduled: every active schedule with its next run, each with a cancel button."""
    svc = common.services(context)
    service = get_runner(context.application).service
    schedules = await svc.announcements.active_schedules()
    if not schedules:
        await common.reply(update, context, "announce.list_empty")
        return
    lang = await common.language(update, context)
    zone = formats.zone(svc.config.timezone)
    await common.reply(update, context, "announce.list_header", zone=zone)
    for schedule in schedules:
        planned = service.next_run(schedule)
        keyboard = InlineKeyboardMarkup(
            [
                [
                    button(
                        context,
                        lang,
                        "announce.cancel_schedule_button",
                        ACT_CANCEL_SCHEDULE,
                        schedule.id,
                        id=schedule.id,
                    )
                ]
            ]
        )
        await common.reply(
            update,
            context,
            "announce.list_item",
            reply_markup=keyboard,
            id=schedule.id,
            audience=announce_audience.label(context, lang, schedule.audience),
            rule=Html(describe_rule(context, lang, service.rule(schedule))),
            next=(
                format_time(context, planned)
                if planned
                else common.text(context, "announce.list_no_next", lang)
            ),
            excerpt=_excerpt(schedule.text),
        )


async def cancel_schedule(update: Update, context: Context, argument: str) -> None:
    """The cancel button under a schedule in /scheduled."""
    schedule_id = callbacks.number(argument)
    if schedule_id is None:
        return
    if await common.services(context).announcements.cancel_schedule(schedule_id):
        get_runner(context.application).unschedule(schedule_id)
        await common.reply(update, context, "announce.schedule_cancelled", id=schedule_id)
    else:
        await common.reply(update, context, "announce.schedule_not_active", id=schedule_id)


async def _report_missed(
    application: AnyApplication, schedule: Schedule, missed: MissedRuns
) -> bool:
    """Missed runs are never skipped silently: the secretariat is told."""
    svc = get_services(application)
    context = CallbackContext(application)
    sent = await notify_admins(
        context,
        "announce.missed",
        id=schedule.id,
        excerpt=_excerpt(schedule.text),
        count=missed.count,
        first=svc.clock.moment(missed.first_planned),
        last=svc.clock.moment(missed.last_planned),
        zone=formats.zone(svc.config.timezone),
        grace=f"{svc.config.announcements.missed_run_grace_hours:g}",
    )
    return bool(sent)


def register(application: AnyApplication) -> None:
    """Wire /scheduled (its cancel button comes through /announce's buttons)."""
    private = tg_filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("scheduled", scheduled, private))
    on_reload(application, sync_knowledge_schedules)


async def on_startup(application: AnyApplication) -> None:
    """Recover interrupted broadcasts, apply the missed-run policy, register every schedule."""
    svc = get_services(application)

    async def report(broadcast: Broadcast, report: BroadcastReport) -> bool:
        return await broadcasts.report_broadcast(application, broadcast, report)

    async def report_missed(schedule: Schedule, missed: MissedRuns) -> bool:
        return await _report_missed(application, schedule, missed)

    async def report_started(broadcast: Broadcast) -> None:
        await broadcasts.report_started(application, broadcast)

    runner = BroadcastRunner(
        application,
        AnnouncementService(svc.announcements, svc.config, svc.clock.utcnow),
        SenderSettings(messages_per_second=svc.config.announcements.messages_per_second),
        report=report,
        report_missed=report_missed,
        report_started=report_started,
    )
    application.bot_data[RUNNER_KEY] = runner
    await runner.recover()
    await sync_knowledge_schedules(application)


async def sync_knowledge_schedules(application: AnyApplication) -> None:
    """Schedule the knowledge base's announcements and meeting reminders, by stable keys, and
    register every schedule's next run. Runs at start and after each /reload."""
    svc = get_services(application)
    runner = get_runner(application)
    found = definitions(svc.kb, svc.config, svc.texts, runner.service.now())
    for schedule_id in await runner.service.sync_definitions(found):
        runner.unschedule(schedule_id)
    await runner.schedule_all()
