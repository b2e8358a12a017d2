"""Fairness benchmark: how long a quiet user waits for /start while someone else hogs the bot.

The real bot runs as its own process (``python -m hoibot run``) against the Bot API emulator
served from this process, as in ``bench/broadcast.py``. In each scenario a quiet user sends
``/start`` every 0.25 s, 20 times (each timed from its send to its reply), while:

(a) one user floods 300 messages (questions) as fast as the emulator takes them;
(b) the members' group floods commands: four members send ``/help`` ten times each (Telegram
    allows the bot 20 messages a minute into one group, so replies there must queue);
(c) one chat's reply gets a 429 with ``retry_after`` 8.

It prints p50/p95/max of the quiet user's reply latency (send to reply, as the emulator sees
them). Target: p95 under 0.5 s in each case.

Usage: ``python bench/fairness.py [--samples N] [--root DIR]`` (``--root``: run the bot from
another checkout, e.g. an older commit, to compare).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.botprocess import start_bot, stop_bot  # noqa: E402
from emulator import BotApiEmulator, EmulatedUser  # noqa: E402

ADMIN_ID = 42
QUIET_ID = 5001
FLOODER_ID = 5002
VICTIM_ID = 5003
GROUP_ID = -100_200
INTERVAL = 0.25  # between two of the quiet user's /start
TARGET_P95 = 0.5


def write_config(directory: Path) -> Path:
    path = directory / "config.yaml"
    raw = {
        "admins": [ADMIN_ID],
        "members_group_id": GROUP_ID,
        "database": str(directory / "bot.sqlite3"),
        "knowledge_dir": str(ROOT / "knowledge"),
    }
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path



async def quiet_latencies(quiet: EmulatedUser, samples: int) -> list[float]:
    """The quiet user's /start every INTERVAL seconds, whatever happens to the earlier ones
    (open loop): seconds from each send to its reply (one chat's replies come in order)."""
    sent: list[float] = []
    answered: list[float] = []

    async def collect() -> None:
        for _ in range(samples):
            await quiet.next_message(timeout=180)
            answered.append(time.monotonic())

    collector = asyncio.create_task(collect())
    for _ in range(samples):
        sent.append(time.monotonic())
        await quiet.send("/start")
        await asyncio.sleep(INTERVAL)
    await collector
    return [done - start for start, done in zip(sent, answered, strict=True)]


async def flood_messages(emulator: BotApiEmulator) -> None:
    flooder = emulator.user(FLOODER_ID, "Người gửi dồn")
    for n in range(300):
        await flooder.send(f"hoi phi bao nhieu {n}")


async def flood_group(emulator: BotApiEmulator) -> None:
    group = emulator.group(GROUP_ID, "Hội viên")
    senders = [emulator.user(6000 + n, f"Hội viên {n}") for n in range(4)]
    for sender in senders:
        group.add_member(sender)
    for _ in range(10):
        for sender in senders:
            await sender.send("/help", chat=group)


async def retry_after_8(emulator: BotApiEmulator) -> None:
    victim = emulator.user(VICTIM_ID, "Người bị 429")
    emulator.fail("sendMessage", "429", chat_id=VICTIM_ID, retry_after=8)
    await victim.send("/start")
    # The quiet user starts once the victim's reply has met its 429.
    await emulator.wait_until(
        lambda: any(
            c.method == "sendMessage" and c.params.get("chat_id") == VICTIM_ID
            for c in emulator.calls
        ),
        timeout=30,
    )


SCENARIOS: dict[str, Callable[[BotApiEmulator], Awaitable[None]]] = {
    "(a) one user floods 300 messages": flood_messages,
    "(b) the members' group floods /help": flood_group,
    "(c) one chat gets 429 retry_after 8": retry_after_8,
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def scenario(root: Path, name: str, load, samples: int) -> list[float]:
    workdir = Path(tempfile.mkdtemp(prefix="hoibot-fairness-"))
    async with BotApiEmulator() as emulator:
        quiet = emulator.user(QUIET_ID, "Yên")
        emulator.user(ADMIN_ID, "Thư ký")
        since = time.monotonic()
        bot = start_bot(write_config(workdir), emulator, workdir / "bot.log", root)
        try:
            await emulator.wait_until(
                lambda: any(c.method == "getUpdates" and c.time >= since for c in emulator.calls),
                timeout=60,
            )
            await quiet.send("/start")  # warm up: first-use costs are not the question here
            await quiet.next_message(timeout=30)
            await load(emulator)
            return await quiet_latencies(quiet, samples)
        finally:
            await stop_bot(bot)


async def run(root: Path, samples: int) -> int:
    met = True
    print(f"bot code: {root}; {samples} /start per scenario, {INTERVAL} s apart")
    for name, load in SCENARIOS.items():
        latencies = await scenario(root, name, load, samples)
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        met = met and p95 < TARGET_P95
        print(
            f"{name:40s} p50 {p50 * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms"
            f"   max {max(latencies) * 1000:7.0f} ms"
        )
    print(f"target p95 < {TARGET_P95} s: " + ("met" if met else "NOT met"))
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to run the bot from")
    args = parser.parse_args()
    return asyncio.run(run(args.root.resolve(), args.samples))


if __name__ == "__main__":
    raise SystemExit(main())
