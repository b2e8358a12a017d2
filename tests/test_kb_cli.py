"""The secretariat's tools on the command line: kb check, kb import-charter, ask."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_config
from bot.kb.cli import add_kb_commands, main

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, folder)
    return folder


def test_check_of_the_shipped_folder_prints_one_ok_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["kb", "check", "--knowledge-dir", str(SHIPPED)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith(f"{SHIPPED}: OK: 25 entries, 7 meetings, 4 terms, 0 charter articles")


def test_check_prints_each_problem_with_its_path_and_line_and_fails(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq = knowledge / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("see: [bch-2-4]", "see: [bch-2-44]"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "see: [bch-2-4]" in row)
    assert main(["kb", "check", "--knowledge-dir", str(knowledge)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{faq}:{line}: 'issi' refers to unknown answer id 'bch-2-44'\n"
    assert "1 problem(s)" in captured.err


def test_ask_json_prints_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hoi phi bao nhieu", "--json", "--knowledge-dir", str(SHIPPED)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "answered"
    assert answer["entry_id"] == "fee"
    assert answer["lang"] == "vi"
    assert "Văn phòng Hội" in answer["answer"]
    assert answer["source"].startswith("Điều lệ Hội")
    assert answer["suggestions"] == []
    assert 0 < answer["score"] <= 100


def test_ask_answers_in_the_language_of_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "How much is the membership fee?", "--knowledge-dir", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "please ask the Association's Office" in out
    assert "Source: Charter (summary)" in out


def test_ask_says_unknown_for_the_weather(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "thoi tiet hom nay", "--json", "--knowledge-dir", str(SHIPPED)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "unknown"
    assert answer["answer"] is None and answer["entry_id"] is None


def test_ask_for_an_article_before_the_import(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "điều 5", "--knowledge-dir", str(SHIPPED)]) == 0
    assert "not found: the charter has no article 5 (the charter text is not imported yet)" in (
        capsys.readouterr().out
    )


def test_import_charter_reports_what_it_found(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(
        "Chương I. Chung (FICTIONAL)\nĐiều 1. Tên\nHội mẫu (FICTIONAL).\n", encoding="utf-8"
    )
    assert main(["kb", "import-charter", str(source), "--knowledge-dir", str(knowledge)]) == 0
    assert "imported 1 chapter(s) and 1 article(s)" in capsys.readouterr().out
    assert main(["ask", "dieu 1", "--json", "--knowledge-dir", str(knowledge)]) == 0
    assert json.loads(capsys.readouterr().out)["entry_id"] == "article-1"


def test_a_refused_import_fails_and_changes_nothing(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (knowledge / "charter.yaml").read_bytes()
    source = tmp_path / "empty.md"
    source.write_text("# Không có điều nào\n", encoding="utf-8")
    assert main(["kb", "import-charter", str(source), "--knowledge-dir", str(knowledge)]) == 1
    assert "not imported: no article found" in capsys.readouterr().err
    assert (knowledge / "charter.yaml").read_bytes() == before


def test_without_knowledge_dir_the_configuration_given_by_the_caller_is_used(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        'knowledge_dir: knowledge\nassociation:\n  phone: "024 0000 0000 (test)"\n',
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser(prog="hoibot")
    add_kb_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["ask", "so dien thoai cua hoi"])
    args.config = load_config(config_file, env={})
    assert args.func(args) == 0
    assert "Điện thoại: 024 0000 0000 (test)" in capsys.readouterr().out


def test_import_charter_names_the_entries_the_articles_now_replace_and_check_warns(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    charter = Path(__file__).parent / "data" / "dev_charter" / "dieu-le-mau.md"
    assert main(["kb", "import-charter", str(charter), "--knowledge-dir", str(knowledge)]) == 0
    out = capsys.readouterr().out
    assert "superseded: 'fee' is now answered by article-6" in out
    assert main(["kb", "check", "--knowledge-dir", str(knowledge)]) == 0
    # The fictional charter has no article on the kinds of members.
    assert "'collective-members' stands in for charter topic 'member-kinds'" in (
        capsys.readouterr().out
    )


def test_import_charter_prints_one_report_of_chapters_articles_and_warnings(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(
        "QUYẾT ĐỊNH phê duyệt Điều lệ (FICTIONAL)\n\n"
        "CHƯƠNG I. QUY ĐỊNH CHUNG\nĐIỀU 1. TÊN GỌI\nHội Mẫu (FICTIONAL).\n"
        "Chương II\nHỘI VIÊN\nĐiều 2: Hội viên\nCông dân Việt Nam (FICTIONAL).\n"
        "Điều 4 - Hội phí\nMười nghìn đồng (FICTIONAL).\n",
        encoding="utf-8",
    )
    assert main(["kb", "import-charter", str(source), "--knowledge-dir", str(knowledge)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        f"imported 2 chapter(s) and 3 article(s) from {source} into {knowledge / 'charter.yaml'}",
        "  Chương I. QUY ĐỊNH CHUNG: Điều 1",
        "  Chương II. HỘI VIÊN: Điều 2–4 (2 articles)",
        "warning: skipped 1 line(s) before the first chapter or article (title, preamble)",
        "warning: article 4 (line 10) follows article 2",
        "superseded: 'fee' is now answered by article-4",
    ]


@pytest.mark.parametrize(("text", "error"), [
    ("Chương I\nQuy định chung (FICTIONAL)\n",
     "not imported: no article found: article headings must read \"Điều 1. …\" at the start "
     "of a line"),
    ("Điều 1. Tên\nMột (FICTIONAL).\nĐiều 2. Tôn chỉ\nHai.\nĐIỀU 1: TÊN\nBa.\n",
     "not imported: article 1 appears twice (lines 1 and 5): fix the source file"),
    ("%PDF-1.7 (FICTIONAL)", "not imported: {source}: PDF files cannot be read: save it as "
     ".docx (Word: Save As) or copy its text into a .txt file, then import that"),
])
def test_a_refused_import_says_why_in_one_line(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, error: str
) -> None:
    source = tmp_path / ("dieu-le.pdf" if text.startswith("%PDF") else "dieu-le.txt")
    source.write_text(text, encoding="utf-8")
    assert main(["kb", "import-charter", str(source), "--knowledge-dir", str(knowledge)]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", error.format(source=source) + "\n")


def test_ask_piped_into_a_reader_that_leaves_early_prints_no_traceback(
    tmp_path: Path,
) -> None:
    """`hoibot ask ... | head -3`: the reader closes the pipe before the answer is written;
    the command ends quietly instead of printing a BrokenPipeError traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hoibot", "ask", "--knowledge-dir", str(SHIPPED),
         "hội phí bao nhiêu"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": ""},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the bot has loaded its knowledge, let alone answered
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
