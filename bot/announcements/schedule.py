"""When announcements go out: recurrence rules, next run times and the missed-run policy.

A rule is stored as a short text (its ``spec``): ``once 2026-12-25T01:00:00+00:00``,
``daily 08:00``, ``weekly mon 08:00``, ``monthly 31 08:00`` or ``cron 0 8 * * 1``. Wall-clock
rules are read in the association's time zone, so "08:00" stays 08:00 across DST changes
where the zone has them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from apscheduler.triggers.cron import CronTrigger

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order
# Standard crontab numbers the week from Sunday (0 and 7); APScheduler 3 from Monday.
_CRON_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")

# Safety bound when walking a rule over a long downtime (a one-minute cron over months).
MAX_RUNS_WALKED = 100_000


class RuleError(ValueError):
    """A rule or a typed date/time that cannot be understood. ``problem`` says what, when it
    was read but is impossible: ``NO_SUCH_DAY`` (31/02), ``NO_SUCH_TIME`` (25:00)."""

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem


NO_SUCH_DAY, NO_SUCH_TIME = "no_such_day", "no_such_time"


class Rule(Protocol):
    @property
    def kind(self) -> str:
        """once, daily, weekly, monthly or cron."""

    @property
    def spec(self) -> str:
        """The rule as stored."""

    @property
    def recurring(self) -> bool:
        """Whether the rule fires more than once."""

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment``, or None when there is none."""


def _clock_time(at: time) -> str:
    """``08:00``, or ``08:00:30`` for a time with seconds (knowledge-base files may give them)."""
    return f"{at:%H:%M:%S}" if at.second else f"{at:%H:%M}"


def at_local(day: date, at: time, tz: tzinfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``tz``; a time skipped by a DST jump moves forward."""
    naive = datetime.combine(day, at)
    moment = naive.replace(tzinfo=tz)
    # Round-tripping through UTC turns a non-existent wall time into a real one.
    return moment.astimezone(UTC).astimezone(tz)


@dataclass(frozen=True)
class Once:
    at: datetime
    kind: str = "once"

    @property
    def spec(self) -> str:
        return f"once {self.at.astimezone(UTC).isoformat(timespec='seconds')}"

    @property
    def recurring(self) -> bool:
        return False

    def next_after(self, moment: datetime) -> datetime | None:
        return self.at if self.at > moment else None


@dataclass(frozen=True)
class Daily:
    at: time
    tz: tzinfo
    kind: str = "daily"

    @property
    def spec(self) -> str:
        return f"daily {_clock_time(self.at)}"

    @property
    def recurring(self) -> bool:
        return True

    def next_after(self, moment: datetime) -> datetime | None:
        day = moment.astimezone(self.tz).date()
        while True:
            candidate = at_local(day, self.at, self.tz)
            if candidate > moment:
                return candidate
            day += timedelta(days=1)


@dataclass(frozen=True)
class Weekly:
    weekday: int  # 0 = Monday
    at: time
    tz: tzinfo
    kind: str = "weekly"

    @property
    def spec(self) -> str:
        return f"weekly {WEEKDAYS[self.weekday]} {_clock_time(self.at)}"

    @property
    def recurring(self) -> bool:
        return True

    def next_after(self, moment: datetime) -> datetime | None:
        day = moment.astimezone(self.tz).date()
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        while True:
            candidate = at_local(day, self.at, self.tz)
            if candidate > moment:
                return candidate
            day += timedelta(days=7)


@dataclass(frozen=True)
class Monthly:
    """On a day of the month; in shorter months a day past the end means the last day."""

    day: int
    at: time
    tz: tzinfo
    kind: str = "monthly"

    @property
    def spec(self) -> str:
        return f"monthly {self.day} {_clock_time(self.at)}"

    @property
    def recurring(self) -> bool:
        return True

    def next_after(self, moment: datetime) -> datetime | None:
        local = moment.astimezone(self.tz)
        year, month = local.year, local.month
        while True:
            last = calendar.monthrange(year, month)[1]
            candidate = at_local(date(year, month, min(self.day, last)), self.at, self.tz)
            if candidate > moment:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _cron_weekdays(field: str) -> str:
    """A crontab day-of-week field (0 and 7 = Sunday) as APScheduler day names."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for item in field.lower().split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if (step_text and not step_text.isdigit()) or step < 1:
            raise RuleError(f"bad day-of-week step: {item!r}")
        if body == "*":
            low, high = 0, 6
        else:
            low_text, _, high_text = body.partition("-")
            low = _cron_day_number(low_text)
            high = _cron_day_number(high_text) if high_text else (6 if step_text else low)
        if high < low:
            raise RuleError(f"bad day-of-week range: {item!r}")
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_CRON_DAY_NAMES[day] for day in sorted(days))


