"""Schedules and runs without Telegram: runs recorded once, missed runs reported, stable keys."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from bot.announcements.schedule import Daily, Once, Weekly
from bot.announcements.service import AnnouncementService, Definition
from bot.clock import StoppedClock
from bot.config import parse_config
from bot.storage import Database
from bot.storage.announcements import AnnouncementRepository
from bot.storage.users import UserRepository

CONFIG = parse_config({"admins": [1], "members_group_id": -100}, env={})
TZ = CONFIG.tz


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(tmp_path / "bot.sqlite3")
    await database.open()
    users = UserRepository(database)
    for user_id in (10, 11, 12):
        await users.seen(user_id, first_name="U")
        await users.set_subscribed(user_id, True)
    yield database
    await database.close()


@pytest.fixture
def clock() -> StoppedClock:
    return StoppedClock(datetime(2026, 3, 2, 7, 0, tzinfo=TZ))


@pytest.fixture
def service(db: Database, clock: StoppedClock) -> AnnouncementService:
    return AnnouncementService(AnnouncementRepository(db), CONFIG, clock.utcnow)


async def daily_at_eight(service: AnnouncementService):
    schedule, created = await service.create(
        key="admin:daily",
        text="Điểm danh",
        entities=[],
        audience="subscribers",
        rule=Daily(time(8, 0), TZ),
        created_by=1,
    )
    assert created
    return schedule


async def test_a_run_fires_once_even_if_the_job_fires_twice(service, clock) -> None:
    schedule = await daily_at_eight(service)
    planned = service.next_run(schedule)
    assert planned == datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    clock.at = planned + timedelta(seconds=2)
    first = await service.fire(schedule.id, planned)
    second = await service.fire(schedule.id, planned)
    assert first.broadcast is not None and second.broadcast is None
    assert len(await service.repo.deliveries(first.broadcast.id)) == 3
    schedule = await service.repo.get_schedule(schedule.id)
    assert service.next_run(schedule) == datetime(2026, 3, 3, 8, 0, tzinfo=TZ)


async def test_a_job_running_later_than_the_grace_window_is_recorded_missed(
    service, clock
) -> None:
    schedule = await daily_at_eight(service)
    planned = service.next_run(schedule)
    clock.at = planned + timedelta(hours=7)
    fired = await service.fire(schedule.id, planned)
    assert fired.missed and fired.broadcast is None
    [missed] = await service.repo.unreported_missed()
    assert (missed.count, missed.first_planned) == (1, planned)


async def test_restart_inside_the_grace_window_sends_the_missed_run_once(service, clock) -> None:
    schedule = await daily_at_eight(service)
    clock.at = datetime(2026, 3, 2, 13, 0, tzinfo=TZ)  # down from 07:00 to 13:00
    recovery = await service.recover()
    assert [b.planned_at for b in recovery.broadcasts] == [datetime(2026, 3, 2, 8, tzinfo=TZ)]
    assert recovery.missed == 0
    # A second restart (before the broadcast finished) resumes it, and starts nothing new.
    again = await service.recover()
    assert [b.id for b in again.broadcasts] == [recovery.broadcasts[0].id]
    assert service.next_run(await service.repo.get_schedule(schedule.id)) == datetime(
        2026, 3, 3, 8, tzinfo=TZ
    )


async def test_restart_outside_the_grace_window_reports_and_does_not_send(service, clock) -> None:
    await daily_at_eight(service)
    clock.at = datetime(2026, 3, 2, 14, 30, tzinfo=TZ)
    recovery = await service.recover()
    assert recovery.broadcasts == [] and recovery.missed == 1
    [missed] = await service.repo.unreported_missed()
    assert missed.last_planned == datetime(2026, 3, 2, 8, tzinfo=TZ)
    # Reported once: a later restart finds nothing new.
    assert (await service.recover()).missed == 0


async def test_a_send_now_interrupted_before_it_started_is_sent_at_restart(
    service, clock
) -> None:
    schedule, _ = await service.create(
        key="admin:now",
        text="Gấp",
        entities=[],
        audience="subscribers",
        rule=Once(service.now()),
        created_by=1,
    )
    clock.advance(timedelta(minutes=3))  # the crash happened before fire()
    recovery = await service.recover()
    assert len(recovery.broadcasts) == 1
    assert (await service.repo.get_schedule(schedule.id)).status == "done"


async def test_confirming_twice_creates_one_schedule(service) -> None:
    first, created = await service.create(
        key="admin:tok", text="A", entities=[], audience="test", rule=Once(service.now()),
        created_by=1,
    )
    second, again = await service.create(
        key="admin:tok", text="A", entities=[], audience="test", rule=Once(service.now()),
        created_by=1,
    )
    assert created and not again and first.id == second.id


async def test_explicit_audiences_name_their_chat(service) -> None:
    group, _ = await service.create(
        key="admin:g", text="G", entities=[], audience="group", rule=Once(service.now()),
        created_by=1,
    )
    test, _ = await service.create(
        key="admin:t", text="T", entities=[], audience="test", rule=Once(service.now()),
        created_by=1,
    )
    channel, _ = await service.create(
        key="admin:c", text="C", entities=[], audience="channel", rule=Once(service.now()),
        created_by=1,
    )
    assert service.recipients(group) == [-100]
    assert service.recipients(test) == [1]
    assert service.recipients(channel) == []  # no announcement chat configured


async def test_knowledge_definitions_are_synced_by_stable_key(service, clock) -> None:
    weekly = Definition("kb:weekly-news", "Bản tin tuần", Weekly(4, time(17, 0), TZ))
    assert await service.sync_definitions([weekly]) == []
    assert await service.sync_definitions([weekly]) == []  # a reload: no duplicate
    [schedule] = await service.repo.active_schedules()
    assert schedule.key == "kb:weekly-news"
    # Edited text keeps the schedule; an edited rule restarts counting from now.
    clock.advance(timedelta(days=10))
    edited = Definition("kb:weekly-news", "Bản tin tuần (mới)", Weekly(0, time(9, 0), TZ))
    await service.sync_definitions([edited])
    [again] = await service.repo.active_schedules()
    assert again.id == schedule.id and again.text == "Bản tin tuần (mới)"
    assert again.anchor_at == service.now()
    # Removed from the knowledge base: retired, and back when it returns.
    assert await service.sync_definitions([]) == [schedule.id]
    assert await service.repo.active_schedules() == []
    await service.sync_definitions([edited])
    assert [s.id for s in await service.repo.active_schedules()] == [schedule.id]


async def test_an_admins_cancellation_of_a_knowledge_schedule_survives_reloads(service) -> None:
    weekly = Definition("kb:weekly-news", "Bản tin tuần", Weekly(4, time(17, 0), TZ))
    await service.sync_definitions([weekly])
    [schedule] = await service.repo.active_schedules()
    assert await service.repo.cancel_schedule(schedule.id)
    await service.sync_definitions([weekly])
    assert await service.repo.active_schedules() == []


async def test_a_reminder_already_in_the_past_is_not_created(service) -> None:
    past = Definition("meeting:congress:7", "Nhắc", Once(service.now() - timedelta(days=1)))
    await service.sync_definitions([past])
    assert await service.repo.active_schedules() == []
