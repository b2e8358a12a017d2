"""Reading scheduled announcements (``announcements:``) and checking their schedules with the
scheduler's own parser, so a schedule it would refuse is a ``file:line`` problem."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

from bot.kb.model import AUDIENCES, SCHEDULE_KINDS, WEEKDAYS, Announcement, Schedule
from bot.kb.nodes import NodeReader

_CRON_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12),
                ("weekday", 0, 7))
_CRON_NAMES = {
    "month": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
              "dec"),
    "weekday": ("sun", "mon", "tue", "wed", "thu", "fri", "sat"),
}


class ScheduleReader(NodeReader):
    """The section ``announcements``."""

    def section_announcements(self, node: yaml.Node) -> None:
        self.contents.announcements += self.each(node, "announcements", self.announcement)

    def announcement(self, node: yaml.Node) -> Announcement | None:
        items = self.mapping(node, "announcement", ("id", "text", "schedule", "audience"),
                             ("enabled",))
        if items is None or "id" not in items:
            return None
        announcement_id = self.ident(items["id"], "announcement")
        what = f"announcement '{announcement_id or '?'}'"
        text = self.text(items["text"], f"{what} text", placeholders=True) \
            if "text" in items else None
        schedule = self.schedule(items["schedule"], what) if "schedule" in items else None
        audience = self.string(items["audience"], f"{what} audience") \
            if "audience" in items else None
        if audience is not None and audience not in AUDIENCES:
            self.problem(items["audience"], f"{what}: audience '{audience}' is not one of "
                                            f"{', '.join(AUDIENCES)}")
        enabled = self.boolean(items["enabled"], f"{what} enabled") if "enabled" in items \
            else True
        if None in (announcement_id, text, schedule, audience, enabled):
            return None
        return Announcement(id=announcement_id, text=text, schedule=schedule, audience=audience,
                            where=self.where(node), enabled=enabled)

    def schedule(self, node: yaml.Node, what: str) -> Schedule | None:
        items = self.mapping(node, f"{what} schedule", (), SCHEDULE_KINDS)
        if items is None:
            return None
        if len(items) != 1:
            self.problem(node, f"{what} schedule needs exactly one of: {', '.join(SCHEDULE_KINDS)}")
            return None
        (kind, value), = items.items()
        where = f"{what} schedule {kind}"
        if kind == "once":
            at = self.when(value, where)
            if at is not None and not isinstance(at, datetime):
                self.problem(value, f"{where} needs a date and a time, e.g. \"2026-01-05 08:00\"")
                return None
            return Schedule(kind, at=at) if at is not None else None
        if kind == "daily":
            clock = self.clock(value, where)
            return Schedule(kind, time=clock) if clock is not None else None
        if kind == "cron":
            expression = self.string(value, where)
            if expression is None:
                return None
            error = cron_error(expression)
            if error:
                self.problem(value, f"{where}: {error}")
                return None
            return Schedule(kind, cron=" ".join(expression.split()))
        parts = self.mapping(value, where, ("day", "time"))
        if parts is None or len(parts) < 2:
            return None
        clock = self.clock(parts["time"], f"{where} time")
        if kind == "weekly":
            day_name = self.string(parts["day"], f"{where} day")
            if day_name is not None and day_name.lower()[:3] not in WEEKDAYS:
                self.problem(parts["day"], f"{where} day must be one of {', '.join(WEEKDAYS)}")
                return None
            if day_name is None or clock is None:
                return None
            return Schedule(kind, time=clock, weekday=WEEKDAYS.index(day_name.lower()[:3]))
        day = self.integer(parts["day"], f"{where} day", 1, 31)
        if day is None or clock is None:
            return None
        return Schedule(kind, time=clock, day=day)



def cron_error(expression: str) -> str | None:
    """Why a five-field cron expression is invalid, or None when it is valid."""
    fields = expression.split()
    if len(fields) != 5:
        return "a cron expression has five fields: minute hour day month weekday"
    for value, (name, low, high) in zip(fields, _CRON_FIELDS, strict=True):
        names = _CRON_NAMES.get(name, ())
        for item in value.lower().split(","):
            base, _, step = item.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                return f"bad step '{step}' in the {name} field"
            if base == "*":
                continue
            for bound in base.split("-", 1):
                number = names.index(bound) + low if bound in names else None
                if number is None and bound.isdigit():
                    number = int(bound)
                if number is None or not low <= number <= high:
                    return f"'{bound}' is not a valid {name} ({low}-{high})"
    return _scheduler_refuses(" ".join(fields))


def _scheduler_refuses(expression: str) -> str | None:
    """What the scheduler itself says of a cron line (``5-1 * * * *``, ``0 8 * * 7-1``), or
    that it never fires (``0 8 31 2 *``): checked here so the bot never fails at start."""
    from bot.announcements.schedule import Cron, RuleError  # the scheduler's own parser

    try:
        rule = Cron(expression, UTC)
    except RuleError as exc:
        return str(exc)
    if rule.next_after(datetime.now(UTC)) is None:
        return "this schedule never fires (no such date)"
    return None