def _cron_day_number(text: str) -> int:
    if text in _CRON_DAY_NAMES:
        return _CRON_DAY_NAMES.index(text)
    if text.isdigit() and 0 <= int(text) <= 7:
        return int(text)
    raise RuleError(f"bad day of week: {text!r}")


@dataclass(frozen=True)
class Cron:
    """A standard 5-field crontab expression (minute hour day month weekday).

    As in cron, when both the day of the month and the day of the week are restricted, a
    day matching either one fires.
    """

    expression: str
    tz: tzinfo
    kind: str = "cron"

    def __post_init__(self) -> None:
        self._triggers()  # validate now, not at the first run

    def _triggers(self) -> list[CronTrigger]:
        fields = self.expression.split()
        if len(fields) != 5:
            raise RuleError("a cron expression has 5 fields: minute hour day month weekday")
        minute, hour, day, month, weekday = fields
        try:
            weekdays = _cron_weekdays(weekday)

            def make(days: str, week: str) -> CronTrigger:
                return CronTrigger(
                    minute=minute,
                    hour=hour,
                    day=days,
                    month=month,
                    day_of_week=week,
                    timezone=self.tz,
                )

            if day != "*" and weekdays != "*":
                return [make(day, "*"), make("*", weekdays)]
            return [make(day, weekdays)]
        except RuleError:
            raise
        except ValueError:
            raise RuleError(_refusal(fields)) from None

    @property
    def spec(self) -> str:
        return f"cron {self.expression}"

    @property
    def recurring(self) -> bool:
        return True

    def next_after(self, moment: datetime) -> datetime | None:
        start = moment + timedelta(microseconds=1)
        times = [t.get_next_fire_time(None, start) for t in self._triggers()]
        found = [t for t in times if t is not None]
        return min(found) if found else None


_CRON_FIELDS = (("minute", "minute"), ("hour", "hour"), ("day", "day"), ("month", "month"),
                ("weekday", "day_of_week"))


def _refusal(fields: list[str]) -> str:
    """The scheduler's own complaint about a cron line, naming the field it is about."""
    for (name, argument), value in zip(_CRON_FIELDS, fields, strict=True):
        try:
            CronTrigger(**{argument: _cron_weekdays(value) if name == "weekday" else value})
        except ValueError as exc:
            return f"the {name} field: {exc}"
    return "bad cron expression"


def cron_problem(expression: str) -> str | None:
    """Why the scheduler would refuse a five-field cron line, or that it never fires (as
    ``0 8 31 2 *``); None when it is fine. Every cron line the bot reads is checked here."""
    try:
        rule = Cron(" ".join(expression.split()), UTC)
    except RuleError as exc:
        return str(exc)
    if rule.next_after(datetime.now(UTC)) is None:
        return "this schedule never fires (no such date)"
    return None


def parse_rule(spec: str, tz: tzinfo) -> Rule:
    """Read a stored rule."""
    kind, _, rest = spec.strip().partition(" ")
    rest = rest.strip()
    if kind == "once":
        try:
            when = datetime.fromisoformat(rest)
        except ValueError:
            raise RuleError(f"bad date and time: {rest!r}") from None
        if when.tzinfo is None:
            raise RuleError("a stored time needs its UTC offset")
        return Once(when.astimezone(tz))
    if kind == "daily":
        return Daily(parse_time(rest), tz)
    if kind == "weekly":
        day, _, at = rest.partition(" ")
        if day not in WEEKDAYS:
            raise RuleError(f"bad weekday: {day!r}")
        return Weekly(WEEKDAYS.index(day), parse_time(at), tz)
    if kind == "monthly":
        day_of_month, at_time = parse_monthly(rest)
        return Monthly(day_of_month, at_time, tz)
    if kind == "cron":
        return Cron(" ".join(rest.split()), tz)
    raise RuleError(f"unknown rule: {spec!r}")


