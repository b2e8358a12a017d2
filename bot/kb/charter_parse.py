"""The chapters and articles of a charter text, from the clean lines of :mod:`charter_reader`.

Headings, in any of the shapes Vietnamese charters come in:

- articles: "Điều 1. Tên gọi", "Điều 1: …", "Điều 1 - …", "Điều 1.Tên gọi", "ĐIỀU 1. TÊN
  GỌI", "**Điều 1. Tên gọi**", "### Điều 1. …", "Điều thứ nhất: …", and "Điều 1" with its
  title on the next line. "Điều 2 Tên gọi" (no punctuation) is a heading only when 2 is the
  number expected next, so a cross-reference that starts a line ("Điều 5 của Điều lệ này
  quy định …") stays text;
- chapters: "Chương I", "CHƯƠNG I", "Chương 1", "Chương I. QUY ĐỊNH CHUNG", "Chương thứ
  nhất", with the title on the same line or the next one(s).

Titles: an article title written in capitals is made sentence case ("TÊN GỌI" is "Tên
gọi"; "Việt Nam" and a few names keep their capitals); chapter titles stay as written
(official texts write them in capitals, and that is how ``/charter`` shows them).

Texts: a line that does not end a sentence is joined to the next one (text pasted from a
PDF breaks lines inside sentences), unless the next one opens a clause ("1.", "a)", "-",
"+", "•") or is a table row; every paragraph and clause is one line of the article's text.

The preamble is not the charter: when the text has chapters, everything before the first
one; without chapters, the approval decision before the charter's own title ("ĐIỀU LỆ …")
when the articles start again at 1 after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import quantiles

from bot.kb.charter_reader import Line
from bot.kb.normalize import roman_to_int

_PUNCT = r"[.:\-–—)]"
_CHAPTER = re.compile(
    rf"^ch(?:ươ|uo)ng\s+(?:th(?:ứ|u)\s+(?P<words>[^\W\d_]+(?:\s+[^\W\d_]+)*?)\s*(?={_PUNCT}|$)"
    rf"|(?P<value>[ivxlc]+|\d+)\b)\s*(?:{_PUNCT}\s*)?(?P<title>.*)$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(
    rf"^(?:đ|d)i(?:ề|e)u\s+(?:th(?:ứ|u)\s+(?P<words>[^\W\d_]+(?:\s+[^\W\d_]+)*?)\s*(?={_PUNCT}|$)"
    rf"|(?P<value>\d+))\s*(?:(?P<punct>{_PUNCT})\s*(?P<title>.*))?$",
    re.IGNORECASE,
)
_LOOSE_ARTICLE = re.compile(r"^(?:đ|d)i(?:ề|e)u\s+(\d+)\s+(\S.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^m(?:ụ|u)c\s+(?:[ivxlc]+|\d+)\b", re.IGNORECASE)
_CHARTER_TITLE = re.compile(r"^(?:đ|d)i(?:ề|e)u\s+l(?:ệ|e)\b(?!\s*\d)", re.IGNORECASE)
_MARKDOWN = re.compile(r"^(?:#{1,6}\s*|>\s*)+")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+?)\1(.*)$")
_SIGNATURE = re.compile(r"^(?:TM\.|T/M|KT\.|Q\.\s|Nơi nhận\b|\(?đã ký\b)", re.IGNORECASE)
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_CLAUSE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|[-–—•+*])(?:\s|$)")
_SENTENCE_END = tuple(".!?;:…\"”»)]")
_PROPER_NAMES = ("Việt Nam", "Hà Nội", "Hồ Chí Minh", "Nhà nước", "Đảng Cộng sản",
                 "Hội Thư viện Việt Nam", "Mặt trận Tổ quốc", "Bộ Nội vụ", "Bộ Văn hóa")

_UNITS = {"một": 1, "mốt": 1, "nhất": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
          "lăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}


@dataclass
class Article:
    number: int
    title: str
    line: int
    body: list[str] = field(default_factory=list)
    title_from_next_line: bool = False
    open: bool = False  # the last body line may go on on the next line

    @property
    def text(self) -> str:
        return "\n".join(self.body).strip()


@dataclass
class Chapter:
    number: int | None
    title: str
    line: int
    articles: list[Article] = field(default_factory=list)


@dataclass
class Parsed:
    chapters: list[Chapter]
    warnings: list[str]


def vietnamese_number(words: str) -> int | None:
    """"nhất" 1, "mười hai" 12, "hai mươi mốt" 21 …, up to 99; None for other words."""
    tokens = words.casefold().split()
    if tokens in (["nhất"], ["một"]):
        return 1
    if not tokens or "nhất" in tokens:
        return None
    if tokens[0] == "mười":
        tens, rest = 1, tokens[1:]
    elif len(tokens) >= 2 and tokens[1] == "mươi" and tokens[0] in _UNITS:
        tens, rest = _UNITS[tokens[0]], tokens[2:]
    else:
        tens, rest = 0, tokens
    if len(rest) > 1 or (rest and rest[0] not in _UNITS):
        return None
    units = _UNITS[rest[0]] if rest else 0
    if tens == 0 and rest and rest[0] in ("mốt", "lăm"):
        return None
    return tens * 10 + units or None


def _clean(line: str) -> str:
    """A line without Markdown heading marks and emphasis around its start."""
    line = _MARKDOWN.sub("", line.strip())
    emphasis = _EMPHASIS.match(line)
    if emphasis:
        line = f"{emphasis[2]}{emphasis[3]}"
    return line.strip().strip("*_").strip()


def _is_caps(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def sentence_case(title: str) -> str:
    """An all-caps title as a sentence: "QUYỀN CỦA HỘI VIÊN" is "Quyền của hội viên"."""
    if not _is_caps(title):
        return title
    lowered = title.lower()
    for name in _PROPER_NAMES:
        lowered = re.sub(re.escape(name.lower()), name, lowered)
    for index, char in enumerate(lowered):
        if char.isalpha():
            return lowered[:index] + char.upper() + lowered[index + 1:]
    return lowered


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_SENTENCE_END) or _is_caps(text)


def _chapter_number(match: re.Match[str]) -> int | None:
    if match["words"]:
        return vietnamese_number(match["words"])
    value = match["value"]
    return int(value) if value.isdigit() else roman_to_int(value.lower())


def _article_heading(text: str, expected: int) -> tuple[int, str] | None:
    """The number and title of an article heading, or None for a line of text."""
    match = _ARTICLE.match(text)
    if match:
        number = vietnamese_number(match["words"]) if match["words"] else int(match["value"])
        if number is not None:
            return number, (match["title"] or "").strip()
    loose = _LOOSE_ARTICLE.match(text)
    if loose and int(loose[1]) == expected and len(text) <= 100 and loose[2][0].isupper() \
            and not text.endswith((".", ";", ",")):
        return expected, loose[2].strip()
    return None


def _start(lines: list[tuple[Line, str]]) -> int:
    """Where the charter starts: past the preamble (title, approval decision)."""
    for index, (_, text) in enumerate(lines):
        match = _CHAPTER.match(text)
        if match and _chapter_number(match) is not None:
            return index
    # Without chapters: after the last charter title that the articles restart at 1 from.
    start, seen_article, title_at = 0, False, None
    for index, (_, text) in enumerate(lines):
        heading = _article_heading(text, 0)
        if heading is None:
            if _CHARTER_TITLE.match(text) and len(text) <= 150 and not text.endswith("."):
                title_at = index
            continue
        if heading[0] == 1 and seen_article and title_at is not None:
            start = title_at
        seen_article, title_at = True, None
    return start


def parse(source: list[Line]) -> Parsed:
    """The chapters and articles of the charter in ``source``."""
    lines = [(line, "" if _RULE.match(line.text) else _clean(line.text)) for line in source]
    widths = [len(text) for line, text in lines if text and not line.table]
    wrap = max(quantiles(widths, n=10)[-1] if len(widths) >= 2 else 0, 60.0)
    start = _start(lines)
    parser = _Parser(lines, wrap)
    parser.warnings += _skipped(lines[:start])
    parser.read(start)
    for chapter in parser.chapters:
        for item in chapter.articles:
            if not item.body and item.title_from_next_line:
                item.body, item.title = [item.title], ""  # the "title" was its only text
    return Parsed(parser.chapters, parser.warnings)


def _skipped(before: list[tuple[Line, str]]) -> list[str]:
    """The warning for the lines before the charter's first chapter or article, if any."""
    skipped = [text for _, text in before if text]
    if not skipped:
        return []
    preamble_articles = sum(1 for text in skipped if _ARTICLE.match(text))
    return [
        f"skipped {len(skipped)} line(s) before the first chapter or article (title, "
        "preamble" + (f", {preamble_articles} article(s) of the approval decision"
                      if preamble_articles else "") + ")"
    ]


