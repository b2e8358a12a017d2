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


# The sets written this session and after: each holdout's size (answerable, out of scope),
# each charter's questions and the chapters and articles its import must find.
NEWER_HOLDOUTS = ("holdout14", "holdout15", "holdout16", "holdout17", "holdout18", "holdout19",
                  "holdout20", "holdout21", "holdout22", "holdout23", "holdout24",
                  "holdout25", "holdout26", "holdout27", "holdout28", "holdout29",
                  "holdout30", "holdout31", "holdout32", "holdout33", "holdout34",
                   "holdout35", "holdout36", "holdout37", "holdout38", "holdout39",
                   "holdout40", "holdout41", "holdout42", "holdout43", "holdout44",
                   "holdout45", "holdout46", "holdout47", "holdout48", "holdout49",
                   "holdout50", "holdout51", "holdout52", "holdout53", "holdout54",
                   "holdout55", "holdout56", "holdout57", "holdout58", "holdout59",
                   "holdout60", "holdout61", "holdout62", "holdout63", "holdout64",
                   "holdout65", "holdout66")
NEWER_CHARTERS = {
    "charter12": (35, 7, 23), "charter13": (35, 6, 23), "charter14": (40, 7, 25),
    "charter15": (40, 8, 27), "charter16": (40, 7, 25), "charter17": (40, 7, 26),
    "charter18": (40, 7, 26), "charter19": (40, 7, 25), "charter20": (40, 8, 25),
    "charter21": (40, 7, 26), "charter22": (40, 7, 26),
    "charter23": (40, 8, 27),
    "charter24": (40, 7, 27),
    "charter25": (40, 7, 26),
    "charter26": (45, 7, 26),
    "charter27": (40, 7, 26),
    "charter28": (60, 7, 25),
    "charter29": (48, 7, 25),
    "charter30": (60, 7, 26),
    "charter31": (65, 8, 26),
    "charter32": (66, 8, 25),
    "charter33": (79, 7, 28),
    "charter34": (55, 7, 27),
    "charter35": (58, 7, 25),
    "charter36": (62, 7, 24),
    "charter37": (64, 7, 25),
    "charter38": (69, 7, 26),
    "charter39": (63, 7, 24),
    "charter40": (73, 7, 24),
    "charter41": (84, 7, 26),
    "charter42": (77, 7, 26),
    "charter43": (91, 7, 25),
    "charter44": (89, 7, 26),
    "charter45": (88, 7, 27),
    "charter46": (88, 7, 28),
    "charter47": (88, 8, 27),
    "charter48": (88, 8, 28),
    "charter49": (88, 7, 26),
    "charter50": (87, 7, 26),
    "charter51": (88, 7, 28),
    "charter52": (89, 7, 26),
    "charter53": (88, 7, 26),
    "charter54": (89, 7, 26),
    "charter55": (90, 7, 27),
    "charter56": (88, 7, 27),
    "charter57": (90, 7, 27),
    "charter58": (90, 7, 27),
    "charter59": (89, 7, 26),
    "charter60": (90, 7, 27),
    "charter61": (90, 7, 28),
    "charter62": (88, 8, 28),
    "charter63": (88, 8, 28),
    "charter64": (88, 7, 27),
    "charter65": (89, 8, 27),
    "charter66": (88, 7, 28),
    "charter67": (90, 7, 26),
    "charter68": (87, 7, 28),
    "charter69": (88, 7, 27),
    "charter70": (88, 7, 28),
    "charter71": (85, 7, 26),
    "charter72": (82, 6, 25),
    "charter73": (85, 7, 27),
    "charter74": (82, 6, 26),
}


@pytest.mark.parametrize("name", NEWER_HOLDOUTS)
def test_a_newer_holdout_is_big_enough(name: str) -> None:
    data = yaml.safe_load((BLIND / f"{name}.yaml").read_text(encoding="utf-8"))
    unknown = [item for item in data["questions"] if item["expect"] == "unknown"]
    assert len(data["questions"]) - len(unknown) >= 130 and len(unknown) >= 28


@pytest.mark.parametrize("name", NEWER_CHARTERS)
def test_a_newer_charter_is_big_enough_and_imports_all_its_articles(
    name: str, tmp_path: Path
) -> None:
    questions, chapters, articles = NEWER_CHARTERS[name]
    data = yaml.safe_load((BLIND / name / "questions.yaml").read_text(encoding="utf-8"))
    assert len(data["questions"]) >= questions
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = import_charter(BLIND / name / "charter.md", knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert (report.chapters, report.articles) == (chapters, articles)
    assert all(kb.article(number) for number in range(1, articles + 1))



def test_the_facts_a_writer_reads_say_nothing_of_how_items_are_found() -> None:
    """bench/blind_facts.py (tests/data/blind/WRITING.md) drops the curated questions,
    keywords, aliases and stand-in topics at any depth, and keeps every fact."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from blind_facts import facts

    entry = {"id": "fee", "title": {"vi": "Hội phí"}, "answer": {"vi": "50.000 đồng/năm"},
             "questions": {"vi": ["hội phí bao nhiêu"]}, "keywords": ["phí"],
             "stands_in_for": ["fee"], "meetings": [{"id": "m", "aliases": ["x"],
                                                     "place": {"vi": "Hà Nội"}}]}
    assert facts({"entries": [entry]}) == {"entries": [{
        "id": "fee", "title": {"vi": "Hội phí"}, "answer": {"vi": "50.000 đồng/năm"},
        "meetings": [{"id": "m", "place": {"vi": "Hà Nội"}}]}]}
