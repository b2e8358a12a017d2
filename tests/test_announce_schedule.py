"""Recurrence rules, next run times and the missed-run policy, in the configured time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.announcements.schedule import (
    Cron,
    Daily,
    Monthly,
    Once,
    RuleError,
    Weekly,
    cron_problem,
    due_runs,
    parse_datetime,
    parse_rule,
    parse_time,
    upcoming,
)
from bot.config import parse_config

TZ = parse_config({}, env={}).tz  # the association's configured zone: Asia/Ho_Chi_Minh
BERLIN = ZoneInfo("Europe/Berlin")  # a zone with DST, to show wall times hold across it


def local(*args: int, tz: ZoneInfo = TZ) -> datetime:
    return datetime(*args, tzinfo=tz)


def test_the_configured_zone_is_hanoi_time() -> None:
    assert local(2026, 1, 1, 8).utcoffset() == timedelta(hours=7)


def test_daily_runs_at_the_wall_clock_time_in_the_association_zone() -> None:
    rule = Daily(time(8, 0), TZ)
    assert rule.next_after(local(2026, 3, 1, 7, 59)) == local(2026, 3, 1, 8, 0)
    # Exactly at the run time: the next run is tomorrow (strictly after).
    assert rule.next_after(local(2026, 3, 1, 8, 0)) == local(2026, 3, 2, 8, 0)
    # 02:00 UTC is already 09:00 in Hanoi.
    assert rule.next_after(datetime(2026, 3, 1, 2, 0, tzinfo=UTC)) == local(2026, 3, 2, 8, 0)


def test_daily_keeps_its_wall_time_across_a_dst_change() -> None:
    rule = Daily(time(8, 0), BERLIN)
    runs = upcoming(rule, local(2026, 3, 27, 12, tz=BERLIN), 3)
    assert [r.hour for r in runs] == [8, 8, 8]
    assert [r.utcoffset() for r in runs] == [timedelta(hours=1), *[timedelta(hours=2)] * 2]


def test_a_wall_time_skipped_by_dst_moves_forward_instead_of_failing() -> None:
    rule = Daily(time(2, 30), BERLIN)  # 29/3/2026 02:30 does not exist in Berlin
    run = rule.next_after(local(2026, 3, 28, 12, tz=BERLIN))
    assert run.date().day == 29 and run.hour == 3 and run.minute == 30


def test_weekly_finds_the_next_matching_weekday() -> None:
    rule = Weekly(0, time(9, 30), TZ)  # Mondays
    # 1 March 2026 is a Sunday.
    assert rule.next_after(local(2026, 3, 1, 12)) == local(2026, 3, 2, 9, 30)
    assert rule.next_after(local(2026, 3, 2, 9, 30)) == local(2026, 3, 9, 9, 30)
    assert rule.spec == "weekly mon 09:30"


def test_monthly_on_the_31st_falls_back_to_the_last_day_of_short_months() -> None:
    rule = Monthly(31, time(8, 0), TZ)
    runs = upcoming(rule, local(2026, 1, 31, 9), 3)
    assert [r.date().isoformat() for r in runs] == ["2026-02-28", "2026-03-31", "2026-04-30"]


def test_cron_uses_standard_weekday_numbers() -> None:
    rule = Cron("0 8 * * 1", TZ)  # crontab: 1 = Monday (APScheduler 3 alone would say Tuesday)
    assert rule.next_after(local(2026, 3, 1, 12)) == local(2026, 3, 2, 8, 0)
    sunday = Cron("0 8 * * 0", TZ).next_after(local(2026, 3, 2, 12))
    assert sunday == local(2026, 3, 8, 8, 0)
    assert Cron("0 8 * * 7", TZ).next_after(local(2026, 3, 2, 12)) == sunday
    weekdays = upcoming(Cron("30 17 * * 1-5", TZ), local(2026, 3, 6, 18), 2)  # Fri evening
    assert [r.weekday() for r in weekdays] == [0, 1]


def test_cron_with_day_and_weekday_fires_on_either_as_crontab_does() -> None:
    rule = Cron("0 8 1 * 1", TZ)  # the 1st of the month, and every Monday
    runs = upcoming(rule, local(2026, 3, 28), 3)
    assert [r.date().isoformat() for r in runs] == ["2026-03-30", "2026-04-01", "2026-04-06"]


@pytest.mark.parametrize(
    ("line", "field"), [("0 8 * 13 *", "month"), ("5-1 * * * *", "minute"), ("0 25 * * *", "hour")]
)
def test_the_schedulers_own_refusal_names_the_field(line: str, field: str) -> None:
    """The knowledge checker and the admin's typed schedule hear the same parser."""
    assert cron_problem(line).startswith(f"the {field} field: ")
    with pytest.raises(RuleError, match=f"the {field} field"):
        Cron(line, TZ)