class _Parser:
    """One reading of a charter's lines: the chapters and articles found so far, the article
    being read, and a heading whose title is on the next line (``pending``) or may go on
    there (``titled``)."""

    def __init__(self, lines: list[tuple[Line, str]], wrap: float) -> None:
        self.lines = lines
        self.wrap = wrap
        self.warnings: list[str] = []
        self.chapters: list[Chapter] = []
        self.article: Article | None = None
        self.pending: Chapter | Article | None = None
        self.titled: Chapter | Article | None = None
        self.previous = 0  # the last article's number

    def read(self, start: int) -> None:
        """Read the lines from ``start`` on."""
        for index in range(start, len(self.lines)):
            line, text = self.lines[index]
            if not text:
                if self.article is not None:
                    self.article.open = False
                continue
            if self._heading(line, text):
                continue
            if self.article is not None and _SIGNATURE.match(text) \
                    and not _heading_follows(self.lines, index):
                rest = sum(1 for _, later in self.lines[index:] if later)
                self.warnings.append(
                    f"left out {rest} line(s) from line {line.number} on, after the last "
                    f"article: \"{text[:40]}\" (signatures)")
                break
            if _SECTION.match(text) and len(text) <= 150:
                self.warnings.append(
                    f"line {line.number}: the section heading \"{text}\" is left out "
                    "(charter.yaml has chapters and articles only)")
                continue
            if not self._title(line, text, index):
                self._body(line, text)

    def _heading(self, line: Line, text: str) -> bool:
        """A chapter's or an article's heading starts it; False if ``text`` is none."""
        article = self.article
        chapter_match = _CHAPTER.match(text)
        chapter_number = _chapter_number(chapter_match) if chapter_match else None
        if chapter_match and (chapter_match["title"][:1].islower() or (
                article is not None and article.open and article.body
                and _wrapped(article.body[-1], self.wrap))):
            chapter_match = chapter_number = None  # "… quy định tại" / "Chương 2 của Luật …"
        heading = None if chapter_match else _article_heading(text, self.previous + 1)
        if chapter_match and chapter_number is not None:
            title = chapter_match["title"].strip()
            self.chapters.append(Chapter(chapter_number, title, line.number))
            self.article = None
            self.pending, self.titled = ((None, self.chapters[-1]) if title
                                         else (self.chapters[-1], None))
            return True
        if heading is not None and article is not None and article.open and article.body \
                and heading[0] != self.previous + 1 and _wrapped(article.body[-1], self.wrap):
            heading = None  # "… theo quy định tại" / "Điều 5. …": a reference cut by a PDF
        if heading is None:
            return False
        if not self.chapters:
            self.chapters.append(Chapter(None, "", line.number))
        number, title = heading
        self.article = Article(number, sentence_case(title), line.number)
        self.chapters[-1].articles.append(self.article)
        self.previous = number
        self.pending, self.titled = (None, self.article) if title else (self.article, None)
        return True

    def _title(self, line: Line, text: str, index: int) -> bool:
        """A heading's title on the line after it, or going on there; False if ``text`` is
        neither."""
        pending = self.pending
        if pending is not None and not line.table and not _CLAUSE.match(text) \
                and _could_be_title(text, self.lines, index, self.wrap, pending):
            if isinstance(pending, Article):
                pending.title = sentence_case(text)
                pending.title_from_next_line = True
            else:
                pending.title = text
            self.pending, self.titled = None, pending
            return True
        self.pending = None
        titled = self.titled
        if titled is not None and not line.table and _continues_title(titled, text, self.wrap):
            titled.title = sentence_case(f"{titled.title} {text}") if isinstance(titled, Article) \
                else f"{titled.title} {text}"
            return True
        self.titled = None
        return False

    def _body(self, line: Line, text: str) -> None:
        """A line of the current article's text (or one between a chapter and its first
        article, left out with a warning)."""
        article, raw = self.article, line.text.strip()
        if article is None:  # between a chapter's title and its first article
            if self.chapters and not self.chapters[-1].articles:
                self.warnings.append(
                    f"line {line.number}: text between chapter {self.chapters[-1].number}'s "
                    f"title and its first article is left out: \"{text[:60]}\"")
            return
        if line.table:
            article.body.append(raw)
            article.open = False
        elif article.open and article.body and not _CLAUSE.match(text) \
                and _joins(article.body[-1], text, self.wrap):
            article.body[-1] = f"{article.body[-1]} {raw}"
        else:
            article.body.append(raw)
            article.open = True


