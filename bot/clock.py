"""The time as the association reads it: its zone, the current moment, and how a moment is written.

Every "now" of the bot comes from a :class:`Clock` (``Services.clock``), so a test can stop
the time or move it. Every date a member reads is written here, in the association's zone:
dd/mm/yyyy and dd/mm/yyyy HH:MM in both languages (docs/voice.md); ``bot.texts.formats``
re-exports :func:`day` and :func:`moment` beside the other value formats.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The association's zone unless config.yaml names another (config key ``timezone``).
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``; ValueError when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def day(moment: date | datetime, tz: tzinfo | None = None) -> str:
    """A date as dd/mm/yyyy (both languages); an aware datetime is first put in ``tz``."""
    if isinstance(moment, datetime):
        if tz is not None and moment.tzinfo is not None:
            moment = moment.astimezone(tz)
        moment = moment.date()
    return f"{moment:%d/%m/%Y}"


def moment(value: datetime, tz: tzinfo | None = None) -> str:
    """A date and 24-hour time, dd/mm/yyyy HH:MM; an aware datetime is put in ``tz``."""
    if tz is not None and value.tzinfo is not None:
        value = value.astimezone(tz)
    return f"{value:%d/%m/%Y %H:%M}"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Clock:
    """The current time in the association's zone, and dates written in that zone."""

    def __init__(self, tz: tzinfo, source: Callable[[], datetime] = _utcnow) -> None:
        self.tz = tz
        self._source = source

    def now(self) -> datetime:
        """This moment, aware, in the association's zone."""
        return self._source().astimezone(self.tz)

    def utcnow(self) -> datetime:
        """This moment, aware, in UTC (as the database stores times)."""
        return self._source().astimezone(UTC)

    def today(self) -> date:
        """Today's date in the association's zone."""
        return self.now().date()

    def local(self, value: datetime) -> datetime:
        """An aware moment as the association's wall clock reads it."""
        return value.astimezone(self.tz)

    def day(self, value: date | datetime | None) -> str:
        """:func:`day` in the association's zone; empty for no date."""
        return "" if value is None else day(value, self.tz)

    def moment(self, value: datetime | None) -> str:
        """:func:`moment` in the association's zone; empty for no moment."""
        return "" if value is None else moment(value, self.tz)


class StoppedClock(Clock):
    """A clock that stands still until a test moves it (downtime, deadlines, next runs)."""

    def __init__(self, at: datetime, tz: tzinfo | None = None) -> None:
        super().__init__(tz or at.tzinfo or UTC, lambda: self.at)
        self.at = at

    def advance(self, delta: timedelta) -> None:
        """Move the time forward by ``delta``."""
        self.at += delta
