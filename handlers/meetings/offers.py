"""Seats freed on a meeting's waiting list: offered to the first in line for the meeting's
``offer_hours`` (a job at the expiry, a check on every press, and a 10-minute round), then
passed on. Part of the registration feature (handlers/meetings/registration.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.kb import Meeting
from bot.meetings.registration import RegistrationService
from bot.services import get_services
from bot.storage import utcnow
from bot.storage.registrations import Registration
from bot.tg.app import AnyApplication
from handlers.kit import callbacks
from handlers.kit.common import Context

log = logging.getLogger(__name__)

ACCEPT, DECLINE = "acc", "dec"
OFFER_JOB = "registration:offers"
SETTLE_EVERY = 600  # seconds


def _data(*parts: str) -> str:
    return callbacks.data(callbacks.REGISTRATION, *parts)


async def offer_seat(application: AnyApplication, meeting: Meeting, offer: Registration) -> None:
    """Tell the first on the waiting list that a seat is theirs if they accept in time."""
    svc = get_services(application)
    lang = svc.texts.language(offer.language)
    text = svc.texts.get(
        "registration.offer",
        lang,
        title=meeting.title.get(lang),
        expires=svc.clock.moment(offer.offer_expires_at),
    )
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(svc.texts.raw("registration.accept_button", lang),
                             callback_data=_data(ACCEPT, meeting.id)),
        InlineKeyboardButton(svc.texts.raw("registration.decline_button", lang),
                             callback_data=_data(DECLINE, meeting.id)),
    ]])
    try:
        await application.bot.send_message(offer.chat_id, text, reply_markup=keyboard)
    except TelegramError:
        log.warning("could not offer a seat of %s to %s", meeting.id, offer.user_id)
    _plan_expiry(application, offer.offer_expires_at)


def _plan_expiry(application: AnyApplication, when: datetime | None) -> None:
    if when is None or application.job_queue is None:
        return
    application.job_queue.run_once(
        _expiry_job, when, name=OFFER_JOB, job_kwargs={"misfire_grace_time": None}
    )


async def _expiry_job(context: Context) -> None:
    await expire_offers(context.application)


async def expire_offers(application: AnyApplication) -> None:
    """Offers past their time lose the seat, which goes to the next on the waiting list; any
    other free seat is offered too."""
    svc = get_services(application)
    kb = svc.kb
    service = RegistrationService(svc.registrations)
    expiry = await service.expire(kb, utcnow())
    local_now = svc.clock.now()
    offers = expiry.offers + await service.fill_free_seats(kb, local_now)
    for registration in expiry.expired:
        meeting = kb.meeting(registration.meeting_id)
        lang = svc.texts.language(registration.language)
        title = meeting.title.get(lang) if meeting else registration.meeting_id
        try:
            await application.bot.send_message(
                registration.chat_id, svc.texts.get("registration.offer_lapsed", lang, title=title)
            )
        except TelegramError:
            log.warning("could not tell %s their offer lapsed", registration.user_id)
    for offer in offers:
        meeting = kb.meeting(offer.meeting_id)
        if meeting is not None:
            await offer_seat(application, meeting, offer)


def plan_round(application: AnyApplication) -> None:
    """The repeating round: seats freed by /forget are offered; a lost expiry job is caught."""
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _expiry_job, SETTLE_EVERY, first=SETTLE_EVERY, name=OFFER_JOB,
            job_kwargs={"misfire_grace_time": None},
        )


async def plan_open_offers(application: AnyApplication) -> None:
    """A job at the expiry of every seat on offer now (jobs do not survive a restart)."""
    for offer in await get_services(application).registrations.open_offers():
        _plan_expiry(application, offer.offer_expires_at)
