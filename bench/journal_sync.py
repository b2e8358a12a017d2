"""Delivery journal: what ``PRAGMA synchronous=FULL`` costs against ``NORMAL``.

The durable sender commits 'sending' before each send and the outcome after it (group
commit: one transaction for whatever is waiting). In WAL mode, NORMAL fsyncs only at
checkpoints, so a power loss can lose the last transactions; FULL fsyncs the WAL at every
commit, so a committed row survives a power loss too. This measures both on this disk:

1. single commits: one small transaction at a time (the journal's worst case);
2. a broadcast: the real ``Sender`` sends N messages through a send function that answers
   at once (the bot's own limit) and one that takes 30 ms (a realistic Bot API answer).

Usage: ``python bench/journal_sync.py [--recipients N] [--dir PATH]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.announcements.delivery import SenderSettings  # noqa: E402
from bot.announcements.split import Part  # noqa: E402
from bot.storage import Database, utcnow  # noqa: E402
from bot.storage.announcements import AnnouncementRepository  # noqa: E402
from bot.tg.announcements.delivery import telegram_sender  # noqa: E402

MODES = ("NORMAL", "FULL")


async def open_db(path: Path, mode: str) -> Database:
    db = Database(path, synchronous=mode)
    await db.open()
    return db


async def single_commits(folder: Path, mode: str, count: int) -> list[float]:
    db = await open_db(folder / f"single-{mode}.sqlite3", mode)
    await db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    times = []
    for index in range(count):
        start = time.perf_counter()
        await db.execute("INSERT INTO t (v) VALUES (?)", (f"row {index}",))
        times.append(time.perf_counter() - start)
    await db.close()
    return times


async def broadcast(folder: Path, mode: str, recipients: int, latency: float) -> tuple[float, int]:
    db = await open_db(folder / f"broadcast-{mode}-{latency}.sqlite3", mode)
    repo = AnnouncementRepository(db)
    now = utcnow()
    schedule, _ = await repo.add_schedule(
        key="bench",
        text="Thông báo",
        entities=[],
        audience="subscribers",
        rule=f"once {now.isoformat()}",
        created_by=None,
        now=now,
        anchor=now,
    )
    run = await repo.start_run(
        schedule.id,
        now,
        chat_ids=list(range(1, recipients + 1)),
        requested_by=None,
        done=True,
        now=now,
    )
    assert run is not None

    async def send(chat_id: int, part: Part) -> None:
        if latency:
            await asyncio.sleep(latency)

    sender = telegram_sender(repo, send, SenderSettings(messages_per_second=1e9, concurrency=6))
    start = time.perf_counter()
    assert await sender.run(run)
    elapsed = time.perf_counter() - start
    await db.close()
    return recipients / elapsed, sender.sent_messages


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="folder on the disk to test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir or ROOT) as tmp:
        folder = Path(tmp)
        print(f"disk: {folder}")
        for mode in MODES:
            times = await single_commits(folder, mode, args.commits)
            ms = sorted(t * 1000 for t in times)
            print(
                f"{mode:6} single commit: p50 {statistics.median(ms):.3f} ms, "
                f"p95 {ms[int(len(ms) * 0.95)]:.3f} ms"
            )
        for latency in (0.0, 0.03):
            for mode in MODES:
                rate, sent = await broadcast(folder, mode, args.recipients, latency)
                print(
                    f"{mode:6} broadcast of {sent} (send answers in {latency * 1000:.0f} ms): "
                    f"{rate:,.0f} msg/s"
                )


if __name__ == "__main__":
    asyncio.run(main())
