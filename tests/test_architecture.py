"""The architecture's contracts (.importlinter, run by ``make lint``) hold, and would catch a
breach: each planted import below breaks the contract it names, in a copy of the packages."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ROOT

CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser


def root_packages() -> list[str]:
    return config()["importlinter"]["root_packages"].split()


def contract_name(contract_id: str) -> str:
    return config()[f"importlinter:contract:{contract_id}"]["name"]


def copy_of_the_code(folder: Path) -> Path:
    for package in root_packages():
        shutil.copytree(
            ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(CONFIG, folder / ".importlinter")
    return folder


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the code in ``folder`` (first on the path, so the copy is read)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(folder / ".importlinter"), "--no-cache"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def plant(folder: Path, module: str, line: str) -> None:
    path = folder / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_code_keeps_every_contract(tmp_path) -> None:
    result = lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{contract_name('core')} KEPT" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("bot/texts/formats.py", "import telegram", "core"),
        ("bot/__init__.py", "import telegram.ext", "core"),
        ("bot/storage/users.py", "from bot.tg import updates", "core"),
        ("bot/kb/search.py", "import handlers.common", "core"),
        ("bot/tg/updates.py", "from handlers import common", "layers"),
        ("handlers/start.py", "import hoibot.app", "layers"),
        ("handlers/start.py", "import emulator", "handlers-no-emulator"),
    ],
)
def test_a_planted_import_breaks_its_contract(tmp_path, module, line, contract) -> None:
    folder = copy_of_the_code(tmp_path)
    plant(folder, module, line)
    result = lint_imports(folder)
    assert result.returncode != 0
    assert f"{contract_name(contract)} BROKEN" in " ".join(result.stdout.split()), result.stdout
