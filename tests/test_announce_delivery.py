"""The delivery state machine: each recipient at most once, whatever the Bot API answers.

The sender talks to a scripted stand-in for the Bot API transport that raises the same
exceptions python-telegram-bot raises; the database and the sender are the real ones.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.announcements.delivery import (
    Pacer,
    SenderSettings,
    Verdict,
    report_for,
)
from bot.announcements.split import Part
from bot.storage import Database, utcnow
from bot.storage.announcements import AnnouncementRepository, Broadcast, DeliveryUpdate
from bot.storage.personal_data import PersonalDataRepository
from bot.storage.users import UserRepository
from bot.tg.announcements.delivery import classify, telegram_sender

# PTB's own RetryAfter constructor warns about its int form; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def repo(db: Database) -> AnnouncementRepository:
    return AnnouncementRepository(db)


async def subscribers(db: Database, ids: range) -> None:
    users = UserRepository(db)
    for user_id in ids:
        await users.seen(user_id, first_name=f"U{user_id}")
        await users.set_subscribed(user_id, True)


async def broadcast(
    repo: AnnouncementRepository, text: str = "Thông báo <họp> & ăn tất niên"
) -> Broadcast:
    now = utcnow().replace(microsecond=0)
    schedule, _ = await repo.add_schedule(
        key=f"test:{time.monotonic_ns()}",
        text=text,
        entities=[{"type": "bold", "offset": 0, "length": 9}],
        audience="subscribers",
        rule=f"once {now.isoformat()}",
        created_by=1,
        now=now,
        anchor=now - timedelta(seconds=1),
    )
    run = await repo.start_run(schedule.id, now, chat_ids=None, requested_by=1, done=True, now=now)
    assert run is not None
    return run


class FakeBotApi:
    """Stands in for ``bot.send_message``: records deliveries, raises scripted errors."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.delivered: Counter[int] = Counter()
        self.parts: dict[int, list[str]] = {}
        self.attempt_times: list[float] = []
        self.faults: dict[int, list[BaseException]] = {}
        self.before_send: Callable[[int], object] | None = None

    def fail(self, chat_id: int, *errors: BaseException) -> None:
        self.faults.setdefault(chat_id, []).extend(errors)

    async def __call__(self, chat_id: int, part: Part) -> None:
        self.attempt_times.append(time.monotonic())
        if self.before_send is not None:
            await self.before_send(chat_id)
        if self.latency:
            await asyncio.sleep(self.latency)
        queued = self.faults.get(chat_id)
        if queued:
            raise queued.pop(0)
        self.delivered[chat_id] += 1
        self.parts.setdefault(chat_id, []).append(part.text)


def read_timeout() -> TimedOut:
    try:
        raise TimedOut() from httpx.ReadTimeout("read")
    except TimedOut as exc:
        return exc


def connect_error() -> NetworkError:
    try:
        raise NetworkError("httpx.ConnectError") from httpx.ConnectError("refused")
    except NetworkError as exc:
        return exc


def connect_timeout() -> TimedOut:
    try:
        raise TimedOut() from httpx.ConnectTimeout("connect")
    except TimedOut as exc:
        return exc


FAST = SenderSettings(messages_per_second=10_000, backoff_seconds=0.01, max_backoff_seconds=0.02)


def test_classification_separates_safe_retries_from_ambiguous_sends() -> None:
    assert classify(RetryAfter(3)).verdict is Verdict.PAUSE
    assert classify(RetryAfter(3)).retry_after == 3
    assert classify(Forbidden("Forbidden: bot was blocked by the user")).verdict is (
        Verdict.UNREACHABLE
    )
    assert classify(BadRequest("Bad Request: chat not found")).verdict is Verdict.FAILED
    assert classify(connect_error()).verdict is Verdict.RETRY
    assert classify(connect_timeout()).verdict is Verdict.RETRY
    assert classify(NetworkError("Internal Server Error (500)")).verdict is Verdict.RETRY
    assert classify(NetworkError("Bad Gateway (502)")).verdict is Verdict.RETRY
    assert classify(read_timeout()).verdict is Verdict.UNKNOWN
    assert classify(NetworkError("Gateway Timeout")).verdict is Verdict.UNKNOWN
    assert classify(TimedOut()).verdict is Verdict.UNKNOWN


async def test_every_subscriber_gets_the_announcement_once(db, repo) -> None:
    await subscribers(db, range(1, 201))
    run = await broadcast(repo)
    api = FakeBotApi(latency=0.001)
    assert await telegram_sender(repo, api, FAST).run(run)
    assert sorted(api.delivered) == list(range(1, 201))
    assert set(api.delivered.values()) == {1}
    finished = await repo.get_broadcast(run.id)
    report = await report_for(repo, finished)
    assert (report.delivered, report.failed, report.unknown, report.pending) == (200, 0, 0, 0)
    assert finished.status == "done" and finished.finished_at is not None


