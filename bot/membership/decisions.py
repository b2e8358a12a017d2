"""What follows each membership decision, as outbox effects (see :mod:`bot.outbox`).

The decision and these effects commit in one transaction (:mod:`bot.membership.service`);
the membership feature's Telegram glue (``handlers/membership/effects.py``) carries them
out. Payloads hold ids only: the effect reads the current state.
Subscribing a new member to announcements is not an effect: it is part of the decision's
own transaction.
"""

from __future__ import annotations

from bot.storage.outbox import Effect

# Repeatable: doing them twice changes nothing, so an interrupted one is simply redone.
NOTICES = "application.notices"  # show the outcome on every admin's copy of the card
ADMIT = "group.admit"  # approve the applicant's pending request to join the members' group
DECLINE = "group.decline"  # decline it
REMOVE = "group.remove"  # take a former member out of the members' group
# Not repeatable (a message sent twice is a duplicate): interrupted means "unknown".
SUBMITTED = "application.submitted"  # send the new application's card to the secretariat
WELCOME = "application.welcome"  # tell the new member (with an invite link if needed)
REJECTED = "application.rejected"  # tell the applicant the reason
REVOKED = "member.revoked"  # tell the former member


def after_submission(application_id: int) -> list[Effect]:
    """Show the new application to the secretariat."""
    return [(SUBMITTED, {"application_id": application_id})]


def _notices(ids: dict[str, int], card: tuple[int, int] | None) -> Effect:
    """NOTICES, also on ``card`` (chat id, message id): the card an admin pressed, which may
    be one opened from /pending rather than one of the copies."""
    return (NOTICES, {**ids, "card": list(card)} if card is not None else ids)


def after_approval(
    application_id: int, admin_chat_id: int, card: tuple[int, int] | None = None
) -> list[Effect]:
    """Update the admins' copies, let the member into the group, welcome them."""
    ids = {"application_id": application_id}
    return [
        _notices(ids, card),
        (ADMIT, ids),
        (WELCOME, {**ids, "admin_chat_id": admin_chat_id}),
    ]


def after_rejection(application_id: int, admin_chat_id: int) -> list[Effect]:
    """Update the admins' copies, decline a join request, tell the applicant why."""
    ids = {"application_id": application_id}
    return [
        (NOTICES, ids),
        (DECLINE, ids),
        (REJECTED, {**ids, "admin_chat_id": admin_chat_id}),
    ]


def after_withdrawal(application_id: int) -> list[Effect]:
    """Decline a join request, update the admins' copies."""
    ids = {"application_id": application_id}
    return [(DECLINE, ids), (NOTICES, ids)]


def after_revocation(member_number: int) -> list[Effect]:
    """Take the former member out of the group and tell them."""
    ids = {"member_number": member_number}
    return [(REMOVE, ids), (REVOKED, ids)]
