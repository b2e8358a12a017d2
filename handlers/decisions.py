"""Carrying out what follows a membership decision, over Telegram, through the outbox.

The effects are named in :mod:`bot.membership.decisions`; each decision commits them with
itself, and :class:`bot.outbox.Outbox` runs them right after (``run``) and at every start.
An effect whose outcome is unknown after a crash (a message that may or may not have left)
is never repeated: the admins are told to check instead.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot import privacy
from bot.membership import decisions as effects
from bot.outbox import RetryLater
from bot.services import get_services
from bot.storage.membership import Application as MembershipApplication
from handlers import joinrequests, personal, review
from handlers import membership_view as view
from handlers.common import Context
from handlers.notify import notify_admins

log = logging.getLogger(__name__)

OUTBOX_JOB = "membership-outbox"


async def run(context: Context | Application) -> None:
    """Carry out the committed effects now (call right after a decision)."""
    await get_services(context).outbox.run_pending()


async def _send(application: Application, chat_id: int, text: str) -> bool:
    """Send once; False if the person blocked the bot or the chat is gone.

    A refused connection certainly sent nothing: retried later. A timeout may have sent
    it: raised, so the outbox records the outcome as unknown rather than risk a duplicate.
    """
    try:
        await application.bot.send_message(chat_id, text)
    except (Forbidden, BadRequest):
        return False
    except RetryAfter as exc:
        raise RetryLater(f"flood control, retry after {exc.retry_after}") from None
    except TimedOut:
        raise
    except NetworkError as exc:
        raise RetryLater(type(exc).__name__) from None
    return True


async def _application(application: Application, payload: dict[str, Any]):
    return await get_services(application).membership.get(int(payload["application_id"]))


async def _unreachable(
    application: Application, admin_chat_id: int, decided: MembershipApplication
) -> None:
    """Tell the deciding admin's chat that the applicant could not be messaged."""
    svc = get_services(application)
    await svc.users.set_reachable(decided.user_id, False)
    log.info("applicant of application %s could not be told", decided.id)
    lang = svc.texts.language(await svc.users.language_of(admin_chat_id))
    text = svc.texts.get("review.applicant_unreachable", lang, id=decided.id, email=decided.email)
    try:
        sent = await application.bot.send_message(admin_chat_id, text)
    except (Forbidden, BadRequest):
        log.warning("could not tell admin chat %s", admin_chat_id)
        return
    await personal.shown(application, sent, [decided.user_id])


