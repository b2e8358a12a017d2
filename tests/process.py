"""The bot as a real process (``python -m hoibot run``) against the in-test emulator.

Crash tests need a process they can SIGKILL. The emulator keeps running in the test's event
loop, so waiting for the process never blocks the loop: it polls.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent


def write_config(
    directory: Path,
    *,
    admins: list[int],
    announcements: dict[str, Any] | None = None,
    **settings: Any,
) -> Path:
    """A config file for a bot process; the token and Bot API URL come from the environment."""
    raw: dict[str, Any] = {
        "admins": admins,
        "database": str(directory / "bot.sqlite3"),
        "knowledge_dir": str(ROOT / "knowledge"),
        "announcements": announcements or {},
        **settings,
    }
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


class BotProcess:
    """Starts, kills and stops ``python -m hoibot --config FILE run`` pointed at an emulator."""

    def __init__(self, config_path: Path, emulator: BotApiEmulator) -> None:
        self.config_path = config_path
        self.emulator = emulator
        self.log_path = config_path.parent / "bot.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Launch the bot (its output goes to ``bot.log`` beside the config)."""
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self.emulator.token,
            "TELEGRAM_API_BASE_URL": self.emulator.base_url,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("HOIBOT_ADMINS", None)
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {self.starts} ---\n".encode())
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hoibot", "--config", str(self.config_path), "run"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_polling(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Wait until this start of the bot polls for updates (its start-up work is done)."""
        since = time.monotonic()
        deadline = since + timeout
        while time.monotonic() < deadline:
            if any(c.method == "getUpdates" and c.time >= since for c in self.emulator.calls):
                return
            self._check_alive()
            await asyncio.sleep(0.05)
        raise TimeoutError(f"the bot did not start polling within {timeout}s:\n{self.log()}")

    def _check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, like a power cut of the process."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    async def stop(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """SIGTERM and wait for a clean exit (the emulator keeps answering meanwhile)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise TimeoutError(f"the bot did not stop within {timeout}s:\n{self.log()}")
            await asyncio.sleep(0.05)
        return self.process.returncode

    def log(self) -> str:
        """What the bot printed (the tail)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
