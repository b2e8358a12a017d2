"""The secretariat imports the official charter; members then ask for articles by number.

The charter used here is FICTIONAL: the tests write it themselves. It is not the VLA's.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

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


# --- One charter, every shape it reaches the secretariat in -----------------------------
# The same FICTIONAL charter written as Word and PDF and web pages write it; every import
# must give the same chapters, articles, titles and texts.

CANONICAL = """\
ĐIỀU LỆ HỘI NHỮNG NGƯỜI ĐÓNG SÁCH (FICTIONAL)

Chương I
QUY ĐỊNH CHUNG

Điều 1. Tên gọi
Tên của hội là Hội Những Người Đóng Sách (FICTIONAL), gọi tắt là Hội Đóng Sách, hoạt động trên phạm vi cả nước theo quy định của pháp luật Việt Nam.

Điều 2. Tôn chỉ, mục đích
Hội tập hợp những người đóng sách, phục chế sách cũ và những người yêu sách để cùng giữ gìn nghề đóng sách thủ công (FICTIONAL).

Chương II
HỘI VIÊN

Điều 3. Điều kiện gia nhập
Công dân Việt Nam từ đủ 18 tuổi, tán thành Điều lệ Hội và tự nguyện làm đơn thì được xét kết nạp làm hội viên (FICTIONAL).

Điều 4. Quyền của hội viên
Hội viên có các quyền sau:
1. Được dự đại hội, ứng cử và bầu cử vào các cơ quan của Hội theo quy định tại Điều 6 của Điều lệ này.
2. Được Hội cung cấp thông tin về hoạt động nghề nghiệp:
a) Thông tin về các lớp học phục chế sách;
b) Thông tin về các cuộc thi đóng sách.
- Được ra khỏi Hội khi không muốn tiếp tục là hội viên (FICTIONAL).

Điều 5. Hội phí
Hội viên đóng hội phí 50.000 đồng một năm, nộp trước ngày 31 tháng 3 (FICTIONAL).

Chương III
TỔ CHỨC

Điều 6. Cơ cấu tổ chức
Các cơ quan của Hội gồm Đại hội, Ban Chấp hành và Ban Kiểm tra (FICTIONAL).
"""  # noqa: E501 (paragraphs are one line each, as a Word file has them)

EXPECTED = [
    (1, "QUY ĐỊNH CHUNG", [
        (1, "Tên gọi", "Tên của hội là Hội Những Người Đóng Sách (FICTIONAL), gọi tắt là Hội "
         "Đóng Sách, hoạt động trên phạm vi cả nước theo quy định của pháp luật Việt Nam."),
        (2, "Tôn chỉ, mục đích", "Hội tập hợp những người đóng sách, phục chế sách cũ và những "
         "người yêu sách để cùng giữ gìn nghề đóng sách thủ công (FICTIONAL)."),
    ]),
    (2, "HỘI VIÊN", [
        (3, "Điều kiện gia nhập", "Công dân Việt Nam từ đủ 18 tuổi, tán thành Điều lệ Hội và "
         "tự nguyện làm đơn thì được xét kết nạp làm hội viên (FICTIONAL)."),
        (4, "Quyền của hội viên", "\n".join([
            "Hội viên có các quyền sau:",
            "1. Được dự đại hội, ứng cử và bầu cử vào các cơ quan của Hội theo quy định tại "
            "Điều 6 của Điều lệ này.",
            "2. Được Hội cung cấp thông tin về hoạt động nghề nghiệp:",
            "a) Thông tin về các lớp học phục chế sách;",
            "b) Thông tin về các cuộc thi đóng sách.",
            "- Được ra khỏi Hội khi không muốn tiếp tục là hội viên (FICTIONAL).",
        ])),
        (5, "Hội phí", "Hội viên đóng hội phí 50.000 đồng một năm, nộp trước ngày 31 tháng 3 "
         "(FICTIONAL)."),
    ]),
    (3, "TỔ CHỨC", [
        (6, "Cơ cấu tổ chức", "Các cơ quan của Hội gồm Đại hội, Ban Chấp hành và Ban Kiểm tra "
         "(FICTIONAL)."),
    ]),
]

_ARTICLE_HEADING = re.compile(r"^Điều (\d+)\. (.+)$", re.MULTILINE)
_CHAPTER_HEADING = re.compile(r"^Chương ([IVX]+)\n(.+)$", re.MULTILINE)
_ORDINALS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu"}
_ROMAN = {"I": 1, "II": 2, "III": 3}


def _articles(template: str) -> Callable[[str], str]:
    """A variant that writes every article heading with ``template`` (n, title)."""
    return lambda text: _ARTICLE_HEADING.sub(
        lambda m: template.format(n=m[1], title=m[2], TITLE=m[2].upper()), text)


def _chapters(template: str) -> Callable[[str], str]:
    return lambda text: _CHAPTER_HEADING.sub(
        lambda m: template.format(r=m[1], n=_ROMAN[m[1]], title=m[2]), text)


def _pdf(text: str) -> str:
    """Text as pasted from a PDF: lines broken at 60 characters inside sentences, a page
    number and the running header at each page break (every 12 lines)."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        lines += textwrap.wrap(paragraph, 60) or [""]
    pages, out = [lines[i:i + 12] for i in range(0, len(lines), 12)], []
    for number, page in enumerate(pages, start=1):
        out += ["Hội Những Người Đóng Sách – Điều lệ (FICTIONAL)", "", *page]
        out += ["", f"- {number} -" if number % 2 else f"Trang {number}", ""]
    return "\n".join(out)


