"""A knowledge base schedule the scheduler would refuse is a problem with file:line for
`hoibot kb check`, and the bot refuses to start on it with one line, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.kb.cli import main
from tests.kb_fixtures import copy_knowledge
from tests.process import ROOT, write_config

ANNOUNCEMENT = """\
announcements:
  - id: nhac-hoi-phi
    text: {{vi: "Nhắc hội phí.", en: "Fee reminder."}}
    schedule:
      cron: "{cron}"
    audience: members
"""


def knowledge_with(tmp_path: Path, cron: str) -> tuple[Path, Path]:
    folder = copy_knowledge(tmp_path)
    path = folder / "announcements.yaml"
    path.write_text(ANNOUNCEMENT.format(cron=cron), encoding="utf-8")
    return folder, path


@pytest.mark.parametrize(
    ("cron", "problem"),
    [
        ("5-1 * * * *", "must not be higher than the maximum"),
        ("0 8 * * 7-1", "bad day-of-week range"),
        ("0 8 31 2 *", "never fires"),
    ],
)
def test_kb_check_reports_a_schedule_the_scheduler_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cron: str, problem: str
) -> None:
    folder, path = knowledge_with(tmp_path, cron)
    assert main(["kb", "check", "--knowledge-dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}:5: announcement 'nhac-hoi-phi' schedule cron: ")
    assert problem in out


def test_the_bot_does_not_start_on_such_a_schedule_and_says_why_in_one_line(
    tmp_path: Path,
) -> None:
    folder, path = knowledge_with(tmp_path, "5-1 * * * *")
    config = write_config(tmp_path, admins=[42], knowledge_dir=str(folder))
    run = subprocess.run(
        [sys.executable, "-m", "hoibot", "--config", str(config), "run"],
        cwd=ROOT,
        env={"TELEGRAM_BOT_TOKEN": "123:abc", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{path}:5:" in run.stderr + run.stdout
