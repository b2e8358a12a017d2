"""An application's life cycle, and the member it may become.

    pending --approve--> approved (a member record is created)
    pending --reject---> rejected (with the admin's reason)
    pending --withdraw-> withdrawn (by the applicant)

Decided applications never change again: a second decision on the same application is
refused, which is what turns two admins pressing Approve at once into one decision.
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


class Kind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


def can_change(current: Status | str, new: Status | str) -> bool:
    """Whether an application in ``current`` may move to ``new``."""
    return Status(new) in TRANSITIONS[Status(current)]


def is_closed(status: Status | str) -> bool:
    """A decided or withdrawn application: the applicant may apply again (unless a member)."""
    return Status(status) is not Status.PENDING
