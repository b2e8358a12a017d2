"""The blind sets of tests/data/blind/ are well formed (their integrity, never their scores).

Every answer a holdout expects is an item of knowledge/, and every charter set's charter
imports into a copy of knowledge/ with the articles its questions expect. No question is
asked of the search here: the sets are scored only by `python bench/qa_eval.py`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.kb import KnowledgeBase, import_charter

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "data" / "blind"
KNOWLEDGE = ROOT / "knowledge"
HOLDOUTS = sorted(BLIND.glob("holdout*.yaml"))
CHARTERS = sorted(path for path in BLIND.glob("charter*") if path.is_dir())


def _expected(questions: list[dict]) -> set[str]:
    wanted: set[str] = set()
    for item in questions:
        assert item["q"].strip(), item
        expect = item["expect"]
        wanted.update(expect if isinstance(expect, list) else [expect])
    return wanted - {"unknown"}


@pytest.mark.parametrize("path", HOLDOUTS, ids=lambda path: path.stem)
def test_a_holdout_expects_only_items_that_exist(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kb = KnowledgeBase.load(KNOWLEDGE)
    items = set(kb.entries) | {meeting.id for meeting in kb.meetings}
    assert isinstance(data["asked_on"], date)
    assert _expected(data["questions"]) <= items


@pytest.mark.parametrize("folder", CHARTERS, ids=lambda folder: folder.name)
def test_a_charter_set_imports_with_the_articles_it_expects(folder: Path,
                                                            tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(folder / "charter.md", knowledge / "charter.yaml")
    data = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    articles = {f"article-{number}" for number in range(1, report.articles + 1)}
    kb = KnowledgeBase.load(knowledge)
    assert report.articles >= 15 and len(data["questions"]) >= 15
    assert all(kb.article(int(name.split("-")[1])) for name in _expected(data["questions"]))
    assert _expected(data["questions"]) <= articles


def test_the_newest_sets_are_big_enough() -> None:
    data = yaml.safe_load((BLIND / "holdout13.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 100 and len(unknown) >= 25
    for name in ("charter10", "charter11"):
        charter = yaml.safe_load((BLIND / name / "questions.yaml").read_text(encoding="utf-8"))
        assert len(charter["questions"]) >= 25


def test_the_fourth_charter_imports_all_its_articles_in_chapters(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter4" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.articles == 21
    assert all(kb.article(number) for number in range(1, 22))


def test_holdout14_and_charter12_are_big_enough(tmp_path: Path) -> None:
    data = yaml.safe_load((BLIND / "holdout14.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 130 and len(unknown) >= 28
    charter = yaml.safe_load((BLIND / "charter12" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 35
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter12" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 23
    assert all(kb.article(number) for number in range(1, 24))


def test_charter14_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter14" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter14" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 25
    assert all(kb.article(number) for number in range(1, 26))


def test_holdout15_and_charter13_are_big_enough(tmp_path: Path) -> None:
    data = yaml.safe_load((BLIND / "holdout15.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 130 and len(unknown) >= 28
    charter = yaml.safe_load((BLIND / "charter13" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 35
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter13" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 6 and report.articles == 23
    assert all(kb.article(number) for number in range(1, 24))


def test_charter15_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter15" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter15" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 8 and report.articles == 27
    assert all(kb.article(number) for number in range(1, 28))


def test_charter16_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter16" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter16" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 25
    assert all(kb.article(number) for number in range(1, 26))


def test_charter17_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter17" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter17" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 26
    assert all(kb.article(number) for number in range(1, 27))


def test_charter18_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter18" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter18" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 26
    assert all(kb.article(number) for number in range(1, 27))


def test_charter19_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter19" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter19" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 7 and report.articles == 25
    assert all(kb.article(number) for number in range(1, 26))


def test_charter20_is_big_enough_and_imports_all_its_articles(tmp_path: Path) -> None:
    charter = yaml.safe_load((BLIND / "charter20" / "questions.yaml").read_text(encoding="utf-8"))
    assert len(charter["questions"]) >= 40
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / "charter20" / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert report.chapters == 8 and report.articles == 25
    assert all(kb.article(number) for number in range(1, 26))


def test_holdout16_is_big_enough() -> None:
    data = yaml.safe_load((BLIND / "holdout16.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 130 and len(unknown) >= 28


def test_holdout17_is_big_enough() -> None:
    data = yaml.safe_load((BLIND / "holdout17.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 130 and len(unknown) >= 28
