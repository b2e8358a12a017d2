"""Broadcast benchmark: one announcement to 10,000 subscribers through the local emulator.

The real bot runs as its own process (``python -m hoibot run``) against the Bot API emulator
served from this process, so bot and "Telegram" each get a core, as in production.

1. Paced: ``messages_per_second: 30`` (Telegram's bulk limit). An admin sends the
   announcement through /announce; the first 300 sends are timed where they arrive (the
   rate, and the most sends seen in any one-second window), then the bot is stopped
   (SIGTERM). The emulator does not enforce the limit here: with replies to the admin in
   the same second, exactly 30/s has no room left (hence the default of 25/s).
2. Limit lifted: the bot restarts with ``messages_per_second`` far above anything reachable;
   it resumes the same broadcast and finishes it. Its throughput shows the bot itself is not
   the bottleneck.
3. Every subscriber must have exactly one message; the bot's peak memory (RSS) is read
   from the operating system once its processes have exited.

Usage: ``python bench/broadcast.py [--subscribers N] [--sample N]``
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botprocess import start_bot, stop_bot  # noqa: E402
from bot.storage import Database  # noqa: E402
from bot.storage.users import UserRepository  # noqa: E402
from emulator import BotApiEmulator, EmulatedUser  # noqa: E402

ADMIN_ID = 42
LIMIT = 30.0
LIFTED = 1_000_000.0


def write_config(directory: Path, rate: float) -> Path:
    path = directory / "config.yaml"
    raw = {
        "admins": [ADMIN_ID],
        "database": str(directory / "bot.sqlite3"),
        "knowledge_dir": str(ROOT / "knowledge"),
        "announcements": {"messages_per_second": rate},
    }
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path



async def wait_polling(emulator: BotApiEmulator, since: float) -> None:
    await emulator.wait_until(
        lambda: any(c.method == "getUpdates" and c.time >= since for c in emulator.calls),
        timeout=60,
    )


async def press(admin: EmulatedUser, data: str) -> None:
    def has(message) -> bool:
        return any(button.callback_data == data for row in message.buttons for button in row)

    await admin.press(await admin.wait_for(has, timeout=30), data)


class BroadcastLog:
    """Arrival times of the sends to subscribers, read incrementally from the emulator's log
    (re-scanning 10,000 calls on every change would make the emulator the bottleneck)."""

    def __init__(self, emulator: BotApiEmulator, first: int, last: int) -> None:
        self._calls = emulator.calls
        self._seen = 0
        self._first, self._last = first, last
        self.times: list[float] = []

    def count(self) -> int:
        for call in self._calls[self._seen :]:
            chat_id = call.params.get("chat_id")
            if call.method == "sendMessage" and self._first <= int(chat_id or 0) <= self._last:
                self.times.append(call.time)
        self._seen = len(self._calls)
        return len(self.times)

    async def wait_for(self, count: int, timeout: float) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(self.times)} of {count} sends arrived")
            await asyncio.sleep(0.05)


def rate_of(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


async def seed(database: Path, first: int, count: int) -> None:
    db = Database(database)
    await db.open()
    users = UserRepository(db)
    for user_id in range(first, first + count):
        await users.seen(user_id, first_name=f"Hội viên {user_id}", language_code="vi")
        await users.set_subscribed(user_id, True)
    await db.close()


async def run(subscribers: int, sample: int) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="hoibot-bench-"))
    log = workdir / "bot.log"
    async with BotApiEmulator() as emulator:
        first = 1_000_000
        emulator.add_users(subscribers, start_id=first)
        last = first + subscribers - 1
        admin = emulator.user(ADMIN_ID, "Thư ký", language_code="en")
        await seed(workdir / "bot.sqlite3", first, subscribers)
        sends = BroadcastLog(emulator, first, last)

        # 1. Paced at Telegram's limit.
        since = time.monotonic()
        bot = start_bot(write_config(workdir, LIMIT), emulator, log)
        await wait_polling(emulator, since)
        await admin.send("/announce")
        await admin.send("📣 Thông báo: Hội nghị toàn quốc <2027> & tập huấn nghiệp vụ.")
        await press(admin, "an:aud:subscribers")
        await press(admin, "an:when:now")
        await press(admin, "an:ok")
        await sends.wait_for(sample, timeout=sample)
        await stop_bot(bot)
        sends.count()
        paced = sends.times[:sample]
        paced_rate = rate_of(paced)
        busiest = max(bisect.bisect_left(paced, t + 1.0) - i for i, t in enumerate(paced))

        # 2. Limit lifted: the restarted bot resumes the broadcast and finishes it.
        config = write_config(workdir, LIFTED)
        resumed_from = len(sends.times)
        since = time.monotonic()
        bot = start_bot(config, emulator, log)
        await wait_polling(emulator, since)
        await sends.wait_for(subscribers, timeout=600)
        report = await admin.wait_for(lambda m: "Delivered" in m.text, timeout=60)
        await stop_bot(bot)
        lifted = sends.times[resumed_from:]
        lifted_rate = rate_of(lifted)

        counts = emulator.delivery_counts()
        per_chat = [counts.get(chat_id, 0) for chat_id in range(first, last + 1)]
    peak_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"subscribers:                 {subscribers}")
    print(
        f"paced at {LIMIT:.0f}/s:              {paced_rate:.2f} msg/s over {len(paced)} sends "
        f"= {paced_rate / LIMIT:.3f} of the limit (target >= 0.95); "
        f"most in any 1 s window: {busiest}"
    )
    print(
        f"limit lifted:                {lifted_rate:,.0f} msg/s over {len(lifted)} sends "
        f"in {lifted[-1] - lifted[0]:.1f} s (target >= 1,000)"
    )
    print(f"bot peak memory (RSS):       {peak_rss_mib:.0f} MiB")
    print(f"messages per subscriber:     min {min(per_chat)}, max {max(per_chat)}")
    print(f"admin's report:              {' / '.join(report.text.splitlines()[1:4])}")
    exactly_once = min(per_chat) == max(per_chat) == 1
    targets = paced_rate / LIMIT >= 0.95 and busiest <= LIMIT and lifted_rate >= 1000
    print("targets:                     " + ("met" if targets else "not all met (see above)"))
    # Speed varies with the machine; a subscriber served twice or never is a failure.
    return 0 if exactly_once else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    return asyncio.run(run(args.subscribers, args.sample))


if __name__ == "__main__":
    raise SystemExit(main())