_TIME = re.compile(r"^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})(?::(\d{2}))?\s*$")
_DATETIME = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s+(.+)$")


def parse_time(text: str) -> time:
    """A wall-clock time typed as ``08:00`` (also ``8:00``, ``8h00``, ``08:00:30``)."""
    match = _TIME.match(text)
    if not match:
        raise RuleError(f"bad time: {text!r}")
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise RuleError(f"bad time: {text!r}", NO_SUCH_TIME)
    return time(hour, minute, second)


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """A date and time typed as ``25/12/2026 08:00`` (day first), in the association's zone."""
    match = _DATETIME.match(text)
    if not match:
        raise RuleError(f"bad date and time: {text!r}")
    day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    at = parse_time(match.group(4))
    try:
        return at_local(date(year, month, day), at, tz)
    except ValueError:
        raise RuleError(f"bad date: {text!r}", NO_SUCH_DAY) from None


def parse_monthly(text: str) -> tuple[int, time]:
    """A day of the month and a time, typed as ``15 08:00``."""
    day_text, _, at = text.strip().partition(" ")
    if not day_text.isdigit() or not 1 <= int(day_text) <= 31:
        raise RuleError(f"bad day of the month: {day_text!r}")
    return int(day_text), parse_time(at)


def upcoming(rule: Rule, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` runs strictly after ``after``."""
    runs: list[datetime] = []
    moment: datetime | None = after
    while moment is not None and len(runs) < count:
        moment = rule.next_after(moment)
        if moment is not None:
            runs.append(moment)
    return runs


def busiest_day(rule: Rule, after: datetime, tz: tzinfo, days: int = 7) -> int:
    """The most runs on one day (association's time) over the next ``days`` days: above 1,
    the schedule sends more often than daily. Counting stops at one run a minute."""
    end = after + timedelta(days=days)
    per_day: dict[date, int] = {}
    moment = rule.next_after(after)
    while moment is not None and moment < end:
        day = moment.astimezone(tz).date()
        per_day[day] = per_day.get(day, 0) + 1
        if per_day[day] >= 24 * 60:
            break
        moment = rule.next_after(moment)
    return max(per_day.values(), default=0)


@dataclass(frozen=True)
class DueRuns:
    """What to do with the runs of a schedule that fell due while nobody was watching.

    ``send`` is the one run to deliver now (the latest, if it is recent enough); every other
    due run is missed and must be reported. ``anchor`` is the new "handled up to" time.
    """

    send: datetime | None
    missed_count: int
    first_missed: datetime | None
    last_missed: datetime | None
    anchor: datetime

    @property
    def nothing(self) -> bool:
        return self.send is None and self.missed_count == 0


def due_runs(rule: Rule, anchor: datetime, now: datetime, grace: timedelta) -> DueRuns:
    """Apply the missed-run policy to the runs planned after ``anchor`` and up to ``now``.

    Only the latest due run can be sent, and only if it is at most ``grace`` old: a reminder
    repeated for every day the bot was down helps nobody. Older runs are reported as missed,
    never dropped silently and never sent twice (the caller moves the anchor past them).
    """
    count = 0
    first: datetime | None = None
    latest: datetime | None = None
    before_latest: datetime | None = None
    moment: datetime | None = anchor
    while count < MAX_RUNS_WALKED:
        moment = rule.next_after(moment) if moment is not None else None
        if moment is None or moment > now:
            break
        count += 1
        first = first or moment
        before_latest, latest = latest, moment
    if latest is None:
        return DueRuns(None, 0, None, None, anchor)
    if count >= MAX_RUNS_WALKED:
        # Past the safety bound everything up to now counts as handled (reported as missed).
        return DueRuns(None, count, first, latest, now)
    if now - latest <= grace:
        missed = count - 1
        return DueRuns(latest, missed, first if missed else None, before_latest, latest)
    return DueRuns(None, count, first, latest, latest)
