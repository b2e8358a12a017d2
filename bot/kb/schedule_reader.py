"""Reading scheduled announcements (``announcements:``) and checking their schedules with the
scheduler's own parser, so a schedule it would refuse is a ``file:line`` problem."""

from __future__ import annotations

from datetime import datetime

import yaml

from bot.announcements.schedule import cron_problem
from bot.kb.model import AUDIENCES, SCHEDULE_KINDS, WEEKDAYS, Announcement, Schedule
from bot.kb.nodes import NodeReader


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
        if (announcement_id is None or text is None or schedule is None or audience is None
                or enabled is None):
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
            error = cron_problem(expression)  # the scheduler's own parser
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
