"""The secretariat imports the official charter; members then ask for articles by number.

The charter used here is FICTIONAL: the tests write it themselves. It is not the VLA's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from bot.config import AssociationConfig
from bot.kb import CharterImportError, KnowledgeBase, check_knowledge, import_charter

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge"

FICTIONAL_CHARTER = """\
ĐIỀU LỆ HỘI MẪU (FICTIONAL – văn bản giả dùng cho kiểm thử, không phải Điều lệ thật)

Chương I
NHỮNG QUY ĐỊNH CHUNG (FICTIONAL)

Điều 1. Tên gọi
Tên của hội mẫu là Hội Mẫu Kiểm Thử (FICTIONAL).

Điều 2. Tôn chỉ
Hội mẫu chỉ tồn tại trong bộ kiểm thử.
Dòng thứ hai của Điều 2.

CHƯƠNG II: HỘI VIÊN (FICTIONAL)

Điều 3. Quyền của hội viên mẫu
1. Được đọc văn bản giả này.
2. Được hỏi bot "Điều 3 nói gì".

Điều 4: Nghĩa vụ của hội viên mẫu
Không có nghĩa vụ thật nào (FICTIONAL).
"""

FICTIONAL_MARKDOWN = """\
# Điều lệ hội mẫu (FICTIONAL)

## Chương I. Những quy định chung

**Điều 1.** Tên gọi

Tên của hội mẫu là Hội Mẫu Kiểm Thử (FICTIONAL).

## Chương II. Hội viên

### Điều 2. Quyền của hội viên mẫu

- Được đọc văn bản giả này.

### Điều 3. Nghĩa vụ của hội viên mẫu

