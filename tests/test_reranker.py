"""The learned rerankers: a second opinion on which of the search's first matches answers,
trained on development sets only (bench/train_ranker.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, import_charter, reranker
from bot.kb.content import Said
from bot.kb.ranking import Match
from bot.kb.reranker import Reranker, choices, probabilities, terms
from bot.kb.subjects import covering_articles
from tests.kb_fixtures import copy_knowledge

ROOT = Path(__file__).resolve().parents[1]

# A charter of a kind none of the training charters is (divers), written for this test.
DIVERS_CHARTER = """# ĐIỀU LỆ HỘI THỢ LẶN CÔNG TRÌNH VIỆT NAM

(Văn bản hư cấu, chỉ dùng cho kiểm thử.)

## Chương I. QUY ĐỊNH CHUNG

### Điều 1. Tên gọi và trụ sở

1. Tên tiếng Việt: Hội Thợ lặn Công trình Việt Nam.
2. Trụ sở chính của Hội đặt tại thành phố Hải Phòng.

## Chương II. HỘI VIÊN

### Điều 2. Hội viên

1. Hội viên chính thức là công dân Việt Nam đã hành nghề lặn công trình từ đủ 3 năm, có
chứng chỉ lặn còn hiệu lực.
2. Hội viên liên kết là doanh nghiệp cứu hộ, thi công dưới nước tán thành Điều lệ Hội.

### Điều 3. Thủ tục kết nạp

Người muốn vào Hội gửi đơn, bản sao chứng chỉ lặn và giấy giới thiệu của hai hội viên cho
chi hội nơi làm việc. Ban Thường vụ xét và ra quyết định kết nạp trong 30 ngày.

### Điều 4. Quyền và nghĩa vụ của hội viên

1. Hội viên được bồi dưỡng kỹ thuật lặn an toàn, được Hội bảo vệ quyền lợi nghề nghiệp.
2. Hội viên có nghĩa vụ chấp hành Điều lệ, tham gia sinh hoạt chi hội và đóng hội phí đầy đủ.

### Điều 5. Ra khỏi Hội

1. Hội viên muốn ra khỏi Hội gửi đơn cho chi hội và nộp lại thẻ hội viên.
2. Hội viên chuyển nơi làm việc sang tỉnh khác được chuyển sinh hoạt về chi hội nơi mới.
3. Hội viên không sinh hoạt 12 tháng liền mà không có lý do thì bị xóa tên.

## Chương III. TỔ CHỨC

### Điều 6. Ban Kiểm tra

Ban Kiểm tra do Đại hội bầu, kiểm tra việc thu chi tài chính và xem xét đơn thư khiếu nại
của hội viên.

### Điều 7. Khen thưởng và kỷ luật

1. Hội viên có thành tích cứu nạn được Hội tặng bằng khen.
2. Hội viên vi phạm Điều lệ, làm tổn hại uy tín của Hội thì bị khiển trách, cảnh cáo hoặc
khai trừ.

## Chương IV. TÀI CHÍNH

### Điều 8. Tài chính của Hội