async def test_the_row_is_committed_as_sending_before_the_request(db, repo, tmp_path) -> None:
    await subscribers(db, range(1, 4))
    run = await broadcast(repo)
    seen: list[str] = []

    async def look_from_another_connection(chat_id: int) -> None:
        # A second connection sees only committed data: what a crash would leave behind.
        other = Database(tmp_path / "bot.sqlite3")
        await other.open()
        row = await other.fetchone(
            "SELECT status FROM deliveries WHERE broadcast_id = ? AND chat_id = ?",
            (run.id, chat_id),
        )
        seen.append(row[0])
        await other.close()

    api = FakeBotApi()
    api.before_send = look_from_another_connection
    await telegram_sender(repo, api, FAST).run(run)
    assert seen == ["sending"] * 3


async def test_blocked_users_are_marked_unreachable_and_not_retried(db, repo) -> None:
    await subscribers(db, range(1, 11))
    run = await broadcast(repo)
    api = FakeBotApi()
    api.fail(3, Forbidden("Forbidden: bot was blocked by the user"))
    api.fail(7, BadRequest("Bad Request: chat not found"))
    await telegram_sender(repo, api, FAST).run(run)
    report = await report_for(repo, await repo.get_broadcast(run.id))
    assert (report.delivered, report.unreachable, report.failed) == (8, 1, 1)
    assert api.attempt_times and len(api.attempt_times) == 10
    users = UserRepository(db)
    assert not (await users.get(3)).reachable
    assert (await users.get(7)).reachable
    # The next broadcast skips the user who blocked the bot.
    second = await broadcast(repo)
    assert len(await repo.deliveries(second.id)) == 9


async def test_a_429_pauses_the_whole_broadcast_for_retry_after(db, repo) -> None:
    await subscribers(db, range(1, 41))
    run = await broadcast(repo)
    api = FakeBotApi(latency=0.001)
    api.fail(10, RetryAfter(1))
    sender = telegram_sender(repo, api, SenderSettings(messages_per_second=200, concurrency=4))
    await sender.run(run)
    assert sorted(api.delivered) == list(range(1, 41)) and set(api.delivered.values()) == {1}
    assert sender.pacer.pauses == 1
    # After the 429 (at most the sends already in flight finish) nothing starts for 1 s.
    times = sorted(api.attempt_times)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert max(gaps) >= 0.95


async def test_safe_errors_are_retried_with_backoff_then_given_up(db, repo) -> None:
    await subscribers(db, range(1, 4))
    run = await broadcast(repo)
    api = FakeBotApi()
    api.fail(1, connect_error(), NetworkError("Internal Server Error (500)"))
    api.fail(2, *[connect_timeout() for _ in range(10)])
    await telegram_sender(repo, api, FAST).run(run)
    rows = {row.chat_id: row for row in await repo.deliveries(run.id)}
    assert rows[1].status == "sent" and api.delivered[1] == 1
    assert rows[2].status == "failed" and rows[2].attempts == FAST.max_attempts
    assert rows[3].status == "sent"


async def test_a_read_timeout_is_counted_unknown_and_never_resent(db, repo) -> None:
    await subscribers(db, range(1, 4))
    run = await broadcast(repo)
    api = FakeBotApi()
    api.fail(2, read_timeout())
    await telegram_sender(repo, api, FAST).run(run)
    report = await report_for(repo, await repo.get_broadcast(run.id))
    assert (report.delivered, report.unknown) == (2, 1)
    assert len(api.attempt_times) == 3


async def test_after_a_crash_sending_rows_become_unknown_and_the_rest_resume(db, repo) -> None:
    await subscribers(db, range(1, 21))
    run = await broadcast(repo)
    # What a SIGKILL leaves: five rows sent, two claimed but never answered, the rest pending.
    await repo.journal(run.id, claims=[1, 2, 3, 4, 5, 6, 7], updates=[], now=utcnow())
    await repo.journal(
        run.id,
        claims=[],
        updates=[DeliveryUpdate(c, "sent", 1, 0) for c in range(1, 6)],
        now=utcnow(),
    )
    assert await repo.interrupted_to_unknown() == 2
    api = FakeBotApi()
    assert await telegram_sender(repo, api, FAST).run(run)
    assert sorted(api.delivered) == list(range(8, 21))
    report = await report_for(repo, await repo.get_broadcast(run.id))
    assert (report.delivered, report.unknown, report.recipients) == (18, 2, 20)


