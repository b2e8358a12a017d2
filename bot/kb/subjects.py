"""What a question is about, beyond its words: another body than the association, the next
or the last meeting, and which charter articles cover a topic."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.kb.dialect import central_what
from bot.kb.model import Article, Meeting, Subjects, Topic
from bot.kb.normalize import tokens
from bot.kb.ranking import ANSWER_MARGIN, ANSWER_THRESHOLD, SUGGEST_THRESHOLD, Match
from bot.kb.spoken_years import numbers_in_figures, years_in_figures


@lru_cache(maxsize=1024)
def _folded(text: str) -> str:
    """A text as one string of folded words between spaces, for phrase look-ups. (A
    question is read so by several readings: remembered for the latest 1,024 texts.)"""
    return f" {' '.join(tokens(text))} "


def folded_phrase(text: str) -> str:
    """A text as folded words between spaces: " ban kiem tra " (for phrase look-ups)."""
    return _folded(text)


def _holds(text: str, phrases: Iterable[str]) -> bool:
    return any(phrase.strip() and phrase in text for phrase in phrases)


def _titled(title: str, keywords: Iterable[str]) -> bool:
    """Whether an article's (folded) title names a topic by one of its (folded) keywords,
    not as a thing done again: "kết nạp lại" (re-admission, beside leaving and removal in
    "Ra khỏi Hội, xóa tên và kết nạp lại") does not make the article one on admission."""
    return any(keyword.strip() and keyword in title.replace(f"{keyword}lai ", " ")
               for keyword in keywords)


# A topic no article's title names is covered by the article whose text names it this often
# or more (the most often of all): the fee inside "Tài chính của Hội".
_SAID_OFTEN = 2


def covering_articles(
    topics: Iterable[Topic], articles: Iterable[Article], by_text: bool = False
) -> dict[str, tuple[str, ...]]:
    """topic id -> the ids of the articles that cover it: those whose title holds one of
    its keywords. (Not the text: an article on the fee that names collective members does
    not cover the kinds of members.) With ``by_text`` (which articles a stand-in yields to),
    a topic no title names is covered by the article whose text names it most, at least
    :data:`_SAID_OFTEN` times (ties: each of them): real charters put the fee inside "Tài
    chính của Hội", and the stand-in on the fee must still yield to it."""
    topics, articles = list(topics), list(articles)
    titles = [(article.id, _folded(f"{article.title.vi} {article.title.en}"))
              for article in articles]
    covering = {
        topic.id: tuple(
            a for a, title in titles
            if _titled(title, [_folded(keyword) for keyword in topic.keywords])
        )
        for topic in topics
    }
    texts: list[tuple[str, str]] = []
    for topic in topics:
        if covering[topic.id] or not articles or not by_text:
            continue
        texts = texts or [(article.id, _folded(article.text.vi)) for article in articles]
        keywords = [folded for folded in map(_folded, topic.keywords) if folded.strip()]
        counts = {a: sum(text.count(keyword) for keyword in keywords) for a, text in texts}
        most = max(counts.values())
        if most >= _SAID_OFTEN:
            covering[topic.id] = tuple(a for a, count in counts.items() if count == most)
    return covering


def topic_named(question: str, topic: Topic) -> bool:
    """Whether a question names a topic by one of its keywords."""
    return _holds(_folded(question), [_folded(keyword) for keyword in topic.keywords])