def register_effects(application: Application) -> None:
    """Tell the outbox how to carry out each membership effect."""
    svc = get_services(application)
    outbox = svc.outbox

    async def submitted(payload: dict[str, Any]) -> None:
        submitted = await _application(application, payload)
        if submitted is not None and submitted.status == "pending":
            await review.announce(application, submitted)

    async def notices(payload: dict[str, Any]) -> None:
        decided = await _application(application, payload)
        card = payload.get("card")
        if decided is not None:
            await review.update_notices(application, decided, also=tuple(card) if card else None)

    async def admit(payload: dict[str, Any]) -> None:
        decided = await _application(application, payload)
        if decided is not None:
            await joinrequests.admit(application, decided.user_id)

    async def decline(payload: dict[str, Any]) -> None:
        decided = await _application(application, payload)
        if decided is not None:
            await joinrequests.decline(application, decided.user_id)

    async def welcome(payload: dict[str, Any]) -> None:
        decided = await _application(application, payload)
        if decided is None or decided.member_number is None:
            return  # erased meanwhile
        member = await svc.membership.member(decided.member_number)
        if member is None or not member.active:
            return
        lang = await review.applicant_language(application, decided)
        parts = [
            svc.texts.get(
                "review.to_applicant.approved",
                lang,
                id=decided.id,
                number=member.number,
                date=view.local_date(application, member.joined_at),
            )
        ]
        admin_chat = int(payload["admin_chat_id"])
        if await _admitted(application, decided):
            parts.append(svc.texts.get("review.to_applicant.join_approved", lang))
        elif svc.config.members_group_id is not None:
            link, error = await joinrequests.invite_link(application, member.number)
            if link:
                parts.append(svc.texts.get("review.to_applicant.invite", lang, link=link))
            else:
                admin_lang = svc.texts.language(await svc.users.language_of(admin_chat))
                await _tell(
                    application,
                    admin_chat,
                    svc.texts.get(
                        "review.invite_failed", admin_lang, number=member.number, error=error
                    ),
                )
        if not await _send(application, decided.chat_id, "\n\n".join(parts)):
            await _unreachable(application, admin_chat, decided)

    async def rejected(payload: dict[str, Any]) -> None:
        decided = await _application(application, payload)
        if decided is None:
            return
        lang = await review.applicant_language(application, decided)
        text = svc.texts.get(
            "review.to_applicant.rejected", lang, id=decided.id, reason=decided.reason or ""
        )
        if not await _send(application, decided.chat_id, text):
            await _unreachable(application, int(payload["admin_chat_id"]), decided)

    async def remove(payload: dict[str, Any]) -> None:
        member = await svc.membership.member(int(payload["member_number"]))
        if member is not None and member.user_id is not None and not member.active:
            await joinrequests.remove_from_group(application, member.user_id)

    async def revoked(payload: dict[str, Any]) -> None:
        member = await svc.membership.member(int(payload["member_number"]))
        if member is None or member.user_id is None or member.active:
            return
        lang = svc.texts.language(await svc.users.language_of(member.user_id))
        text = svc.texts.get(
            "members.revoked_notice",
            lang,
            number=member.number,
            association=view.association_name(application, lang),
        )
        if not await _send(application, member.user_id, text):
            log.info("could not tell former member %s", member.number)

    async def decline_person(payload: dict[str, Any]) -> None:
        await joinrequests.decline_chats(application, int(payload["user_id"]), payload["chats"])

    async def remove_person(payload: dict[str, Any]) -> None:
        await joinrequests.remove_from_group(application, int(payload["user_id"]))

    async def unknown(payload: dict[str, Any]) -> None:
        subject = payload.get("application_id") or payload.get("member_number")
        await notify_admins(application, "review.outcome_unknown", id=subject)

    outbox.register(effects.SUBMITTED, submitted, repeatable=False)
    outbox.register(effects.NOTICES, notices, repeatable=True)
    outbox.register(effects.ADMIT, admit, repeatable=True)
    outbox.register(effects.DECLINE, decline, repeatable=True)
    outbox.register(effects.REMOVE, remove, repeatable=True)
    outbox.register(effects.WELCOME, welcome, repeatable=False, on_unknown=unknown)
    outbox.register(effects.REJECTED, rejected, repeatable=False, on_unknown=unknown)
    outbox.register(effects.REVOKED, revoked, repeatable=False, on_unknown=unknown)
    outbox.register(privacy.DECLINE, decline_person, repeatable=True)
    outbox.register(privacy.REMOVE, remove_person, repeatable=True)


async def _admitted(application: Application, decided: MembershipApplication) -> bool:
    """Whether the ADMIT effect let the applicant into the group after this decision."""
    svc = get_services(application)
    return any(
        request.status == "approved"
        and request.decided_at is not None
        and decided.decided_at is not None
        and request.decided_at >= decided.decided_at
        for request in await svc.membership.join_requests_of(decided.user_id)
    )


async def _tell(application: Application, chat_id: int, text: str) -> None:
    try:
        await application.bot.send_message(chat_id, text)
    except (Forbidden, BadRequest):
        log.warning("could not tell admin chat %s", chat_id)


async def _tick(context: Context) -> None:
    await run(context)


async def on_startup(application: Application) -> None:
    """Replay what a crash left undone, then keep retrying what failed for a while."""
    outbox = get_services(application).outbox
    await outbox.recover()
    await outbox.run_pending()
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _tick,
            interval=timedelta(minutes=1),
            first=timedelta(minutes=1),
            name=OUTBOX_JOB,
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )


def register(application: Application) -> None:
    """Register the effects with the outbox (no Telegram handlers here)."""
    register_effects(application)