async def test_a_stopping_bot_leaves_unsent_rows_pending_for_the_next_start(db, repo) -> None:
    await subscribers(db, range(1, 101))
    run = await broadcast(repo)
    api = FakeBotApi()
    settings = SenderSettings(messages_per_second=500, concurrency=4)
    stop_at = time.monotonic() + 0.05
    sender = telegram_sender(repo, api, settings)
    finished = await sender.run(run, lambda: time.monotonic() > stop_at)
    assert not finished
    counts = await repo.counts(run.id)
    assert "sending" not in counts  # in-flight sends were allowed to finish and recorded
    assert 0 < counts["sent"] < 100
    again = FakeBotApi()
    assert await telegram_sender(repo, again, FAST).run(await repo.get_broadcast(run.id))
    assert set(api.delivered) | set(again.delivered) == set(range(1, 101))
    assert not set(api.delivered) & set(again.delivered)


async def test_a_long_text_arrives_in_order_as_several_messages(db, repo) -> None:
    await subscribers(db, range(1, 4))
    text = "\n\n".join(f"Phần {i}: " + "nội dung " * 400 for i in range(3))
    run = await broadcast(repo, text)
    api = FakeBotApi()
    api.fail(2, connect_error())
    await telegram_sender(repo, api, FAST).run(run)
    for chat_id in (1, 2, 3):
        assert [p.split(":")[0] for p in api.parts[chat_id]] == ["Phần 0", "Phần 1", "Phần 2"]
    assert {row.part for row in await repo.deliveries(run.id)} == {3}


async def test_the_pacer_keeps_to_the_configured_rate(db, repo) -> None:
    await subscribers(db, range(1, 61))
    run = await broadcast(repo)
    api = FakeBotApi(latency=0.02)
    await telegram_sender(repo, api, SenderSettings(messages_per_second=100)).run(run)
    times = sorted(api.attempt_times)
    rate = (len(times) - 1) / (times[-1] - times[0])
    # Paced, not sent as fast as the fake API answers (hundreds a second). The requests reach
    # the API a few variable milliseconds after their slots (each claim is committed first),
    # so on a loaded machine the measured rate jitters around the configured one: the
    # spacing itself is checked on a fake clock below, and how fast a real broadcast goes is
    # bench/broadcast.py's figure, not a test's.
    assert len(times) == 60 and rate <= 110


async def test_the_pacer_spaces_its_slots_and_does_not_catch_up_after_a_stall(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds  # the fake time passes while the pacer waits

    monkeypatch.setattr("bot.announcements.delivery.asyncio.sleep", sleep)
    pacer = Pacer(100, clock=lambda: now[0])
    slots = []
    for i in range(60):
        assert await pacer.slot(lambda: False)
        slots.append(now[0])
        if i == 30:
            now[0] += 1.0  # the sender stalls (a slow database, a long send)
    gaps = [later - earlier for earlier, later in itertools.pairwise(slots)]
    assert min(gaps) >= pacer.interval - 1e-9  # never two slots closer than the interval
    assert pacer.interval > 1 / 100  # a margin under the configured rate


async def test_pacer_spacing_with_a_fake_clock() -> None:
    now = [100.0]
    pacer = Pacer(4, clock=lambda: now[0])
    assert await pacer.slot(lambda: False)  # immediately
    pacer.pause(2)
    assert pacer.pauses == 1
    # The next slot is after the pause; with a frozen clock the test only checks the booking.
    task = asyncio.create_task(pacer.slot(lambda: False))
    await asyncio.sleep(0)  # one turn: the slot starts and waits for the frozen clock
    assert not task.done()
    now[0] = 102.0
    assert await asyncio.wait_for(task, 1)


async def test_a_recipient_who_erases_their_data_mid_broadcast_is_skipped(db, repo) -> None:
    await subscribers(db, range(1, 11))
    run = await broadcast(repo)
    personal_data = PersonalDataRepository(db)
    exported = await personal_data.export(5)
    assert any(rows for table, rows in exported.items() if table == "deliveries")

    async def forget_five(chat_id: int) -> None:
        if chat_id == 1:
            await personal_data.erase(5, utcnow())

    api = FakeBotApi()
    api.before_send = forget_five
    settings = SenderSettings(messages_per_second=10_000, concurrency=1)
    assert await telegram_sender(repo, api, settings).run(run)
    assert sorted(api.delivered) == [1, 2, 3, 4, 6, 7, 8, 9, 10]
    assert 5 not in {row.chat_id for row in await repo.deliveries(run.id)}
