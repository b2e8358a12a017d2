"""Announcement schedules and their runs: what to send when, decided without Telegram.

Every announcement is a schedule: "send now" is a one-off schedule due at once, so a send
confirmed twice, or again after a crash, is still one schedule (its key) and one run (the
unique schedule + planned time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.announcements.schedule import Rule, due_runs, parse_rule
from bot.config import Config
from bot.storage import utcnow
from bot.storage.announcements import (
    RESEND,
    SUBSCRIBERS,
    UNKNOWN,
    AnnouncementRepository,
    Broadcast,
    Schedule,
    ScheduleStatus,
)
from bot.storage.audiences import is_chosen_in_sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Definition:
    """An announcement defined in the knowledge base (or a meeting reminder)."""

    key: str
    text: str
    rule: Rule
    audience: str = SUBSCRIBERS
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Recovery:
    """What start-up found: broadcasts to send now, runs missed while down."""

    broadcasts: list[Broadcast]
    unknown: int
    missed: int


@dataclass(frozen=True)
class Fired:
    """What became of one planned run when its time came."""

    broadcast: Broadcast | None = None
    missed: bool = False


class AnnouncementService:
    """Creates schedules, turns due runs into broadcasts and applies the missed-run policy."""

    def __init__(
        self,
        repo: AnnouncementRepository,
        config: Config,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.repo = repo
        self.config = config
        self._clock = clock

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.config.announcements.missed_run_grace_hours)

    def now(self) -> datetime:
        """The current time, to the second (times are stored to the second)."""
        return self._clock().replace(microsecond=0)

    def rule(self, schedule: Schedule) -> Rule:
        """A schedule's rule in the association's time zone."""
        return parse_rule(schedule.rule, self.config.tz)

    def next_run(self, schedule: Schedule) -> datetime | None:
        """When the schedule runs next (its first run not yet handled)."""
        return self.rule(schedule).next_after(schedule.anchor_at)

    def recipients(self, schedule: Schedule) -> list[int] | None:
        """The chats of an explicit audience; None for audiences chosen from the users."""
        if is_chosen_in_sql(schedule.audience):
            return None
        chat = {
            "group": self.config.members_group_id,
            "channel": self.config.announcements.chat_id,
            "test": schedule.created_by,
        }.get(schedule.audience)
        return [chat] if chat is not None else []

    async def create(
        self,
        *,
        key: str,
        text: str,
        entities: Sequence[dict[str, Any]],
        audience: str,
        rule: Rule,
        created_by: int | None,
    ) -> tuple[Schedule, bool]:
        """Create a schedule once per key; return it and whether it is new."""
        now = self.now()
        # The anchor is just before now, so a one-off "now" run is due, even after a crash.
        return await self.repo.add_schedule(
            key=key,
            text=text,
            entities=entities,
            audience=audience,
            rule=rule.spec,
            created_by=created_by,
            now=now,
            anchor=now - timedelta(seconds=1),
        )

    async def begin_run(self, schedule: Schedule, planned_at: datetime) -> Broadcast | None:
        """Record a run and its recipients; None if it was recorded before."""
        rule = self.rule(schedule)
        chat_ids = self.recipients(schedule)
        if schedule.audience == RESEND:
            earlier = int(schedule.key.rpartition(":")[2])
            chat_ids = [chat for chat, _, _ in await self.repo.recipients_in(earlier, UNKNOWN)]
        return await self.repo.start_run(
            schedule.id,
            planned_at,
            chat_ids=chat_ids,
            requested_by=schedule.created_by,
            done=rule.next_after(planned_at) is None,
            now=self.now(),
        )

    async def fire(self, schedule_id: int, planned_at: datetime) -> Fired:
        """A planned run's time has come: start it, or record it missed if it is too late."""
        schedule = await self.repo.get_schedule(schedule_id)
        active = schedule is not None and schedule.status == ScheduleStatus.ACTIVE
        if schedule is None or not active or planned_at <= schedule.anchor_at:
            return Fired()  # cancelled, or this run was already handled
        now = self.now()
        if now - planned_at > self.grace:
            await self.repo.record_missed(
                schedule.id,
                count=1,
                first=planned_at,
                last=planned_at,
                anchor=planned_at,
                done=self.rule(schedule).next_after(planned_at) is None,
                now=now,
            )
            return Fired(missed=True)
        return Fired(broadcast=await self.begin_run(schedule, planned_at))

    async def recover(self) -> Recovery:
        """At start: settle interrupted sends, apply the missed-run policy, find what to send."""
        unknown = await self.repo.interrupted_to_unknown()
        if unknown:
            log.warning("%d sends were interrupted by a crash: counted as unknown", unknown)
        broadcasts = await self.repo.unfinished_broadcasts()
        now = self.now()
        missed = 0
        for schedule in await self.repo.active_schedules():
            rule = self.rule(schedule)
            due = due_runs(rule, schedule.anchor_at, now, self.grace)
            if due.missed_count:
                assert due.first_missed is not None and due.last_missed is not None
                missed += due.missed_count
                await self.repo.record_missed(
                    schedule.id,
                    count=due.missed_count,
                    first=due.first_missed,
                    last=due.last_missed,
                    anchor=due.last_missed if due.send else due.anchor,
                    done=due.send is None and rule.next_after(due.anchor) is None,
                    now=now,
                )
            if due.send is not None:
                started = await self.begin_run(schedule, due.send)
                if started is not None:
                    broadcasts.append(started)
        return Recovery(broadcasts=broadcasts, unknown=unknown, missed=missed)

    async def sync_definitions(self, definitions: Sequence[Definition]) -> list[int]:
        """Make the knowledge base's schedules match ``definitions``, keyed by stable ids.

        Returns the ids of schedules cancelled because their definition disappeared. A one-off
        definition already in the past is not created (it is not "missed": it never existed).
        """
        now = self.now()
        keep = []
        for definition in definitions:
            existing = await self.repo.schedule_by_key(definition.key)
            if existing is None and definition.rule.next_after(now) is None:
                continue
            keep.append(definition.key)
            await self.repo.sync_schedule(
                key=definition.key,
                text=definition.text,
                entities=definition.entities,
                audience=definition.audience,
                rule=definition.rule.spec,
                now=now,
            )
        return await self.repo.retire_knowledge_schedules(keep)
