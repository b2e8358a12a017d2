"""One clock for the association: its zone, its "now", and dates written in its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import DEFAULT_ZONE, Clock, StoppedClock, zone
from bot.texts import formats

VIETNAM = zone(DEFAULT_ZONE)


def test_a_late_utc_evening_is_the_next_morning_in_vietnam() -> None:
    clock = StoppedClock(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), VIETNAM)
    assert clock.now() == datetime(2026, 3, 2, 6, 30, tzinfo=VIETNAM)
    assert clock.today() == date(2026, 3, 2)
    assert clock.moment(clock.utcnow()) == "02/03/2026 06:30"
    assert clock.day(clock.utcnow()) == "02/03/2026"


def test_a_test_moves_the_time_and_the_clock_follows() -> None:
    clock = StoppedClock(datetime(2026, 12, 31, 16, 59, tzinfo=UTC), VIETNAM)
    assert clock.today() == date(2026, 12, 31)
    clock.advance(timedelta(minutes=1))
    assert clock.today() == date(2027, 1, 1)


def test_no_date_is_written_as_nothing_and_the_running_clock_is_aware() -> None:
    clock = Clock(VIETNAM)
    assert clock.day(None) == clock.moment(None) == ""
    assert clock.now().utcoffset() == timedelta(hours=7)


def test_formats_writes_dates_the_same_way() -> None:
    at = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)
    assert formats.moment(at, VIETNAM) == Clock(VIETNAM).moment(at) == "05/03/2026 08:30"
    assert formats.day(date(2026, 3, 5)) == "05/03/2026"


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        zone("Mars/Olympus")