def _markdown(text: str) -> str:
    text = _chapters("## Chương {r}. {title}")(text)
    text = _articles("**Điều {n}. {title}**")(text)
    return "\n\n".join(text.splitlines())  # Markdown: a blank line between paragraphs


def _preamble(text: str) -> str:
    return (
        "BỘ NỘI VỤ (FICTIONAL)\n\nQUYẾT ĐỊNH\nVề việc phê duyệt Điều lệ Hội (FICTIONAL)\n\n"
        "Căn cứ Nghị định số 00/0000/NĐ-CP quy định về tổ chức hội (FICTIONAL);\n"
        "Xét đề nghị của Chủ tịch Hội,\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Phê duyệt Điều lệ Hội kèm theo Quyết định này.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n" + text
    )


TEXT_VARIANTS: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "colon": _articles("Điều {n}: {title}"),
    "dash": _articles("Điều {n} - {title}"),
    "no space after the dot": _articles("Điều {n}.{title}"),
    "capitals": lambda text: _chapters("CHƯƠNG {r}\n{title}")(
        _articles("ĐIỀU {n}. {TITLE}")(text)),
    "title on the next line": _articles("Điều {n}\n{title}"),
    "ordinal words": lambda text: _ARTICLE_HEADING.sub(
        lambda m: f"Điều thứ {_ORDINALS[int(m[1])]}: {m[2]}", text),
    "chapter title on its line": _chapters("CHƯƠNG {r}. {title}"),
    "chapter in digits": _chapters("Chương {n}: {title}"),
    "markdown bold": _markdown,
    "pasted from a PDF": _pdf,
    "approval decision first": _preamble,
    "a table of contents first": lambda text: "MỤC LỤC\n" + "\n".join(
        f"{heading.replace(chr(10), '. ')} {'.' * 12} {page}" for page, heading in enumerate(
            re.findall(r"^(?:Chương [IVX]+\n.+|Điều \d+\. .+)$", text, re.MULTILINE), 1)
    ) + "\n\n" + text,
    "NFD and non-breaking spaces": lambda text: unicodedata.normalize("NFD", text.replace(
        "Điều ", "Điều\u00a0").replace(" của ", "\u00a0của ")),
    "Windows line ends and a BOM": lambda text: "\ufeff" + text.replace("\n", "\r\n"),
}


def outline(knowledge: Path) -> list[tuple[int | None, str, list[tuple[int, str, str]]]]:
    """The imported charter as the bot reads it: chapters, their articles' titles and texts."""
    charter = KnowledgeBase.load(knowledge).charter
    assert charter is not None
    return [
        (chapter.number, chapter.title.vi,
         [(a.number, a.title.vi, a.text.vi) for a in chapter.articles])
        for chapter in charter.chapters
    ]


@pytest.mark.parametrize("variant", list(TEXT_VARIANTS))
def test_every_shape_of_the_text_gives_the_same_charter(
    knowledge: Path, tmp_path: Path, variant: str
) -> None:
    source = tmp_path / ("dieu-le.md" if "markdown" in variant else "dieu-le.txt")
    source.write_bytes(TEXT_VARIANTS[variant](CANONICAL).encode("utf-8"))
    report = import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge) == EXPECTED
    assert (report.chapters, report.articles) == (3, 6)
    assert not [w for w in report.warnings if "follows" in w or "no title" in w], report.warnings


def _docx(path: Path, text: str, heading: Callable[[docx.document.Document, str], None]) -> Path:
    document = docx.Document()
    for line in text.splitlines():
        if line.startswith(("Chương", "Điều ")) and "6 của" not in line:
            heading(document, line)
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def _bold(document: docx.document.Document, line: str) -> None:
    document.add_paragraph().add_run(line).bold = True


