"""What follows each membership decision, as outbox effects (see :mod:`bot.outbox`).

The decision and these effects commit in one transaction; ``handlers/decisions.py`` carries
them out over Telegram. Payloads hold ids only: the effect reads the current state.
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
WELCOME = "application.welcome"  # tell the new member (with an invite link if needed)
REJECTED = "application.rejected"  # tell the applicant the reason
REVOKED = "member.revoked"  # tell the former member


def after_approval(application_id: int, admin_chat_id: int) -> list[Effect]:
    """Update the admins' copies, let the member into the group, welcome them."""
    ids = {"application_id": application_id}
    return [
        (NOTICES, ids),
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