class Bodies:
    """Other bodies than the association: a question about one of them is answered only by
    an item whose curated texts name it (``curated``: item id -> titles and questions; a
    keyword naming the body is not enough: "Bộ Nội vụ" is a keyword of the association's
    founding, which does not say when the Ministry was founded) and that answers what the
    question asks besides the body's name (``scores``: question -> item id -> score, None
    without a topic): "IFLA thành lập năm nào" is not answered by the item on the
    association's work with IFLA. The association's own facts are at most suggested."""

    def __init__(self, subjects: Subjects, curated: Callable[[str], list[str]],
                 scores: Callable[[str], dict[str, float] | None]) -> None:
        self._association = [_folded(phrase) for phrase in subjects.association]
        self._names = [[_folded(name) for name in names] for names in subjects.others]
        # Any body's name at all (most questions name none): one search, not one per name.
        named = sorted({name for names in self._names for name in names if name.strip()})
        self._any_name = re.compile("|".join(map(re.escape, named))) if named else None
        # A meeting of the body named right after it ("đại hội IFLA"): not the association's.
        spelled = "|".join(re.escape(name.strip()) for name in named)
        self._its_meeting = re.compile(rf" (?:dai hoi|hoi nghi)(?= (?:{spelled}) )") \
            if named else None
        # Read only for the few items ranked for a question that names a body (rare).
        self._curated = curated
        self._scores = scores
        self._texts: dict[str, str] = {}

    def __getstate__(self) -> dict[str, object]:
        """For a snapshot: without the texts read for questions so far (a cache)."""
        return {**self.__dict__, "_texts": {}}

    def _names_body(self, item: str, names: list[str]) -> bool:
        return _holds(self._text_of(item), names)

    def _mentioned(self, text: str) -> list[list[str]]:
        """The names of the bodies a (folded) question is about, unless it is about the
        association too."""
        if not self._names_any(text):
            return []
        mentioned = [names for names in self._names if _holds(text, names)]
        if self._its_meeting is not None:
            text = self._its_meeting.sub(" ", text)
        rest = _without_bodies(text, self._names)
        if _holds(rest, self._association) or _names_hoi(rest):
            return []
        return mentioned

    def asks_reaching_another(self, question: str, item: str) -> bool:
        """Whether a question asks how to reach a place or body other than the association,
        its phone, address, e-mail or opening hours ("số điện thoại công ty Tinh Vân",
        "giờ mở cửa thư viện tỉnh"), and ``item`` only mentions it: its titles and
        questions ask no such thing (an entry "Giờ mở cửa thư viện số" does)."""
        text = _folded(question)
        if not (_holds(text, _REACHING) and _holds(text, _ORGANISATIONS)) or (
                _holds(text, self._association) or _names_hoi(text)
                or _holds(text, (" association ", " associations "))):
            return False
        return not _holds(self._text_of(item), _REACHING)

    def _text_of(self, item: str) -> str:
        text = self._texts.get(item)
        if text is None:
            text = self._texts[item] = _folded(" | ".join(self._curated(item)))
        return text

    def names_other(self, question: str) -> bool:
        """Whether a question names another body ("the next IFLA congress")."""
        return self._names_any(_folded(question))

    def _names_any(self, text: str) -> bool:
        return self._any_name is not None and self._any_name.search(text) is not None

    def restrict(self, question: str, matches: list[Match]) -> list[Match]:
        """``matches`` with the items that do not name a body the question is about kept
        under the answer threshold."""
        text = _folded(question)
        mentioned = self._mentioned(text)
        if not mentioned:
            return matches
        allowed = {match.id for match in matches
                   if any(self._names_body(match.id, names) for names in mentioned)}
        besides = self._scores(_without_bodies(text, self._names)) if allowed else None
        if besides is not None:
            # What the question asks besides the body's name ("thành lập năm nào"), the
            # item must answer on its own; a question that is only the name ("IFLA?",
            # "IFLA ở đâu") is about the body, which the item names.
            best = max(besides.values(), default=0.0)
            allowed = {item for item in allowed
                       if besides.get(item, 0.0) >= max(SUGGEST_THRESHOLD, best - ANSWER_MARGIN)}
        return sorted(
            (match if match.id in allowed else
             Match(match.id, min(match.score, ANSWER_THRESHOLD - 1), match.coverage,
                   match.said, "body")
             for match in matches),
            key=lambda match: match.score, reverse=True,
        )


# What asks how to reach somewhere: a phone, an address, an e-mail, opening hours.
_REACHING = (" so dien thoai ", " sdt ", " hotline ", " email ", " e mail ",
             " dia chi ", " gio mo cua ", " mo cua ", " phone ", " address ", " opening hours ",
             " open ")
# Kinds of organisation a name follows ("công ty Tinh Vân", "thư viện tỉnh Quảng Ninh").
_ORGANISATIONS = (" cong ty ", " company ", " thu vien ", " library ", " libary ",
                  " hoc vien ", " academy ", " truong ", " university ", " school ",
                  " institute ", " benh vien ", " hospital ", " nha xuat ban ",
                  " publisher ", " bao tang ", " museum ")


