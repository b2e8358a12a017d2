"""Callback data of every inline button, in one place.

Telegram allows 1-64 *bytes* of callback data, so buttons carry short ASCII ids only, never
text: ``<prefix>:<action>[:<arg>...]``. Each feature owns one prefix.
"""

from __future__ import annotations

import re

MENU = "m"  # main menu: m:<item>
LANG = "lang"  # language choice: lang:<code>
FAQ = "q"  # question answering: q:e:<entry id>, q:ask (send question to the secretariat)
FAQ_ENTRY = "e"  # q:e:<item id>: show that knowledge item (any feature's buttons may)
CHARTER = "ch"  # charter browsing: ch:open:<lang>, ch:toc:<lang>, ch:c:<lang>:<chapter>, ...
MEETINGS = "mt"  # meetings: mt:list, mt:m:<id>, mt:ics:<id>
JOIN = "j"  # application form
REVIEW = "rv"  # admin review of applications
ANNOUNCE = "an"  # announcements and subscriptions
FORGET = "fg"  # erasing one's personal data
MEMBERS = "mb"  # admin tools for members: mb:r|y|n:<member number>
# Teaching the bot (handlers/teach.py): tc:q:<question id> opens the teach card (on question
# notices and /unanswered), tc:l:<question id>:<item id>, tc:s|n|k:<question id>, tc:u:<lesson>.
TEACH = "tc"
TEACH_OPEN = "q"

# The feature each prefix belongs to, as the per-update log line names it.
FEATURES = {
    MENU: "menu",
    LANG: "language",
    FAQ: "questions",
    CHARTER: "charter",
    MEETINGS: "meetings",
    JOIN: "join",
    REVIEW: "review",
    ANNOUNCE: "announcements",
    FORGET: "forget",
    MEMBERS: "members",
}
REGISTRATION = "rg"  # meeting registration: rg:go|ok|no|x|y|acc|dec:<meeting id>, rg:my
ATTENDEES = "at"  # admin lists of registrants: at:m:<meeting id>, at:csv:<meeting id>
FEEDBACK = "fb"  # after a meeting: fb:<meeting id>:<1-5>

MAX_BYTES = 64
# A number in callback data: ASCII digits only ("²" or "١" pass str.isdigit() but not int()).
_NUMBER = re.compile(r"[0-9]{1,18}")


def data(prefix: str, *parts: object) -> str:
    """Build callback data, refusing anything Telegram would reject."""
    value = ":".join((prefix, *(str(part) for part in parts)))
    if len(value.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {value!r}")
    return value


def parse(value: str | None) -> list[str]:
    """Split callback data into its prefix and parts."""
    return (value or "").split(":")


def part(value: str | None, index: int) -> str:
    """The ``index``-th part of callback data (0 is the prefix), or "" if there is none."""
    parts = parse(value)
    return parts[index] if index < len(parts) else ""


def number(value: str | None) -> int | None:
    """A part of callback data read as a whole number; None unless it is 1-18 ASCII digits."""
    return int(value) if value is not None and _NUMBER.fullmatch(value) else None


def number_part(value: str | None, index: int) -> int | None:
    """The ``index``-th part of callback data as a whole number, or None (see :func:`number`)."""
    return number(part(value, index))


def pattern(prefix: str) -> str:
    """A regular expression matching the callback data of one prefix."""
    return rf"^{prefix}(:|$)"