Không có nghĩa vụ thật nào (FICTIONAL).
"""


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, folder)
    return folder


def write_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def sources(tmp_path: Path) -> dict[str, Path]:
    txt = tmp_path / "dieu-le.txt"
    txt.write_text(FICTIONAL_CHARTER, encoding="utf-8")
    md = tmp_path / "dieu-le.md"
    md.write_text(FICTIONAL_MARKDOWN, encoding="utf-8")
    return {"txt": txt, "md": md, "docx": write_docx(tmp_path / "dieu-le.docx", FICTIONAL_CHARTER)}


@pytest.mark.parametrize("kind", ["txt", "md", "docx"])
def test_member_asks_for_article_3_after_the_import(
    knowledge: Path, tmp_path: Path, kind: str
) -> None:
    report = import_charter(sources(tmp_path)[kind], knowledge / "charter.yaml")
    assert report.chapters == 2
    assert report.articles == (3 if kind == "md" else 4)
    kb = KnowledgeBase.load(knowledge)
    for question in ("điều 3 nói gì", "dieu 3", "article 3", "Điều III quy định gì?"):
        result = kb.ask(question)
        assert (result.status, result.entry_id) == ("answered", "article-3"), question


def test_the_article_text_is_the_official_vietnamese_text(knowledge: Path, tmp_path: Path) -> None:
    import_charter(sources(tmp_path)["txt"], knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    article = kb.article(3)
    assert article is not None
    assert article.title.vi == "Quyền của hội viên mẫu"
    assert article.text.vi == '1. Được đọc văn bản giả này.\n2. Được hỏi bot "Điều 3 nói gì".'
    answer = kb.render_answer("article-3", "vi", AssociationConfig())
    assert answer.text.startswith("Điều 3. Quyền của hội viên mẫu\n\n1. Được đọc")
    assert answer.source == "Điều lệ Hội Thư viện Việt Nam, Chương II, Điều 3"


def test_in_english_the_article_says_the_official_text_is_vietnamese(
    knowledge: Path, tmp_path: Path
) -> None:
    import_charter(sources(tmp_path)["txt"], knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    answer = kb.render_answer("article-2", "en", AssociationConfig())
    assert answer.title == "Article 2. Tôn chỉ"
    assert "official text of the charter is Vietnamese" in answer.text
    assert "Dòng thứ hai của Điều 2." in answer.text  # nothing translated, nothing invented
    assert answer.source == "Charter of the Vietnam Library Association, Chapter I, Article 2"


def test_chapters_keep_their_titles_from_the_next_line(knowledge: Path, tmp_path: Path) -> None:
    import_charter(sources(tmp_path)["txt"], knowledge / "charter.yaml")
    kb = KnowledgeBase.load(knowledge)
    assert [chapter.number for chapter in kb.charter.chapters] == [1, 2]
    assert kb.title("chuong-1", "vi") == "Chương I. NHỮNG QUY ĐỊNH CHUNG (FICTIONAL)"
    assert kb.title("chuong-2", "vi") == "Chương II. HỘI VIÊN (FICTIONAL)"
    assert [article.number for article in kb.charter.chapters[1].articles] == [3, 4]
    chapter = kb.ask("chương 2")
    assert (chapter.status, chapter.entry_id) == ("answered", "chuong-2")
    listing = kb.render_answer("chuong-2", "vi", AssociationConfig())
    assert "- Điều 3. Quyền của hội viên mẫu" in listing.text.splitlines()


def test_an_article_that_does_not_exist_is_not_found(knowledge: Path, tmp_path: Path) -> None:
    import_charter(sources(tmp_path)["txt"], knowledge / "charter.yaml")
    result = KnowledgeBase.load(knowledge).ask("điều 40")
    assert result.status == "not_found"
    assert result.reference is not None and result.reference.number == 40


def test_the_verified_charter_facts_survive_the_import(knowledge: Path, tmp_path: Path) -> None:
    before = (knowledge / "charter.yaml").read_text(encoding="utf-8")
    import_charter(sources(tmp_path)["txt"], knowledge / "charter.yaml")
    after = (knowledge / "charter.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.split("chapters: []")[0].rstrip("\n"))
    assert check_knowledge(knowledge) == []
    assert KnowledgeBase.load(knowledge).ask("hội phí bao nhiêu").entry_id == "fee"


def test_importing_again_replaces_the_chapters(knowledge: Path, tmp_path: Path) -> None:
    files = sources(tmp_path)
    import_charter(files["txt"], knowledge / "charter.yaml")
    import_charter(files["md"], knowledge / "charter.yaml")
    text = (knowledge / "charter.yaml").read_text(encoding="utf-8")
    assert text.count("\nchapters:") == 1
    assert text.count("# Imported by") == 1
    assert len(KnowledgeBase.load(knowledge).charter.articles) == 3


def test_a_file_without_articles_is_refused_and_nothing_changes(
    knowledge: Path, tmp_path: Path
) -> None:
    before = (knowledge / "charter.yaml").read_bytes()
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "Chương I\nBiên bản họp, không có điều khoản nào (FICTIONAL).\n", encoding="utf-8"
    )
    with pytest.raises(CharterImportError, match="no article found"):
        import_charter(notes, knowledge / "charter.yaml")
    assert (knowledge / "charter.yaml").read_bytes() == before


def test_an_article_written_twice_is_refused(knowledge: Path, tmp_path: Path) -> None:
    before = (knowledge / "charter.yaml").read_bytes()
    twice = tmp_path / "twice.txt"
    twice.write_text("Điều 1. A\nmột\nĐiều 1. B\nhai\n", encoding="utf-8")
    with pytest.raises(CharterImportError, match="article 1 appears twice"):
        import_charter(twice, knowledge / "charter.yaml")
    assert (knowledge / "charter.yaml").read_bytes() == before


def test_a_gap_in_the_article_numbers_is_a_warning(knowledge: Path, tmp_path: Path) -> None:
    gap = tmp_path / "gap.txt"
    gap.write_text("Điều 1. A\nmột (FICTIONAL)\nĐiều 3. C\nba (FICTIONAL)\n", encoding="utf-8")
    report = import_charter(gap, knowledge / "charter.yaml")
    assert report.articles == 2 and report.chapters == 0
    assert report.warnings == ("article 3 (line 3) follows article 1",)
    assert KnowledgeBase.load(knowledge).ask("dieu 3").entry_id == "article-3"


def test_a_cross_reference_inside_an_article_is_not_a_heading(
    knowledge: Path, tmp_path: Path
) -> None:
    text = tmp_path / "ref.txt"
    text.write_text("Điều 1. A\nĐiều 5 của văn bản này (FICTIONAL) nói khác.\n", encoding="utf-8")
    report = import_charter(text, knowledge / "charter.yaml")
    assert report.articles == 1


def test_a_missing_source_file_is_refused(knowledge: Path, tmp_path: Path) -> None:
    with pytest.raises(CharterImportError, match="file not found"):
        import_charter(tmp_path / "missing.docx", knowledge / "charter.yaml")
