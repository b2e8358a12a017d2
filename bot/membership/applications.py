"""An application's life cycle, and the member it may become.

    pending --approve--> approved (a member record is created)
    pending --reject---> rejected (with the admin's reason)
    pending --withdraw-> withdrawn (by the applicant)

Decided applications never change again: a second decision on the same application is
refused (the conditional UPDATE in ``bot/storage/membership.py``), which is what turns two
admins pressing Approve at once into one decision.
"""

from __future__ import annotations

from enum import StrEnum

# The consent text's version: raise it whenever ``join.consent`` changes in the catalog, so
# each application records exactly which wording the applicant agreed to.
CONSENT_VERSION = "2025-12-01"

# How long personal data is kept once it is no longer needed (see README, data retention).
CLOSED_APPLICATION_RETENTION_DAYS = 90
ABANDONED_FORM_RETENTION_DAYS = 30


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"  # by an admin, or at the person's request (then without a name)


class JoinRequestStatus(StrEnum):
    """A request to join the members' group, as the bot decided it."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    FAILED = "failed"  # Telegram refused (expired, withdrawn): an invite link will do


class Kind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"