# Words that "hội" makes with a neighbour and that are not the association ("xã hội",
# "hội thảo"): a "hội" outside them is the association ("Bộ Nội vụ cho phép thành lập hội").
_NOT_THE_ASSOCIATION = frozenset({
    ("xa", "hoi"), ("co", "hoi"), ("le", "hoi"), ("hoi", "thao"), ("hoi", "dong"),
    ("hoi", "cho"), ("hoi", "hoa"), ("hoi", "an"), ("hoi", "tu"), ("hoi", "nhap"),
    ("hoi", "chung"), ("hoi", "y"), ("hoi", "truong"), ("hoi", "ngo"), ("hoi", "dam"),
    # ...nor the words every association has: its members, fee, conferences, branches
    # ("Hội Thư viện Mỹ có bao nhiêu hội viên" asks of that association's members).
    ("hoi", "vien"), ("hoi", "phi"), ("hoi", "nghi"), ("chi", "hoi"),
})


def _names_hoi(text: str) -> bool:
    """Whether a folded text has "hội" on its own (not in "xã hội", "hội thảo"...)."""
    words = text.split()
    return any(
        word == "hoi"
        and (i == 0 or (words[i - 1], word) not in _NOT_THE_ASSOCIATION)
        and (i + 1 == len(words) or (word, words[i + 1]) not in _NOT_THE_ASSOCIATION)
        for i, word in enumerate(words)
    )


def _without_bodies(text: str, names: list[list[str]]) -> str:
    """The question with the bodies' names taken out ("Hội Thư viện Pháp" names another
    association; what is left must still speak of this one)."""
    for group in names:
        for name in sorted(group, key=len, reverse=True):
            if name.strip():
                text = text.replace(name, " ")
    return text


@dataclass(frozen=True)
class RelativeMeeting:
    """A question about the next (``next``) or the last meeting, of a ``kind`` or any."""

    next: bool
    kind: str | None


_NEXT = (" sap toi ", " tiep theo ", " sap dien ra ", " sap to chuc ", " lan toi ", " ke tiep ",
         " lan sau ", " ky toi ", " ky sau ", " dot toi ", " khoa toi ", " khoa sau ", " nam sau ",
         " sap den ", " thang toi ", " tuan toi ", " nam toi ", " thang sau ", " tuan sau ",
         " next ", " upcoming ", " coming ", " forthcoming ")
# A meeting "tới" (to come) typed without marks reads as "tôi" (I), which never follows it.
_KIND_TO_COME = re.compile(r" (?:dai hoi|hoi nghi|cuoc hop|ky hop|buoi hop) toi ")
_LAST = (" gan nhat ", " gan day nhat ", " vua qua ", " moi nhat ", " lan truoc ", " vua roi ",
         " last ", " latest ", " most recent ", " previous ", " recent ")
# Documents: the latest of them is a text, not a meeting ("hoạt động" there is what the
# text rules, not an event).
_DOCUMENTS = (" nghi dinh ", " thong tu ", " quyet dinh ", " van ban ", " luat ", " decree ",
              " circular ", " decision ", " law ", " regulation ")
_CURRENT = (" hien nay ", " hien tai ", " bay gio ", " current ", " currently ", " now ")
_TERM = (" nhiem ky ", " term ")
_KINDS = (
    ("standing-committee", (" ban thuong vu ", " btv ", " standing committee ")),
    ("executive-committee", (" ban chap hanh ", " bch ", " executive committee ")),
    ("congress", (" dai hoi ", " congress ")),
    (None, (" hoi nghi ", " cuoc hop ", " buoi hop ", " hop ", " meeting ", " conference ",
            " su kien ", " event ", " hoat dong ", " lich ", " activities ", " schedule ",
            " tap huan ", " hoi thao ", " training ", " workshop ", " seminar ")),
)


def relative_meeting(question: str) -> RelativeMeeting | None:
    """Whether a question asks for the next or the last meeting, and of which kind."""
    text = _folded(question)
    if (_holds(text, _CURRENT) and _holds(text, _TERM)
            and not any(_holds(text, words) for kind, words in _KINDS if kind)):
        # The term now under way ("nhiệm kỳ hiện nay"): the last congress opened it.
        return RelativeMeeting(False, "congress")
    upcoming = _asks_next(text)
    last = _holds(text, _LAST)
    if upcoming == last:
        return None
    for kind, words in _KINDS:
        if _holds(text, words):
            if kind is None and _holds(text, _DOCUMENTS):
                return None  # "nghị định mới nhất về tổ chức, hoạt động của hội"
            return RelativeMeeting(upcoming, kind)
    if upcoming and (" to chuc " in text or " coming up " in text or " next " == text[-6:]):
        # "tháng sau hội có tổ chức gì": what is organised next, not the organisation;
        # "what's coming up", "what's next": what the association holds next.
        return RelativeMeeting(True, None)
    return None


