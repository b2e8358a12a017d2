"""The real bot as its own process (``python -m hoibot run``) against an emulator served by
the benchmark: what bench/broadcast.py and bench/fairness.py share."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent


def start_bot(
    config: Path, emulator: BotApiEmulator, log: Path, root: Path = ROOT
) -> subprocess.Popen[bytes]:
    """Start the bot of the checkout ``root`` on ``config``, its output appended to ``log``."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "hoibot", "--config", str(config), "run"],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def stop_bot(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait for the bot to stop while the emulator keeps serving it."""
    process.send_signal(signal.SIGTERM)
    while process.poll() is None:  # noqa: ASYNC110 - keep serving the emulator meanwhile
        await asyncio.sleep(0.05)
