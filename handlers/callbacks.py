"""Callback data of every inline button, in one place.

Telegram allows 1-64 *bytes* of callback data, so buttons carry short ASCII ids only, never
text: ``<prefix>:<action>[:<arg>...]``. Each feature owns one prefix.
"""

from __future__ import annotations

MENU = "m"  # main menu: m:<item>
LANG = "lang"  # language choice: lang:<code>
FAQ = "q"  # question answering: q:e:<entry id>, q:ask (send question to the secretariat)
CHARTER = "ch"  # charter browsing: ch:open:<lang>, ch:toc:<lang>, ch:c:<lang>:<chapter>, ...
MEETINGS = "mt"  # meetings: mt:list, mt:m:<id>, mt:ics:<id>
JOIN = "j"  # application form
REVIEW = "rv"  # admin review of applications
ANNOUNCE = "an"  # announcements and subscriptions
FORGET = "fg"  # erasing one's personal data
MEMBERS = "mb"  # admin tools for members: mb:r|y|n:<member number>
REGISTRATION = "rg"  # meeting registration: rg:go|ok|no|x|y|acc|dec:<meeting id>, rg:my
ATTENDEES = "at"  # admin lists of registrants: at:m:<meeting id>, at:csv:<meeting id>
FEEDBACK = "fb"  # after a meeting: fb:<meeting id>:<1-5>

MAX_BYTES = 64


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


def pattern(prefix: str) -> str:
    """A regular expression matching the callback data of one prefix."""
    return rf"^{prefix}(:|$)"