def _heading_follows(lines: list[tuple[Line, str]], index: int) -> bool:
    """Whether a chapter or an article heading comes after line ``index``."""
    return any(_CHAPTER.match(text) or _ARTICLE.match(text) for _, text in lines[index + 1:])


def _could_be_title(text: str, lines: list[tuple[Line, str]], index: int, wrap: float,
                    pending: Chapter | Article) -> bool:
    if isinstance(pending, Chapter):
        return True
    if _is_caps(text):
        return True
    if len(text) > 120 or text.endswith((".", ";", ":", ",")) or len(text) > 0.8 * wrap:
        return False
    following = next((t for _, t in lines[index + 1:] if t), "")
    return not following[:1].islower()


def _continues_title(titled: Chapter | Article, text: str, wrap: float) -> bool:
    """A title wrapped over two lines: capitals after capitals, or a lowercase start."""
    if isinstance(titled, Chapter):
        return _is_caps(titled.title) and _is_caps(text) and not _ARTICLE.match(text)
    return (text[:1].islower() and not titled.title.endswith(_SENTENCE_END)
            and len(titled.title) + 10 >= 0.6 * wrap)


def _wrapped(last: str, wrap: float) -> bool:
    """Whether a line was broken inside its sentence: long, and no sentence ends there."""
    return not _ends_sentence(last) and len(last) >= 0.6 * wrap


def _joins(last: str, text: str, wrap: float) -> bool:
    """Whether ``text`` goes on the sentence of the line before (a PDF's hard line break)."""
    if _ends_sentence(last):
        return False
    return text[:1].islower() or _wrapped(last, wrap)
