"""Carrying out what follows a membership decision, over Telegram, through the outbox.

The effects are named in :mod:`bot.membership.decisions` (and, for the members' group after
an erasure, :mod:`bot.privacy`); each decision commits them with itself, and
:class:`bot.outbox.Outbox` runs them right after and at every start (``handlers/outbox.py``).
An effect whose outcome is unknown after a crash (a message that may or may not have left)
is never repeated: the admins are told to check instead.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import privacy
from bot.membership import decisions as effects
from bot.membership.applications import JoinRequestStatus, Status
from bot.outbox import RetryLater
from bot.services import get_services
from bot.storage.membership_records import Application as MembershipApplication
from bot.tg.app import AnyApplication
from handlers.kit import common, personal
from handlers.kit.notify import notify_admins
from handlers.membership import joinrequests, review, view

log = logging.getLogger(__name__)


async def _send(application: AnyApplication, chat_id: int, text: str) -> bool:
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


async def _application(
    application: AnyApplication, payload: dict[str, Any]
) -> MembershipApplication | None:
    return await get_services(application).membership.get(int(payload["application_id"]))


async def _unreachable(
    application: AnyApplication, admin_chat_id: int, decided: MembershipApplication
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


async def _submitted(application: AnyApplication, payload: dict[str, Any]) -> None:
    submitted = await _application(application, payload)
    if submitted is not None and submitted.status == Status.PENDING:
        await review.announce(application, submitted)


async def _notices(application: AnyApplication, payload: dict[str, Any]) -> None:
    decided = await _application(application, payload)
    card = payload.get("card")
    if decided is not None:
        await review.update_notices(application, decided, also=tuple(card) if card else None)


async def _admit(application: AnyApplication, payload: dict[str, Any]) -> None:
    decided = await _application(application, payload)
    if decided is not None:
        await joinrequests.admit(application, decided.user_id)


async def _decline(application: AnyApplication, payload: dict[str, Any]) -> None:
    decided = await _application(application, payload)
    if decided is not None:
        await joinrequests.decline(application, decided.user_id)


async def _welcome(application: AnyApplication, payload: dict[str, Any]) -> None:
    svc = get_services(application)
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
            date=common.local_date(application, member.joined_at),
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


async def _rejected(application: AnyApplication, payload: dict[str, Any]) -> None:
    svc = get_services(application)
    decided = await _application(application, payload)
    if decided is None:
        return
    lang = await review.applicant_language(application, decided)
    text = svc.texts.get(
        "review.to_applicant.rejected", lang, id=decided.id, reason=decided.reason or ""
    )
    if not await _send(application, decided.chat_id, text):
        await _unreachable(application, int(payload["admin_chat_id"]), decided)


async def _remove(application: AnyApplication, payload: dict[str, Any]) -> None:
    svc = get_services(application)
    member = await svc.membership.member(int(payload["member_number"]))
    if member is not None and member.user_id is not None and not member.active:
        await joinrequests.remove_from_group(application, member.user_id)


async def _revoked(application: AnyApplication, payload: dict[str, Any]) -> None:
    svc = get_services(application)
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


async def _decline_person(application: AnyApplication, payload: dict[str, Any]) -> None:
    await joinrequests.decline_chats(application, int(payload["user_id"]), payload["chats"])


async def _remove_person(application: AnyApplication, payload: dict[str, Any]) -> None:
    await joinrequests.remove_from_group(application, int(payload["user_id"]))


async def _card_unknown(application: AnyApplication, payload: dict[str, Any]) -> None:
    """The card of a new application may not have reached the secretariat: point to /pending."""
    submitted = await _application(application, payload)
    if submitted is not None and submitted.status == Status.PENDING:
        await notify_admins(application, "review.card_unknown", id=submitted.id)


async def _unknown(application: AnyApplication, payload: dict[str, Any]) -> None:
    subject = payload.get("application_id") or payload.get("member_number")
    await notify_admins(application, "review.outcome_unknown", id=subject)


def register_effects(application: AnyApplication) -> None:
    """Tell the outbox how to carry out each membership effect."""
    outbox = get_services(application).outbox
    unknown = partial(_unknown, application)
    # Repeatable: doing them twice changes nothing, so an interrupted one is simply redone.
    for name, run in [
        (effects.NOTICES, _notices),
        (effects.ADMIT, _admit),
        (effects.DECLINE, _decline),
        (effects.REMOVE, _remove),
        (privacy.DECLINE, _decline_person),
        (privacy.REMOVE, _remove_person),
    ]:
        outbox.register(name, partial(run, application), repeatable=True)
    # A message: interrupted means "unknown", and the admins are told to check.
    for name, run in [
        (effects.WELCOME, _welcome),
        (effects.REJECTED, _rejected),
        (effects.REVOKED, _revoked),
    ]:
        outbox.register(name, partial(run, application), repeatable=False, on_unknown=unknown)
    outbox.register(
        effects.SUBMITTED,
        partial(_submitted, application),
        repeatable=False,
        on_unknown=partial(_card_unknown, application),
    )


async def _admitted(application: AnyApplication, decided: MembershipApplication) -> bool:
    """Whether the ADMIT effect let the applicant into the group after this decision."""
    svc = get_services(application)
    return any(
        request.status == JoinRequestStatus.APPROVED
        and request.decided_at is not None
        and decided.decided_at is not None
        and request.decided_at >= decided.decided_at
        for request in await svc.membership.join_requests_of(decided.user_id)
    )


async def _tell(application: AnyApplication, chat_id: int, text: str) -> None:
    try:
        await application.bot.send_message(chat_id, text)
    except (Forbidden, BadRequest):
        log.warning("could not tell admin chat %s", chat_id)


def register(application: AnyApplication) -> None:
    """Register the effects with the outbox (no Telegram handlers here)."""
    register_effects(application)