DOCX_VARIANTS: dict[str, Callable[[docx.document.Document, str], None]] = {
    "plain paragraphs": lambda document, line: document.add_paragraph(line),
    "Heading styles": lambda document, line: document.add_heading(
        line, level=1 if line.startswith("Chương") else 2),
    "bold paragraphs": _bold,
}


@pytest.mark.parametrize("variant", list(DOCX_VARIANTS))
def test_every_shape_of_a_word_file_gives_the_same_charter(
    knowledge: Path, tmp_path: Path, variant: str
) -> None:
    source = _docx(tmp_path / "dieu-le.docx", CANONICAL, DOCX_VARIANTS[variant])
    import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge) == EXPECTED


def test_a_table_inside_an_article_keeps_its_text(knowledge: Path, tmp_path: Path) -> None:
    document = docx.Document()
    for line in CANONICAL.split("Chương III")[0].splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    rows = [("Hội viên", "Hội phí"), ("Cá nhân", "50.000 đồng")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("Hội phí nộp qua chi hội (FICTIONAL).")
    source = tmp_path / "dieu-le.docx"
    document.save(str(source))
    import_charter(source, knowledge / "charter.yaml")
    fee = outline(knowledge)[1][2][2]
    assert fee[2].splitlines()[1:] == [
        "Hội viên | Hội phí", "Cá nhân | 50.000 đồng", "Hội phí nộp qua chi hội (FICTIONAL)."
    ]


def test_a_charter_without_chapters_keeps_every_article(knowledge: Path, tmp_path: Path) -> None:
    flat = re.sub(r"^Chương [IVX]+\n.+\n", "", CANONICAL, flags=re.MULTILINE)
    for name, text in {"flat": flat, "flat after a decision": _preamble(flat)}.items():
        source = tmp_path / f"{name}.txt"
        source.write_text(text, encoding="utf-8")
        report = import_charter(source, knowledge / "charter.yaml")
        assert (report.chapters, report.articles) == (0, 6), name
        assert outline(knowledge) == [
            (None, "Điều lệ", [a for _, _, articles in EXPECTED for a in articles])
        ], name


def test_the_skipped_preamble_and_the_page_furniture_are_reported(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(_pdf(_preamble(CANONICAL)), encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge) == EXPECTED
    assert any("2 article(s) of the approval decision" in w for w in report.warnings)
    assert any("page numbers and running headers" in w for w in report.warnings)


def test_a_suspiciously_long_article_is_a_warning(knowledge: Path, tmp_path: Path) -> None:
    long_text = CANONICAL.replace("Điều 6. Cơ cấu tổ chức\n", "Điều 6. Cơ cấu tổ chức\n"
                                  + "Ban Chấp hành họp mỗi quý một lần (FICTIONAL).\n" * 120)
    source = tmp_path / "long.txt"
    source.write_text(long_text, encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert any(w.startswith("article 6 (line") and "is long" in w for w in report.warnings)


def test_a_heading_the_importer_cannot_read_is_a_warning_not_a_lost_article(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "odd.txt"
    source.write_text(CANONICAL.replace("Điều 5. Hội phí", "Điều 5 hội phí"), encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert report.articles == 5
    assert "article 6 (line 32) follows article 4" in report.warnings
    assert any("starts like the heading of article 5" in w for w in report.warnings)
    source.write_text(CANONICAL.replace("Điều 5. Hội phí", "Điều thứ năm Hội phí"),
                      encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert any("starts like the heading of article thứ năm" in w for w in report.warnings)


def test_the_signatures_after_the_last_article_are_not_its_text(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(CANONICAL + "\nTM. BAN CHẤP HÀNH\nCHỦ TỊCH\n(Đã ký)\nNguyễn Văn A "
                      "(FICTIONAL)\n", encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge) == EXPECTED
    assert any(w.startswith("left out 4 line(s) from line 35 on") for w in report.warnings)


def test_an_article_with_a_title_and_no_text_keeps_its_title_as_text(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(CANONICAL.replace("Điều 5. Hội phí\n", "Điều 5. (Bãi bỏ)\n\n"
                                        "Điều 7. Hội phí\n"), encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert report.articles == 7
    assert outline(knowledge)[1][2][2] == (5, "(Bãi bỏ)", "(Bãi bỏ)")
    assert "article 5 (line 26) has no text: its title \"(Bãi bỏ)\" is its text" in (
        report.warnings)


def test_an_article_with_neither_title_nor_text_is_refused(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text("Điều 1. Tên\nMột (FICTIONAL).\nĐiều 2.\nĐiều 3. Ba\nBa.\n",
                      encoding="utf-8")
    with pytest.raises(CharterImportError, match=r"^article 2 \(line 3\) has no text"):
        import_charter(source, knowledge / "charter.yaml")


def test_text_between_a_chapter_and_its_first_article_is_a_warning(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(CANONICAL.replace("Điều 3. Điều kiện gia nhập", "Điều thứ ba Điều kiện"),
                      encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert report.articles == 5
    assert "line 15: text between chapter 2's title and its first article is left out: " \
        "\"Điều thứ ba Điều kiện\"" in report.warnings


def test_a_signature_inside_the_charter_does_not_end_it(knowledge: Path, tmp_path: Path) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(CANONICAL.replace("Điều 5. Hội phí\n", "KT. Chủ tịch (FICTIONAL)\n"
                                        "Điều 5. Hội phí\n"), encoding="utf-8")
    report = import_charter(source, knowledge / "charter.yaml")
    assert report.articles == 6


def test_a_reference_a_pdf_broke_onto_a_new_line_is_no_heading(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(_pdf(CANONICAL).replace(
        "theo quy định tại Điều 6 của Điều lệ này.",
        "theo quy định tại Điều 6 của Điều lệ này và hướng dẫn tại\n"
        "Điều 3. Thông tư số 00 (FICTIONAL).",
    ), encoding="utf-8")
    import_charter(source, knowledge / "charter.yaml")
    rights = outline(knowledge)[1][2][1]
    assert rights[2].splitlines()[1] == (
        "1. Được dự đại hội, ứng cử và bầu cử vào các cơ quan của Hội theo quy định tại Điều 6 "
        "của Điều lệ này và hướng dẫn tại Điều 3. Thông tư số 00 (FICTIONAL)."
    )


def _numbered_list(document: docx.document.Document, levels: list[tuple[str, str]]) -> str:
    """A Word list whose levels show ``(format, text)``, e.g. ("decimal", "Điều %1."); its id."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f"{lvls}</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90">'
                               '<w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document: docx.document.Document, text: str, list_id: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/>'
        "</w:numPr>"))


def test_a_reference_to_a_chapter_at_the_start_of_a_line_is_no_heading(
    knowledge: Path, tmp_path: Path
) -> None:
    source = tmp_path / "dieu-le.txt"
    source.write_text(CANONICAL.replace(
        "nộp trước ngày 31 tháng 3 (FICTIONAL).",
        "nộp trước ngày 31 tháng 3 (FICTIONAL).\nChương 3 của Điều lệ này nói về tổ chức.",
    ), encoding="utf-8")
    import_charter(source, knowledge / "charter.yaml")
    chapters = outline(knowledge)
    assert [number for number, _, _ in chapters] == [1, 2, 3]
    assert chapters[1][2][2][2].endswith("\nChương 3 của Điều lệ này nói về tổ chức.")


def test_word_automatic_numbering_is_read_as_word_shows_it(
    knowledge: Path, tmp_path: Path
) -> None:
    document = docx.Document()
    list_id = _numbered_list(document, [("decimal", "Điều %1."), ("decimal", "%2."),
                                        ("lowerLetter", "%3)"), ("bullet", "\u2022")])
    article = re.compile(r"^Điều \d+\. ")
    clause = re.compile(r"^(?:\d\. |[ab]\) |- )")
    for line in CANONICAL.splitlines():
        if article.match(line):
            _numbered(document, article.sub("", line), list_id, 0)
        elif clause.match(line):
            level = {"-": 3}.get(line[0], 1 if line[0].isdigit() else 2)
            _numbered(document, clause.sub("", line), list_id, level)
        else:
            document.add_paragraph(line)
    source = tmp_path / "dieu-le.docx"
    document.save(str(source))
    report = import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge) == EXPECTED
    assert any(w.startswith("11 paragraph(s) use Word's automatic numbering; their numbers "
                            "were counted as Word shows them (\"Điều 1.\" first)")
               for w in report.warnings)


def test_a_word_list_style_numbers_its_paragraphs(knowledge: Path, tmp_path: Path) -> None:
    document = docx.Document()
    for line in CANONICAL.splitlines():
        document.add_paragraph(line)
    document.add_paragraph("Hội viên tập thể (FICTIONAL).", style="List Number")
    source = tmp_path / "dieu-le.docx"
    document.save(str(source))
    import_charter(source, knowledge / "charter.yaml")
    assert outline(knowledge)[2][2][0][2].endswith("\n1. Hội viên tập thể (FICTIONAL).")
