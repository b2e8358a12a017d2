"""A meeting's optional extras in ``meetings.yaml``: ``registration:``, ``coordinates:`` and
``map_url:``, read and checked with file:line problems like the rest of the folder.

    registration:
      opens: "2026-11-01 08:00"      # optional; default: open now
      closes: "2026-12-10 17:00"     # optional; default: when the meeting starts
      capacity: 40                   # optional; default: no limit
      members_only: true             # optional; default false (anyone may register)
      question: {vi: "...", en: "..."}   # optional, asked of each registrant
      offer_hours: 24                # how long a freed seat is offered (default 24)
      feedback: true                 # ask registrants for a 1-5 rating afterwards
    coordinates: "21.0285, 105.8542" # optional, for a map link in reminders
    map_url: "https://maps.app.goo.gl/..."   # optional, used as it is
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypedDict

import yaml

from bot.kb.model import Registration
from bot.kb.nodes import NodeReader

MEETING_EXTRAS = ("registration", "coordinates", "map_url")
REGISTRATION_KEYS = (
    "opens", "closes", "capacity", "members_only", "question", "offer_hours", "feedback"
)
MAX_OFFER_HOURS = 720.0


class MeetingExtras(TypedDict, total=False):
    """The extras a meeting's file gives, as keyword arguments of :class:`Meeting`."""

    registration: Registration | None
    coordinates: tuple[float, float] | None
    map_url: str | None


def _as_datetime(moment: date | datetime, *, end_of_day: bool) -> datetime:
    if isinstance(moment, datetime):
        return moment
    day = moment + timedelta(days=1) if end_of_day else moment
    return datetime.combine(day, time(0))


def _meeting_start(start: date | datetime) -> datetime:
    return _as_datetime(start, end_of_day=False)


def read_meeting_extras(
    reader: NodeReader, items: dict[str, yaml.Node], what: str, start: date | datetime
) -> MeetingExtras:
    """The extras of one meeting as keyword arguments of :class:`Meeting` (problems reported
    through ``reader``)."""
    extras: MeetingExtras = {}
    if "registration" in items:
        extras["registration"] = _registration(reader, items["registration"], what, start)
        meeting_id = items["id"].value if isinstance(items["id"], yaml.ScalarNode) else ""
        if "." in str(meeting_id):
            reader.problem(items["id"], f"{what}: an id with '.' cannot go into the "
                                        "registration link t.me/<bot>?start=reg-<id>")
    if "coordinates" in items:
        extras["coordinates"] = _coordinates(reader, items["coordinates"], what)
    if "map_url" in items:
        url = reader.string(items["map_url"], f"{what} map_url")
        if url is not None and not url.startswith(("https://", "http://")):
            reader.problem(items["map_url"], f"{what} map_url must start with https://")
        extras["map_url"] = url
    return extras


def _registration(
    reader: NodeReader, node: yaml.Node, what: str, start: date | datetime
) -> Registration | None:
    where = f"{what} registration"
    items = reader.mapping(node, where, (), REGISTRATION_KEYS)
    if items is None:
        return None
    opens = closes = None
    if "opens" in items:
        moment = reader.when(items["opens"], f"{where} opens")
        opens = None if moment is None else _as_datetime(moment, end_of_day=False)
    if "closes" in items:
        moment = reader.when(items["closes"], f"{where} closes")
        closes = None if moment is None else _as_datetime(moment, end_of_day=True)
    if opens is not None and closes is not None and closes <= opens:
        reader.problem(items["closes"], f"{where}: closes must be after opens")
    if closes is not None and closes > _meeting_start(start) + timedelta(days=1):
        reader.problem(items["closes"], f"{where}: closes after the meeting has started")
    capacity = (
        reader.integer(items["capacity"], f"{where} capacity", 1, 100_000)
        if "capacity" in items
        else None
    )
    members_only = (
        reader.boolean(items["members_only"], f"{where} members_only")
        if "members_only" in items
        else False
    )
    question = reader.text(items["question"], f"{where} question") if "question" in items else None
    offer_hours = _hours(reader, items["offer_hours"], where) if "offer_hours" in items else 24.0
    feedback = (
        reader.boolean(items["feedback"], f"{where} feedback") if "feedback" in items else False
    )
    return Registration(
        opens=opens,
        closes=closes,
        capacity=capacity,
        members_only=bool(members_only),
        question=question,
        offer_hours=offer_hours if offer_hours is not None else 24.0,
        feedback=bool(feedback),
    )


def _hours(reader: NodeReader, node: yaml.Node, where: str) -> float | None:
    value = None
    if isinstance(node, yaml.ScalarNode):
        try:
            value = float(node.value)
        except ValueError:
            value = None
    if value is None or not 0 < value <= MAX_OFFER_HOURS:
        reader.problem(
            node, f"{where} offer_hours must be a number of hours above 0, at most "
            f"{MAX_OFFER_HOURS:g}, got {node.value if isinstance(node, yaml.ScalarNode) else '?'!r}"
        )
        return None
    return value


def _coordinates(reader: NodeReader, node: yaml.Node, what: str) -> tuple[float, float] | None:
    raw = node.value if isinstance(node, yaml.ScalarNode) else ""
    pair = _two_numbers(raw)
    if pair is None or not (-90 <= pair[0] <= 90 and -180 <= pair[1] <= 180):
        reader.problem(node, f"{what} coordinates must be written \"latitude, longitude\", "
                             f"e.g. \"21.0285, 105.8542\", got {raw!r}")
        return None
    return pair


def _two_numbers(raw: object) -> tuple[float, float] | None:
    """``"21.0285, 105.8542"`` -> (21.0285, 105.8542); None unless two numbers."""
    try:
        first, second = (float(part) for part in str(raw).split(","))
    except ValueError:
        return None
    return first, second