def test_a_cron_line_that_never_fires_is_a_problem_and_a_good_one_is_not() -> None:
    assert cron_problem("0 8 31 2 *") == "this schedule never fires (no such date)"
    assert cron_problem("0  8 * * 1") is None


@pytest.mark.parametrize("bad", ["0 8 * *", "61 8 * * *", "0 8 * * 9", "0 8 * * mon-sun-x"])
def test_a_bad_cron_expression_is_refused_when_typed(bad: str) -> None:
    with pytest.raises(RuleError):
        Cron(bad, TZ)


def test_once_runs_once() -> None:
    rule = Once(local(2026, 12, 25, 8))
    assert rule.next_after(local(2026, 12, 25, 7)) == local(2026, 12, 25, 8)
    assert rule.next_after(local(2026, 12, 25, 8)) is None
    assert not rule.recurring


@pytest.mark.parametrize(
    "rule",
    [
        Once(local(2026, 12, 25, 8)),
        Daily(time(7, 5), TZ),
        Daily(time(7, 5, 30), TZ),
        Weekly(6, time(20, 0), TZ),
        Monthly(15, time(8, 0), TZ),
        Cron("*/15 8-17 * * 1-5", TZ),
    ],
)
def test_every_rule_survives_being_stored_and_read_back(rule) -> None:
    again = parse_rule(rule.spec, TZ)
    start = local(2026, 5, 5, 5, 5)
    assert upcoming(again, start, 5) == upcoming(rule, start, 5)


def test_admins_type_dates_day_first_in_the_association_zone() -> None:
    assert parse_datetime("25/12/2026 08:00", TZ) == local(2026, 12, 25, 8, 0)
    assert parse_datetime("1-2-2027 8h30", TZ) == local(2027, 2, 1, 8, 30)
    assert parse_time(" 7:05 ") == time(7, 5)
    for bad in ("31/02/2026 08:00", "25/12/2026", "12/25/2026 25:00", "hôm nay"):
        with pytest.raises(RuleError):
            parse_datetime(bad, TZ)


# The missed-run policy: the bot was down from `anchor` until `now`.

GRACE = timedelta(hours=6)


def test_nothing_due_when_no_run_was_planned_while_down() -> None:
    due = due_runs(Daily(time(8, 0), TZ), local(2026, 3, 1, 9), local(2026, 3, 2, 7), GRACE)
    assert due.nothing and due.anchor == local(2026, 3, 1, 9)


def test_a_run_missed_within_the_grace_window_is_sent_once_at_start() -> None:
    due = due_runs(Daily(time(8, 0), TZ), local(2026, 3, 1, 9), local(2026, 3, 2, 13), GRACE)
    assert due.send == local(2026, 3, 2, 8, 0)
    assert due.missed_count == 0
    assert due.anchor == local(2026, 3, 2, 8, 0)  # moved past it: never sent twice


def test_a_run_older_than_the_grace_window_is_reported_missed_not_sent() -> None:
    due = due_runs(Daily(time(8, 0), TZ), local(2026, 3, 1, 9), local(2026, 3, 2, 14, 1), GRACE)
    assert due.send is None
    assert (due.missed_count, due.first_missed, due.last_missed) == (
        1,
        local(2026, 3, 2, 8),
        local(2026, 3, 2, 8),
    )
    assert due.anchor == local(2026, 3, 2, 8)


def test_after_days_down_only_the_latest_run_is_sent_and_the_rest_reported() -> None:
    due = due_runs(Daily(time(8, 0), TZ), local(2026, 3, 1, 9), local(2026, 3, 5, 9), GRACE)
    assert due.send == local(2026, 3, 5, 8)
    assert due.missed_count == 3
    assert due.first_missed == local(2026, 3, 2, 8)
    assert due.last_missed == local(2026, 3, 4, 8)


def test_grace_is_measured_in_the_configured_hours() -> None:
    rule = Once(local(2026, 3, 2, 8))
    assert due_runs(rule, local(2026, 3, 1), local(2026, 3, 2, 9), timedelta(hours=1)).send
    late = due_runs(rule, local(2026, 3, 1), local(2026, 3, 2, 9, 1), timedelta(hours=1))
    assert late.send is None and late.missed_count == 1