# A congress named by its number ("đại hội lần thứ 5", "đại hội V", "the 5th congress") or
# the term it opens ("đại hội khóa 5"), as read.
_NUMBERED_CONGRESS = re.compile(
    r" (?:dai hoi|congress)(?: lan)? k?(\d{1,2}) | (\d{1,2}) congress ")


def next_numbered(question: str, numbers: Iterable[int]) -> RelativeMeeting | None:
    """A congress named by the number after the last one held (``numbers``: those of the
    congresses listed): the next congress, which no meeting of the knowledge base is yet
    ("đại hội 5 bao giờ tổ chức" when the last was the 4th)."""
    known = list(numbers)
    found = _NUMBERED_CONGRESS.search(_folded(question))
    if not known or found is None:
        return None
    return (RelativeMeeting(True, "congress")
            if int(found[1] or found[2]) == max(known) + 1 else None)


def asks_next(question: str) -> bool:
    """Whether a question asks what comes next ("lần tới", "sắp tới", "next"), of a
    meeting or not."""
    return _asks_next(_folded(question))


def _asks_next(text: str) -> bool:
    return _holds(text, _NEXT) or _KIND_TO_COME.search(text) is not None


def names_meeting(question: str, meeting: Meeting) -> bool:
    """Whether a question names ``meeting`` by its kind and its year ("hội nghị năm 2014",
    "the 2019 conference", "BTV 2012"): one year only, the meeting's, and a word of its kind
    or of any meeting. Whatever else it asks ("đại biểu đi thăm đâu", "có bàn hội phí
    không"), the meeting's text, shown whole, is what tells it."""
    text = _folded(question)
    years = {word for word in text.split() if len(word) == 4 and word.isdigit()
             and word[:2] in ("19", "20")}
    years |= {year for _, year in _DATED.findall(text)}
    held = {meeting.start.year} | ({meeting.end.year} if meeting.end is not None else set())
    if len(years) != 1 or not years <= {str(year) for year in held}:
        return False
    return names_kind(question, meeting)


def names_kind(question: str, meeting: Meeting) -> bool:
    """Whether a question names ``meeting``'s kind ("đại hội", "hội nghị ban chấp hành")
    or meetings at all ("cuộc họp", "meeting")."""
    text = _folded(question)
    kinds = [words for kind, words in _KINDS if kind in (None, meeting.kind)]
    return any(_holds(text, words) for words in kinds)


# A date typed with its year ("22/5/2014", "5/2014"): day and month apart, the year last.
_DATED = re.compile(r"\b(\d{1,2}(?:/\d{1,2})?)/((?:19|20)\d\d)\b")


# "... mình muốn hỏi là X", "cho em hỏi X", "xin cho biết X": what follows is the question.
_ASKING = re.compile(
    r"^(?:muon|cho|xin|can)(?: (?:em|minh|toi|chau|con|anh))? (?:hoi|biet)(?: la)?$"
)
_ASKED = re.compile(r" (?:hoi|biet) ")
# Words after which an unmarked "hoi" is "hội", not "hỏi" ("thu chi cho hội viên biết").
_HOI_WORDS = frozenset({"vien", "phi", "nghi", "thao"})
# A preamble this long (a greeting, who is asking, why) before it is left out.
_PREAMBLE_WORDS = 5


def asked_part(question: str) -> str:
    """A long question without the preamble before "muốn hỏi", "cho em hỏi", "cho biết"
    ("chào bạn, mình là thủ thư ở Cần Thơ, mình muốn hỏi là hội có bao nhiêu hội viên"):
    the self-introduction's words are no part of what is asked."""
    words = question.split()
    if len(words) < _PREAMBLE_WORDS + 3 or not _ASKED.search(_folded(question)):
        return question  # too short for a preamble, or no "hỏi"/"biết" to end one
    folded = [_folded(word).strip() for word in words]  # "hỏi," -> "hoi"
    for end in range(len(words) - 3, _PREAMBLE_WORDS - 1, -1):
        for start in range(max(end - 4, 0), end):
            if (_ASKING.match(" ".join(folded[start:end + 1])) and start >= _PREAMBLE_WORDS
                    and not any(map(_not_asking, words[start:end + 1]))
                    and not (folded[end] == "hoi" and folded[end + 1] in _HOI_WORDS)):
                return " ".join(words[end + 1:])
    return question


