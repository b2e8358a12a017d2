"""The imported charter as the authority: stand-in entries give way to the articles that
cover their topic, and a question on a charter topic (fee, rights, duties, admission,
sanctions, organs, congress and term...) is answered from the article on it rather than
from an entry about the association's history that shares its words."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

from bot.kb.lexicon import QUESTION_INTENTS
from bot.kb.model import Article, Entry, Topic
from bot.kb.normalize import words as words_of
from bot.kb.ranking import ANSWER_MARGIN, SUGGEST_THRESHOLD, Match, content_score, margin
from bot.text import fold

# An article on a topic the question names, clearly ahead of the others, answers from this
# score (the curated entries need ANSWER_THRESHOLD): naming the topic ("hội phí", "kỷ
# luật") says what is asked, and the article is the text that rules it.
ARTICLE_ON_TOPIC_THRESHOLD = 40.0
# ...holding at least this share of the question ("the duties of a citizen" is not asked of
# the charter's duties: "citizen" is a word it does not have).
ARTICLE_ON_TOPIC_COVERAGE = 0.5

# An article whose title the question names goes first from this place in the ranking.
_TITLED_AMONG = 5

# Question words that ask for a moment of history, which the charter does not give.
_FACT_INTENTS = frozenset({"q_when"})
# When an organ meets, no meeting named ("ban chấp hành họp khi nào"): its schedule, a rule.
_ORGANS = frozenset({"ban_chap_hanh", "ban_thuong_vu", "ban_kiem_tra", "dai_hoi", "chi_hoi"})
_MEETS = re.compile(r" (?:hop|meet|meets) ")
# A meeting or a term named by its number ("đại hội 4", "hội nghị lần thứ 6", "khóa II"),
# or a year: a question on history, not on the rules.
_NAMED_MEETING = re.compile(  # as read: "khóa II" is "k2", "lần thứ IV" is "lan 4"
    r"\b(?:k\d{1,2}|(?:hoi|nghi|lan|thu|ky|congress|conference|meeting|term) \d{1,2}"
    r"(?! (?:nam|thang|tuan|lan|year|month|week|times?)\b(?! (?:19|20)\d\d))"  # "1 năm", "1 lần"
    r"|(?:19|20)\d\d)\b"
)


# How the association stands now ("hiện nay", "hội có bao nhiêu chi hội"): a fact of its
# history, which the entries tell, not a rule.
_NOW = re.compile(
    r" (?:hien nay|hien co|hien tai|bay gio|currently|now|(?:hoi|vla) co (?:tat ca )?bao nhieu"
    r"|how many \w+ does (?:the association|vla) have) "
)
# An article whose text holds this much of the question (BM25 rank times coverage) says
# what is asked: a stand-in yields to it before the articles given to fewer topics.
_SAYS_IT = 0.8
# A leading article whose text holds this much of the question keeps its place against an
# article on the topic named whose text holds half as much or less.
_LEADER_SAYS = 0.5
# Words that ask for a rule: what must, may or need be done, at least, if, what it takes to
# set something up ("bao nhiêu người thì lập được chi hội").
_RULE = re.compile(
    r" (?:phai|bat buoc|can(?! bo )|duoc phep|co duoc|duoc khong|co quyen|it nhat|toi thieu"
    r"|quy dinh|dieu kien|thi sao|neu|de lap|thi lap|lap duoc|bao lau|must|need|needs|should"
    r"|can|may|allowed|at least|rules?|if) "
)
# ...and an article placed at least this high answers it before the entries (on a topic
# the question names, the article covering it; otherwise the best-placed article).
_RULE_ARTICLE_FLOOR = 25.0


class CharterAuthority:
    """Reorders ranked matches once a charter is imported. ``covering``: topic id -> the
    articles whose titles name it; ``superseded``: stand-in entry id -> its articles;
    ``read``: a text -> its words as the search reads them (synonyms made one token)."""

    def __init__(
        self,
        topics: Mapping[str, Topic],
        covering: Mapping[str, tuple[str, ...]],
        superseded: Mapping[str, tuple[str, ...]],
        entries: Mapping[str, Entry],
        read: Callable[[str], list[str]],
        chapters: frozenset[str] = frozenset(),
        titles: Mapping[str, tuple[str, ...]] | None = None,
        idf: Mapping[str, float] | None = None,
        yielding: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._topics = topics
        # topic id -> the articles its stand-ins yield to: the covering ones, else the one
        # whose text says the topic most (the fee inside "Tài chính của Hội").
        self._yielding = yielding if yielding is not None else covering
        self._read = read
        self._covering = covering
        self._superseded = superseded
        self._entries = entries
        self._chapters = chapters
        self._articles = {a for articles in covering.values() for a in articles}
        # How many topics each article covers: one given to a single topic is its own
        # ("Tiêu chuẩn hội viên"), one on two shares it ("Lệ phí gia nhập và hội phí").
        self._breadth = {
            article: sum(article in articles for articles in covering.values())
            for article in self._articles
        }
        # Each topic's keywords as sets of the words the search reads in them.
        # (Read as typed and unmarked: "sửa đổi" keeps its marks where the knowledge base
        # has no "đổi", and a member may type either.)
        self._keywords = {
            topic.id: list(dict.fromkeys(words for words in (
                frozenset(read(form)).difference(QUESTION_INTENTS)
                for keyword in topic.keywords for form in (keyword, fold(keyword))
            ) if words))
            for topic in topics.values()
        } if self._articles else {}
        # Each article's titles as the words the search reads in them ("Ban Chấp hành":
        # one token, which "executive committee" is too).
        self._titles = {
            article: [words for words in (
                frozenset(read(title)) - QUESTION_INTENTS.keys() for title in set(names)
            ) if words]
            for article, names in (titles or {}).items()
        }
        # A title held whole by another article's title ("Hội viên" in "Quyền của hội
        # viên") is too general to say which article is asked.
        every = [title for named in self._titles.values() for title in named]
        self._titles = {
            article: [title for title in named
                      if not any(title < other for other in every)]
            for article, named in self._titles.items()
        }
        self._every_article = frozenset(titles or ())
        # Each word's weight (the search's IDF): a title of rarer words is more specific.
        self._idf = idf or {}

    def named(self, words: list[str]) -> list[str]:
        return [topic for topic, _ in self._named(words)]

    def _named(self, words: list[str]) -> list[tuple[str, frozenset[str]]]:
        """The topics a question (its words as the search reads them) names by a keyword
        ("vào hội" reads as "gia nhập", a keyword of admission), each with its longest
        keyword held, the topic of the longest keyword first."""
        asked = set(words)
        found = {
            topic: max(held, key=len)
            for topic, keywords in self._keywords.items()
            if (held := [keyword for keyword in keywords if keyword <= asked])
        }
        if any(not self._topics[topic].aspect for topic in found):
            # An aspect named with what it is said of ("nhiệm vụ của ban chấp hành"): the
            # other topic is asked.
            found = {topic: held for topic, held in found.items()
                     if not self._topics[topic].aspect}
        return sorted(found.items(), key=lambda item: len(item[1]), reverse=True)

    def _asked_after_then(self, folded: str, named: list[str]) -> str | None:
        """In "X thì Y" ("công ty vào hội thì đóng bao nhiêu"), X is the case and Y what is
        asked: the one topic Y names, if the question names others in X."""
        if len(named) < 2 or " thi " not in f" {folded} ":
            return None
        asked = [topic for topic, _ in self._named(self._read(folded.rsplit(" thi ", 1)[1]))]
        return asked[0] if len(asked) == 1 and asked[0] in named else None

    def _asked_before_of(self, folded: str, named: list[str]) -> str | None:
        """In "Y của X" ("hội phí của hội viên chính thức là bao nhiêu"), Y is what is asked
        and X whose: the one topic Y names, if the question names others in X."""
        if len(named) < 2 or " cua " not in f" {folded} ":
            return None
        asked = [topic for topic, _ in self._named(self._read(folded.split(" cua ", 1)[0]))]
        return asked[0] if len(asked) == 1 and asked[0] in named else None

    @staticmethod
    def _specific(sized: list[tuple[str, frozenset[str]]]) -> str | None:
        """The topic named more specifically than all the others: by a keyword that holds
        theirs ("không đóng hội phí" holds "hội phí": sanctions, not the fee). Keywords apart
        ("hội viên danh dự" and "hội phí") say nothing of which is asked."""
        if len(sized) < 2:
            return None
        first, keyword = sized[0]
        if all(other < keyword for _, other in sized[1:]):
            return first
        return None

    def apply(self, question: str, words: list[str], matches: list[Match]) -> list[Match]:
        """``matches`` for ``question`` (read as ``words``) with stand-ins yielding and, on a
        charter topic, the article first."""
        if not self._articles and not self._titles:
            return matches  # no charter imported
        sized = self._named(words)
        named = [topic for topic, _ in sized]
        matches = self._yield(named, matches)
        folded = " ".join(word.folded for word in words_of(question))
        rule = _RULE.search(f" {folded} ") is not None
        if (_NAMED_MEETING.search(folded) or _NOW.search(f" {folded} ")
                or (not _FACT_INTENTS.isdisjoint(words)
                    and not (_MEETS.search(f" {folded} ") and not _ORGANS.isdisjoint(words)))):
            return matches
        if named:
            # One topic named more specifically than the others ("không đóng hội phí"):
            # its article goes first even over another article.
            then = (self._asked_after_then(folded, named)
                    or self._asked_before_of(folded, named))
            specific = self._specific(sized) or then
            floor = _RULE_ARTICLE_FLOOR if rule else SUGGEST_THRESHOLD
            matches = self._article_first(named, specific, matches, floor,
                                          leader_may_stay=then is None)
            matches = self._narrowest_first(named, matches)
            if len(named) > 1:
                return matches  # a question across topics: the topics' order rules
        if rule:
            matches = self._rule_first(matches)
        return self._titled_first(words, named, matches)

    def _narrowest_first(self, named: list[str], matches: list[Match]) -> list[Match]:
        """Two articles on the topic named that fit alike: the one given to that topic
        alone goes first, :data:`ANSWER_MARGIN` ahead ("vi phạm điều lệ thì bị xử lý thế
        nào": "Kỷ luật", not "Ra khỏi Hội, xóa tên", which covers leaving too)."""
        if len(matches) < 2:
            return matches
        first, second = matches[0], matches[1]
        on_topic = {article for topic in named for article in self._covering[topic]}
        if (first.id not in on_topic or second.id not in on_topic
                or round(first.score - second.score, 1) >= ANSWER_MARGIN):
            return matches
        if self._breadth[second.id] < self._breadth[first.id]:
            first = second
        elif self._breadth[first.id] == self._breadth[second.id]:
            return matches
        return self._placed_first(first, matches)

    def _rule_first(self, matches: list[Match]) -> list[Match]:
        """A question on what must, may or need be done ("cần bao nhiêu hội viên để lập chi
        hội", "who can become a member") asks for a rule: the best-placed article goes
        before the entries, which tell the association's facts."""
        if not matches or matches[0].id in self._every_article:
            return matches
        article = next((match for match in matches if match.id in self._every_article
                        and match.id not in self._chapters), None)
        if article is None or article.score < _RULE_ARTICLE_FLOOR:
            return matches
        return self._placed_first(article, matches)

    def _titled_first(self, words: list[str], named: list[str],
                      matches: list[Match]) -> list[Match]:
        """Between articles, the one whose whole title the question names goes first, the
        others :data:`ANSWER_MARGIN` behind: "ban chấp hành có bao nhiêu ủy viên" is asked
        of "Ban Chấp hành", though "Ban Thường vụ" says "ủy viên Ban Chấp hành" more often.
        Only when an article leads already (an entry that leads is left alone), among the
        first :data:`_TITLED_AMONG` matches, and only for a single article whose title
        weighs the most of those named (by the words' rarity), which covers the topic the
        question names if it names one."""
        if not matches or matches[0].id not in self._titles:
            return matches
        asked = set(words)
        on_topic = {article for topic in named for article in self._covering[topic]}
        sizes = {
            match.id: max((sum(self._idf.get(word, 0.0) for word in title)
                           for title in self._titles.get(match.id, ()) if title <= asked),
                          default=0.0)
            for match in matches[:_TITLED_AMONG]
            if not named or match.id in on_topic
        }
        longest = max(sizes.values(), default=0)
        titled = [article for article, size in sizes.items() if size == longest]
        if not longest or len(titled) > 1:
            return matches
        article = next(m for m in matches if m.id == titled[0])
        if content_score(matches[0]) >= _SAYS_IT and self._says_more(matches[0], article):
            return matches  # the leader's text says all that is asked; the title only names it
        return self._placed_first(article, matches)

    def sure(self, words: list[str], matches: list[Match]) -> bool:
        """Whether the best match is an article on a topic the question names, scoring at
        least :data:`ARTICLE_ON_TOPIC_THRESHOLD`, holding :data:`ARTICLE_ON_TOPIC_COVERAGE`
        of the question, :data:`ANSWER_MARGIN` ahead of the next item (a chapter does not
        count: it lists the article)."""
        if not matches or matches[0].id not in self._articles:
            return False
        best = matches[0]
        on_topic = {article for topic in self.named(words) for article in self._covering[topic]}
        runner_up = next((match for match in matches[1:]
                          if match.id not in self._chapters), None)
        return (best.id in on_topic and best.score >= ARTICLE_ON_TOPIC_THRESHOLD
                and best.coverage >= ARTICLE_ON_TOPIC_COVERAGE
                and margin(best, runner_up) >= ANSWER_MARGIN)

    def _yield(self, named: list[str], matches: list[Match]) -> list[Match]:
        """Stand-in entries whose topics the charter now covers give way to the covering
        articles: of those, the ones on a topic the question names ("nghĩa vụ": duties),
        those given to fewer topics first, then the best placed, with the stand-in's score
        if higher."""
        if not self._superseded:
            return matches
        placed = {match.id: match for match in matches}
        out: dict[str, Match] = {}
        for match in matches:
            articles = self._superseded.get(match.id)
            if articles is not None:
                on_topic = [
                    article for topic in self._entries[match.id].stands_in_for
                    if topic in named for article in self._yielding[topic]
                ]
                topics = self._entries[match.id].stands_in_for
                likest = articles if len(topics) == 1 else ()
                # A stand-in for several topics ("Quyền và nghĩa vụ") yields first to the
                # article that covers most of them, then to one given to fewer others.
                best = min(on_topic or articles, key=lambda a, likest=likest, topics=topics: (
                    content_score(placed.get(a)) < _SAYS_IT,
                    -sum(a in self._yielding[topic] for topic in topics),
                    self._breadth.get(a, 1),
                    likest.index(a) if a in likest else len(likest),
                    -(placed[a].score if a in placed else -1.0)))
                said = placed[best].said if best in placed else None
                score = match.score
                if named and not on_topic:
                    # The question names other topics than the stand-in's ("trường học vào
                    # hội thì đóng phí bao nhiêu" is on the fee, not on the kinds of members
                    # the stand-in also matched): the article keeps its own place.
                    score = min(score, placed[best].score if best in placed else 0.0)
                match = Match(best, score, match.coverage, said)
            if match.id not in out or out[match.id].score < match.score:
                out[match.id] = match
        return sorted(out.values(), key=lambda match: match.score, reverse=True)

    def _article_first(self, named: list[str], specific: str | None,
                       matches: list[Match], floor: float = SUGGEST_THRESHOLD,
                       leader_may_stay: bool = True) -> list[Match]:
        """On a topic the question names, the best-placed article covering it goes first,
        with the score of the entry it passes: the charter rules what the association's
        other entries only mention. (Not asked for a question on a moment, or naming a
        meeting, a term or a year: "ban chấp hành khóa II có bao nhiêu người".)"""
        if not named or not matches:
            return matches
        # The article on the most specific topic named, even over another article...
        if specific is None and len(named) == 1:
            specific = named[0]  # the one topic named is the one asked
        on_topic = set(self._covering[specific]) if specific is not None else set()
        article = next((match for match in matches if match.id in on_topic), None)
        if len(named) == 1 and matches[0].id in self._covering[named[0]]:
            # The article on the one topic named leads: it answers, the articles that only
            # mention the topic behind it ("hội viên liên kết là ai": the kinds of members,
            # not the fee article that names them).
            return self._placed_first(matches[0], matches)
        if matches[0].id in self._every_article and article is None:
            # An article leads already: what the articles say ranked them (BM25 over their
            # texts); a keyword the question shares with another's title does not outrank it
            # ("hội viên danh dự có phải nộp hội phí": the fee article says who pays).
            return matches
        if article is None or article.score < floor:
            # ...else an article on any topic named, over an entry.
            on_topic = {article for topic in named for article in self._covering[topic]}
            article = next((match for match in matches if match.id in on_topic), None)
        if article is None or article.score < floor or article is matches[0]:
            return matches
        if leader_may_stay and self._says_more(matches[0], article):
            # (Not when "X thì Y" says what is asked: Y's article.)
            return matches
        return self._placed_first(article, matches)

    def _says_more(self, leader: Match, article: Match) -> bool:
        """Whether the leading article's text says what is asked and ``article``'s far less:
        "không đóng hội phí hai năm liền thì bị xóa tên" in "Thôi làm hội viên" answers
        "2 năm không đóng hội phí thì sao" before "Kỷ luật", whose title the keyword names."""
        said = content_score(leader)
        return (leader.id in self._every_article and said >= _LEADER_SAYS
                and content_score(article) <= said / 2)

    @staticmethod
    def _placed_first(article: Match, matches: list[Match]) -> list[Match]:
        """``article`` first, with the best score and coverage of the matches, and the
        others at least :data:`ANSWER_MARGIN` behind it."""
        top = matches[0]
        first = Match(article.id, max(top.score, article.score),
                      max(top.coverage, article.coverage))
        rest = [
            match if match.score < first.score - ANSWER_MARGIN else
            Match(match.id, round(first.score - ANSWER_MARGIN, 1), match.coverage)
            for match in matches if match.id != article.id
        ]
        return [first, *sorted(rest, key=lambda match: match.score, reverse=True)]


def likest_first(entry: Entry, candidates: tuple[str, ...],
                 articles: Mapping[str, Article]) -> tuple[str, ...]:
    """A stand-in's covering articles, the one whose title and text say most what the
    entry says first (words weighed by how few articles use them): "Ai được gia nhập Hội"
    yields to "Hội viên và tiêu chuẩn hội viên" before "Thủ tục kết nạp", though both cover
    admission. Ties keep the charter's order, and so does a stand-in for several topics
    (its articles differ by topic, which the question tells)."""
    if len(entry.stands_in_for) != 1:
        return candidates

    def read(text: str) -> set[str]:
        return {word for word in (w.folded for w in words_of(text)) if len(word) > 1}

    said = read(" ".join((entry.title.vi, entry.answer.vi)))
    texts = {a: read(f"{articles[a].title.vi} {articles[a].text.vi}") for a in candidates}
    used: dict[str, int] = {}
    for words in texts.values():
        for word in words:
            used[word] = used.get(word, 0) + 1
    size = len(candidates)

    def likeness(article: str) -> float:
        return sum(math.log(1 + size / used[word]) for word in said & texts[article])

    return tuple(sorted(candidates, key=lambda a: -likeness(a)))
