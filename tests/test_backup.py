"""Backups and restore: a copy taken while the bot writes, restored, and the bot goes on."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from datetime import time

import pytest

from bot.config import BackupsConfig
from bot.ops.backups import list_backups, take_backup
from bot.storage.backup import check_database
from handlers.backups import JOB_NAME
from tests.harness import BotHarness, make_config
from tests.ops_cli import hoibot, write_config


def count(path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


async def test_a_backup_taken_while_the_bot_writes_restores_and_the_bot_starts_on_it(
    tmp_path, emulator, admin, admin2
):
    config = make_config(tmp_path, emulator)
    members = emulator.add_users(30, start_id=5000)
    bot = BotHarness(config)
    await bot.start()
    for early in members[:10]:
        await early.send("/subscribe")
    await emulator.wait_until(lambda: all(m.delivered for m in members[:10]))

    # The other members subscribe and the bot records errors while the backup is taken.
    writing = True
    under_way = asyncio.Event()

    async def keep_writing() -> int:
        written = 0
        while writing:
            await bot.services.reported_errors.record(f"load-{written}")
            written += 1
            if written == 50:
                under_way.set()
            await asyncio.sleep(0)
        return written

    writer = asyncio.create_task(keep_writing())
    for late in members[10:]:
        await late.send("/subscribe")
    await under_way.wait()
    made = await asyncio.to_thread(take_backup, config.database, tmp_path / "backups", config.tz)
    writing = False
    written = await writer
    await emulator.wait_until(lambda: all(m.delivered for m in members))
    await bot.stop()

    assert check_database(made.path).ok
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    copied = count(made.path, "SELECT count(*) FROM reported_errors")
    assert 50 <= copied <= written  # a snapshot of one instant, in the middle of the writes
    subscribed = count(made.path, "SELECT count(*) FROM users WHERE subscribed = 1")
    assert 10 <= subscribed <= 30

    config_file = write_config(tmp_path, database=str(config.database))
    restored = await hoibot(config_file, "restore", str(made.path))
    assert restored.returncode == 0, restored.stderr
    aside = list(tmp_path.glob("hoibot.sqlite3.before-restore-*"))
    assert len(aside) == 1
    assert count(aside[0], "SELECT count(*) FROM users WHERE subscribed = 1") == 30
    assert count(config.database, "SELECT count(*) FROM reported_errors") == copied

    async with BotHarness(config):
        await members[0].send("/start")
        await members[0].wait_for(lambda m: "Xin chào" in m.text)


async def test_restore_refuses_while_the_bot_runs(bot, tmp_path):
    backup = take_backup(bot.config.database, tmp_path / "backups", bot.config.tz)
    config_file = write_config(tmp_path, database=str(bot.config.database))
    before = bot.config.database.stat().st_ino
    result = await hoibot(config_file, "restore", str(backup.path))
    assert result.returncode == 1
    assert "already running" in result.stderr and "stop it first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert bot.config.database.stat().st_ino == before


async def test_restore_refuses_a_corrupt_file_and_changes_nothing(bot, tmp_path):
    await bot.stop()
    good = take_backup(bot.config.database, tmp_path / "backups", bot.config.tz)
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of garbage where tables were
    damaged.write_bytes(bytes(data))
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("this is not a database")
    config_file = write_config(tmp_path, database=str(bot.config.database))
    before = bot.config.database.read_bytes()
    for bad in (damaged, not_a_database):
        result = await hoibot(config_file, "restore", str(bad))
        assert result.returncode == 1, result
        assert "damaged or not a database" in result.stderr
        assert "nothing was changed" in result.stderr
    assert bot.config.database.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


async def test_hoibot_backup_writes_a_checked_file_named_by_time(tmp_path, bot):
    config_file = write_config(tmp_path, database=str(bot.config.database))
    result = await hoibot(config_file, "backup", str(tmp_path / "manual"))
    assert result.returncode == 0, result.stderr
    [made] = list_backups(tmp_path / "manual")
    assert str(made) in result.stdout and "integrity ok" in result.stdout
    assert made.name.startswith("hoibot-") and check_database(made).ok


async def test_the_daily_backup_keeps_the_newest_and_deletes_the_oldest(tmp_path, emulator, admin):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 5):  # four older backups, by their names
        (folder / f"hoibot-2026010{day}-030000.sqlite3").write_bytes(b"old")
    (folder / "keep-me.sqlite3").write_bytes(b"not a backup by its name")
    config = make_config(tmp_path, emulator, backups={"dir": str(folder), "keep": 3})
    assert config.backups == BackupsConfig(folder, 3, time(3, 0))
    async with BotHarness(config) as bot:
        [job] = bot.application.job_queue.get_jobs_by_name(JOB_NAME)
        await job.run(bot.application)
    kept = [path.name for path in list_backups(folder)]
    assert kept[:2] == ["hoibot-20260103-030000.sqlite3", "hoibot-20260104-030000.sqlite3"]
    assert len(kept) == 3 and check_database(folder / kept[2]).ok
    assert (folder / "keep-me.sqlite3").exists()


async def test_a_failed_daily_backup_is_reported_to_the_admins(tmp_path, emulator, admin, admin2):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    config = make_config(tmp_path, emulator, backups={"dir": str(blocked / "backups")})
    async with BotHarness(config) as bot:
        [job] = bot.application.job_queue.get_jobs_by_name(JOB_NAME)
        await job.run(bot.application)
        notice = await admin.wait_for(lambda m: "Sao lưu hằng ngày không thành công" in m.text)
        assert str(blocked / "backups") in notice.text
        await admin.send("/health")
        report = await admin.wait_for(lambda m: "Tình trạng của bot" in m.text)
        assert "BackupError" in report.text


@pytest.mark.parametrize("value", ["25:00", "noon", 0])
def test_a_wrong_backup_time_names_the_key(tmp_path, emulator, value):
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match=r"backups\.(time|keep)"):
        make_config(tmp_path, emulator, backups={"time": value} if value else {"keep": value})


@pytest.mark.slow
async def test_restore_against_a_real_bot_process(tmp_path, emulator, admin, member):
    from tests.process import BotProcess
    from tests.process import write_config as process_config

    config_file = process_config(tmp_path, admins=[admin.id])
    process = BotProcess(config_file, emulator)
    process.start()
    try:
        await process.wait_polling()
        await member.send("/subscribe")
        await member.next_message(timeout=30)
        made = await hoibot(config_file, "backup", str(tmp_path / "backups"))
        assert made.returncode == 0, made.stderr
        [backup] = list_backups(tmp_path / "backups")
        await member.send("/unsubscribe")  # after the backup: undone by the restore
        await member.wait_for(lambda m: "/subscribe" in m.text and "🔕" in m.text, timeout=30)
        refused = await hoibot(config_file, "restore", str(backup))
        assert refused.returncode == 1 and "already running" in refused.stderr
        assert await process.stop() == 0
        restored = await hoibot(config_file, "restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        database = tmp_path / "bot.sqlite3"
        assert count(database, f"SELECT subscribed FROM users WHERE id = {member.id}") == 1
        process.start()
        await process.wait_polling()
        await member.send("/start")
        await member.wait_for(lambda m: "Xin chào" in m.text, timeout=30)
    finally:
        if process.process is not None and process.process.poll() is None:
            await process.stop()