def _not_asking(word: str) -> bool:
    """Whether a word read as "hoi" was typed with other marks ("tiền cho hội ạ": "hội" is
    the association, not the asking)."""
    letters = "".join(char for char in unicodedata.normalize("NFC", word.lower())
                      if char.isalpha())
    return letters not in ("hoi", "hỏi") and _folded(letters).strip() == "hoi"


# People the knowledge base names by their office: "chủ tịch hội tên gì" asks who.
_OFFICES = re.compile(
    r" (?:chu tich|pho chu tich|pct|tong thu ky|thu ky|chanh van phong|truong ban|pho ban"
    r"|uy vien|president|vice president|chairman|chairwoman|secretary general) "
)


def name_asked_as_who(question: str) -> str:
    """A question asking an office holder's name ("chủ tịch hội hiện nay tên gì") as the
    question of who holds it ("... là ai"): "tên" there names no topic, and "hội tên gì"
    (the association's own name) stays as it is."""
    if not _OFFICES.search(_folded(question)):
        return question
    words = question.split()
    folded = [_folded(word).strip() for word in words]
    for at, word in enumerate(folded):
        if word != "ten":
            continue
        rest = folded[at + 1:at + 3]
        asked = 1 if rest[:1] in (["gi"], ["j"]) else 2 if rest in (["la", "gi"], ["la", "j"]) \
            else 0
        if asked:
            return " ".join([*words[:at], "là", "ai", *words[at + 1 + asked:]])
    return question


# Committees: "ban chấp hành có bao nhiêu người" counts the committee's members, not the
# association's. (As the search reads them: "ban chap hnah" is the Executive Committee too.)
COMMITTEES = frozenset({"ban_chap_hanh", "ban_thuong_vu", "ban_kiem_tra"})
_COMMITTEES = re.compile(r" (?:hoi dong|executive board) ")
_HEADCOUNT = re.compile(r"\b(bao nhi[eê]u|m[aấ]y|bn)\s+ng[uư][oờ]i\b|"
                        r"\b(how many)\s+(?:people|persons)\b", re.IGNORECASE)


def headcount_of_a_committee(question: str, read: Callable[[str], list[str]]) -> str:
    """"bao nhiêu người" asking the size of a committee ("ban chấp hành có bao nhiêu
    người") as "bao nhiêu ủy viên": the question counts the committee, not the members.
    ``read``: a text -> its words as the search reads them (asked only when the question
    asks how many people)."""
    if not _HEADCOUNT.search(question) or not (
            _COMMITTEES.search(_folded(question)) or not COMMITTEES.isdisjoint(read(question))):
        return question
    return _HEADCOUNT.sub(
        lambda found: f"{found.group(1)} ủy viên" if found.group(1) else "how many",
        question)


# Who checks, audits or supervises (no body named): the association's inspection committee.
_WHO_CHECKS = re.compile(
    r"^(?=.* (?:ai|who) )(?=.* (?:kiem tra|giam sat|check|checks|audit|audits|supervise"
    r"|supervises|inspect|inspects) )(?!.* (?:ban kiem tra|bkt|inspection committee) )"
)


def who_checks_is_the_inspection_committee(question: str) -> str:
    """"ai kiểm tra tiền của hội", "who checks the accounts": the inspection committee (Ban
    Kiểm tra) is whom every charter gives that duty; the question names it as well."""
    if not _WHO_CHECKS.search(_folded(question)):
        return question
    return f"{question} (ban kiểm tra)"


def as_meant(question: str, read: Callable[[str], list[str]]) -> str:
    """A question as it is meant, before it is searched: without its preamble
    (:func:`asked_part`), the Centre's "chi" for "gì" as "gì", a year or a meeting's
    number said in words as its figures, an
    office holder's name asked as who holds it, a committee's headcount as its members',
    and who checks as the inspection committee. ``read``: a text -> its words as the
    search reads them."""
    return who_checks_is_the_inspection_committee(headcount_of_a_committee(
        name_asked_as_who(numbers_in_figures(years_in_figures(
            central_what(asked_part(question))))), read))
