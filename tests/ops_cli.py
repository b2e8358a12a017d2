"""Running ``hoibot`` commands as processes next to the in-test emulator, and read-only folders.

The emulator answers in the test's event loop, so commands run with asyncio's subprocesses.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulator import BotApiEmulator
from tests.harness import ADMIN_ID, ROOT, SECOND_ADMIN_ID


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


def write_config(directory: Path, **settings: Any) -> Path:
    """A config file with the two test admins and a database in ``directory``."""
    raw: dict[str, Any] = {
        "admins": [ADMIN_ID, SECOND_ADMIN_ID],
        "database": str(directory / "hoibot.sqlite3"),
        "knowledge_dir": str(ROOT / "knowledge"),
        **settings,
    }
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


async def hoibot(
    config: Path,
    *args: str,
    emulator: BotApiEmulator | None = None,
    token: str | None = None,
    base_url: str | None = None,
    wrapper: list[str] | None = None,
    timeout: float = 60,  # noqa: ASYNC109
) -> Finished:
    """Run ``python -m hoibot --config CONFIG ARGS...`` (optionally inside ``wrapper``)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONUNBUFFERED": "1"}
    if emulator is not None:
        env["TELEGRAM_BOT_TOKEN"] = token or emulator.token
        env["TELEGRAM_API_BASE_URL"] = base_url or emulator.base_url
    elif token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
        env["TELEGRAM_API_BASE_URL"] = base_url or "http://127.0.0.1:9/bot"
    command = [*(wrapper or []), sys.executable, "-m", "hoibot", "--config", str(config), *args]
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    return Finished(process.returncode or 0, out.decode(), err.decode())


def read_only_wrapper(folder: Path) -> list[str]:
    """A command prefix that runs the command with ``folder`` mounted read-only.

    Root ignores file modes, so a mode of 0555 would not stop it: a read-only bind mount in a
    private mount namespace does (``unshare``). Without that, a non-root user gets 0555.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    return _in_mount_namespace(f'mount --bind -o ro "{folder}" "{folder}"')


def small_disk_wrapper(folder: Path, megabytes: int) -> list[str]:
    """A command prefix that runs the command with a small empty file system on ``folder``."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small file system")
    return _in_mount_namespace(f'mount -t tmpfs -o size={megabytes}m tmpfs "{folder}"')


def _in_mount_namespace(mount: str) -> list[str]:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare for a private mount")
    probe = subprocess.run(
        [unshare, "--mount", "true"], capture_output=True, timeout=10, check=False
    )
    if probe.returncode != 0:
        pytest.skip("cannot create a mount namespace here")
    script = f'{mount} && exec "$@"'
    return [unshare, "--mount", "--propagation", "private", "sh", "-c", script, "sh"]