1. Nguồn thu: hội phí, tài trợ của doanh nghiệp, thu từ dịch vụ đào tạo.
2. Hội phí là 240.000 đồng mỗi năm, nộp cho chi hội trước ngày 31 tháng 3.
3. Hội viên đang thất nghiệp được miễn hội phí trong năm đó.
"""


@pytest.fixture(scope="module")
def divers(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("divers")
    charter = folder / "charter.md"
    charter.write_text(DIVERS_CHARTER, encoding="utf-8")
    knowledge = copy_knowledge(folder)
    import_charter(charter, knowledge / "charter.yaml")
    return KnowledgeBase.load(knowledge)


@pytest.mark.parametrize(("question", "article"), [
    # The search alone only suggested each of these (measured when the ranker came).
    ("that nghiep co phai dong phi ko", "article-8"),  # the exemption inside "Tài chính"
    ("khieu nai gui ai", "article-6"),  # the Inspection Committee hears complaints
    ("hoi co may loai hoi vien", "article-2"),
])
def test_an_indirect_question_on_a_new_charter_is_answered_by_its_article(
    divers: KnowledgeBase, question: str, article: str,
) -> None:
    result = divers.ask(question)
    assert (result.status, result.entry_id) == ("answered", article)


@pytest.mark.parametrize("question", [
    "hoi phi hoi luat gia bao nhieu",  # another association's fee
    "cach lam the thu vien",
    "what is the capital of france",
    "gia vang hom nay",
])
def test_out_of_scope_questions_stay_unanswered_with_a_charter(
    divers: KnowledgeBase, question: str,
) -> None:
    assert divers.ask(question).status != "answered"


def test_an_article_is_marked_with_the_charter_topics_it_covers_whatever_its_title(
    divers: KnowledgeBase,
) -> None:
    """Charters title one topic in different words; the mark of the topic is the same."""
    articles = divers.charter.articles
    covering = covering_articles(divers.topics.values(), articles, by_text=True)
    marked = reranker.article_terms(articles, covering)
    assert {"@finance", "@fee", "tai", "chinh"} <= marked["article-8"]  # fee inside "Tài chính"
    assert "@withdrawal" in marked["article-5"] and "@fee" not in marked["article-5"]
    assert {"@rights", "@duties"} <= marked["article-4"]


def _match(item: str, score: float) -> Match:
    return Match(item, score, 1.0, Said(1.0, 0.5, 2))


def test_the_ranker_takes_the_likeliest_choice_and_is_sure_only_past_its_threshold() -> None:
    titles = {"article-1": terms("Hội phí"), "article-2": terms("Ban Kiểm tra")}
    matches = [_match("article-2", 70.0), _match("article-1", 65.0)]
    # Learned: "tiền" goes with "phí"; "none of them" is unlikely.
    ranker = Reranker({"tien|phi": 12.0, "score": 1.0, "none": -5.0}, threshold=0.9)
    verdict = ranker.judge("tiền đóng mỗi năm", matches, titles)
    assert verdict.choice == "article-1" and verdict.sure
    assert verdict.probability > 0.9
    unsure = Reranker(ranker.weights, threshold=0.999999)
    assert not unsure.judge("tiền đóng mỗi năm", matches, titles).sure
    # Nothing learned of these words: the search's order stands, and it is not sure.
    assert ranker.judge("ai bầu", matches, titles).choice == "article-2"
    assert not ranker.judge("ai bầu", matches, titles).sure


def test_the_words_only_one_candidates_text_holds_tell_it_from_the_others() -> None:
    """Whatever the words, what a candidate's text shares with the question counts, the
    more so the fewer other candidates share them; the "most" marks go to the candidate
    that shares the most, and "none of them" reads the most any shares."""
    texts = {"article-1": terms("Hội viên đóng hội phí mỗi năm một lần"),
             "article-2": terms("Hội viên thay đổi địa chỉ thì báo cho Hội"),
             "article-3": terms("Hội viên có quyền ứng cử vào Ban Chấp hành")}
    titles = {"article-1": terms("Hội phí"), "article-2": terms("Nghĩa vụ"),
              "article-3": terms("Quyền")}
    matches = [_match("article-1", 60.0), _match("article-3", 55.0), _match("article-2", 50.0)]
    options = choices("đổi địa chỉ có phải báo hội không", matches, titles, texts)
    first, third, second, none = options
    assert second["text_hit"] > first["text_hit"] == third["text_hit"] == 0.0
    assert second["telling_hit"] == second["text_hit"] and second["text_most"] == 1.0
    assert "text_most" not in first and "title_most" not in second
    assert none["none_text_hit"] == second["text_hit"]
    # A model that learned to trust telling words picks the third-ranked candidate.
    ranker = Reranker({"score": 1.0, "telling_hit": 20.0}, threshold=0.9)
    assert ranker.judge("đổi địa chỉ có phải báo hội không", matches, titles,
                        texts).choice == "article-2"


def test_none_of_them_is_a_choice() -> None:
    ranker = Reranker({"none": 10.0}, threshold=0.9)
    verdict = ranker.judge("giá vàng", [_match("article-1", 50.0)], {"article-1": terms("Hội phí")})
    assert verdict.choice is None and verdict.sure
    # "None of them" may need more than a candidate to be sure.
    wary = Reranker({"none": 10.0}, threshold=0.5, none_threshold=0.99999)
    verdict = wary.judge("giá vàng", [_match("article-1", 50.0)], {"article-1": terms("Hội phí")})
    assert verdict.choice is None and not verdict.sure


def test_question_words_are_folded_and_paired_without_stopwords() -> None:
    assert terms("Ban Kiểm tra của Hội") == {
        "ban", "kiem", "tra", "ban_kiem", "kiem_tra", "tra_cua", "cua_hoi"}
    assert terms("Đóng phí") == terms("dong PHI")
    # Marks typed as combining characters, "curly" punctuation and emoji part or join
    # words as the marks do in NFD: the fast fold and the plain one read alike.
    assert terms("Ho\u0323i phi\u0301 “bao nhiêu”… 👍 ₫") == terms("hoi phi bao nhieu")


def test_a_written_model_reads_back_the_same(tmp_path: Path) -> None:
    ranker = Reranker({"score": 1.5, "tien|phi": 0.25, "kiem_tra|ban": -0.125}, 0.7, 0.9)
    path = tmp_path / "model.json"
    ranker.write(path, {"trained_on": ["charter2"]})
    again = Reranker.read(path)
    assert again.weights == ranker.weights
    assert (again.threshold, again.none_threshold) == (0.7, 0.9)


@pytest.mark.parametrize("kind", reranker.KINDS)
def test_the_shipped_models_never_saw_a_blind_set(kind: str) -> None:
    """The blind sets judge the rerankers: none may be in what they were trained on."""
    about = json.loads(reranker.model_path(kind).read_text(encoding="utf-8"))["about"]
    source = (ROOT / "bench" / "qa_eval.py").read_text(encoding="utf-8")
    blind: tuple[str, ...] = ()
    for node in ast.parse(source).body:
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.target.id == "BLIND_SETS" and node.value is not None):
            blind = ast.literal_eval(node.value)
    assert about["trained_on"], "the model says what it was trained on"
    assert not set(about["trained_on"]) & set(blind)
    assert reranker.trained(kind) is not None


def test_the_judgement_is_the_softmax_over_the_choices_features() -> None:
    """judge() sums the pairs' weights without naming each pair; the trainer reads the
    named features (choices): both must give the same probabilities."""
    model = reranker.trained("articles")
    assert model is not None
    titles = {"article-8": terms("Tài chính của Hội"), "article-6": terms("Ban Kiểm tra"),
              "article-2": terms("Hội viên")}
    texts = {"article-8": terms("Thu chi của Hội công khai; hội phí do hội viên đóng"),
             "article-6": terms("Ban Kiểm tra kiểm tra thu chi và hội phí"),
             "fee": terms("Hội phí mỗi năm; hội viên thất nghiệp được miễn")}
    matches = [_match("article-6", 58.0), _match("article-8", 55.0),
               Match("fee", 40.0, 0.7, None), _match("article-2", 39.0)]
    for question in ("thất nghiệp có phải đóng phí không", "ai kiểm tra tiền của hội",
                     "what is the capital of france"):
        verdict = model.judge(question, matches, titles, texts)
        chances = probabilities(model.weights, choices(question, matches, titles, texts))
        best = max(range(len(chances)), key=chances.__getitem__)
        assert verdict.probability == pytest.approx(chances[best])
        assert verdict.choice == ([m.id for m in matches] + [None])[best]
