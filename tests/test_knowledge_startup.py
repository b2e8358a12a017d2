"""The bot loads its knowledge base at start and refuses to start on a broken one, saying
where each mistake is, one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeError
from hoibot.cli import main
from tests.harness import BotHarness, make_config
from tests.kb_fixtures import BROKEN_FILE, copy_knowledge, write_knowledge_file


@pytest.fixture
def broken_knowledge(tmp_path: Path) -> Path:
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(folder, "broken.yaml", BROKEN_FILE)
    return folder


def test_hoibot_run_stops_with_one_line_per_problem(tmp_path, broken_knowledge, capsys) -> None:
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        # A token and an unreachable Bot API: the check must stop the start before any request.
        "telegram: {token: '123:abc', base_url: 'http://127.0.0.1:9/bot'}\n"
        f"database: {tmp_path / 'db.sqlite3'}\nknowledge_dir: {broken_knowledge}\n",
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config_file)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"hoibot: knowledge base error: {broken_knowledge / 'broken.yaml'}:2: id '<b>&' must be "
        "1-40 lowercase ASCII letters, digits, '-', '_' or '.' (it goes into Telegram button "
        "data)",
        f"hoibot: knowledge base error: {broken_knowledge / 'broken.yaml'}:5: missing "
        "translation: entry '?' answer has no 'en' text",
    ]


def test_a_missing_knowledge_folder_is_named(tmp_path, capsys) -> None:
    config_file = tmp_path / "config.yaml"
    config_file.write_text(f"database: {tmp_path / 'db.sqlite3'}\n", encoding="utf-8")
    assert main(["console", "--config", str(config_file)]) == 2
    assert capsys.readouterr().err == (
        f"hoibot: knowledge base error: {tmp_path / 'knowledge'}: knowledge folder not found\n"
    )


async def test_the_application_factory_refuses_a_broken_knowledge_base(
    tmp_path, emulator, broken_knowledge
) -> None:
    harness = BotHarness(make_config(tmp_path, emulator, knowledge_dir=str(broken_knowledge)))
    with pytest.raises(KnowledgeError, match=r"broken\.yaml:5: missing translation"):
        await harness.start()


async def test_the_started_bot_serves_the_configured_knowledge_base(bot, config) -> None:
    assert bot.services.knowledge.directory == config.knowledge_dir
    assert bot.services.kb.ask("hội phí bao nhiêu").entry_id == "fee"
