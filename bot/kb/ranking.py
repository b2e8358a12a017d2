"""From scores to a decision: the thresholds that make an answer sure, the fusion of the
phrasings' score with the content's, and :func:`decide` (answer, suggest or nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.content import Said

# Score (0-100) from which the best item is given as the answer...
ANSWER_THRESHOLD = 60.0
# ...provided the next item is this far behind; otherwise both are offered as suggestions.
ANSWER_MARGIN = 6.0
# ...and provided it holds this share of the question's weight: a question whose other
# words the knowledge base lacks ("Phạm Thế Khang sinh năm nào") asks what it does not say.
ANSWER_COVERAGE = 0.65
# Within that margin, what the items' texts say breaks the near-tie: each point of content
# score (BM25 rank times coverage, 0-1) the best item holds over the next counts this many
# points of margin. Chosen by leave-one-set-out over the union of the development sets
# (bench/qa_dev.py --calibrate): 4 more right answers, 1 wrong, on 1,123 questions.
CONTENT_AGREEMENT = 8.0
# Items scoring at least this are offered as suggestions when there is no answer.
SUGGEST_THRESHOLD = 38.0
MAX_SUGGESTIONS = 3
# What the content (BM25, 0-1) is worth against the curated phrasings (0-1): measured on
# qa_eval.yaml and the dev set, 0.5 gave content no answer of its own, 0.65 and more
# leaked more unanswerable questions than it answered.
CONTENT_WEIGHT = 0.6
# ...and the content of an official text (a charter article), which has no curated phrasings
# and is the authority on what it rules.
AUTHORITY_WEIGHT = 0.8
# The content alone answers only a question with this many of its words and pairs of
# words in the text: one or two shared words ("đại hội" and "6") are a coincidence as often
# as an answer.
CONTENT_WORDS_TO_ANSWER = 3


@dataclass(frozen=True)
class Match:
    """An item and how well it matches a question (0-100)."""

    id: str
    score: float
    # The share of the question's weight the item holds (0-1).
    coverage: float = 1.0
    # What its content says of the question (:class:`Said`), if the content index found it.
    said: Said | None = None
    # Why a rule holds it below the answer threshold, whatever its words: ``"number"``, it
    # is another meeting or term than the one the question names; ``"content"``, only its
    # text matched, with too few of the question's words (:func:`fuse`); ``"body"``, the
    # question is about another body, which the item does not name (``Bodies.restrict``).
    held: str | None = None


def fuse(phrased: float, said: Said, authority: bool = False) -> float:
    """One score (0-100) from the phrasings' (0-100) and the content's: the better of the
    two (CombMAX fusion of normalised scores). The content's score is its coverage of the
    question times its BM25 score relative to the best item's, worth :data:`CONTENT_WEIGHT`
    of a phrasing's: alone, it reaches the answer threshold only when the text holds the
    whole question and ranks first. (Summing the two, or a probabilistic OR, lifted the
    runners-up too and cost answers and safety on qa_eval.yaml.)"""
    weight = AUTHORITY_WEIGHT if authority else CONTENT_WEIGHT
    content = 100 * weight * said.coverage * said.rank
    if said.held < CONTENT_WORDS_TO_ANSWER:
        content = min(content, ANSWER_THRESHOLD - 1)
    return max(phrased, content)


@dataclass(frozen=True)
class Decision:
    """What the search makes of a question: ``answered``, ``suggest`` or ``unknown``."""

    status: str
    best: Match | None
    suggestions: tuple[str, ...]

    @property
    def answer(self) -> Match | None:
        """The match answered with: ``best`` when ``answered`` (never None then), else None."""
        return self.best if self.status == "answered" else None


def content_score(match: Match | None) -> float:
    """What an item's text says of the question (0-1): BM25 rank times coverage."""
    if match is None or match.said is None:
        return 0.0
    return match.said.rank * match.said.coverage


def margin(best: Match, runner_up: Match | None) -> float:
    """How far ``best`` is ahead of ``runner_up``: their scores' difference, and, when that
    is short of :data:`ANSWER_MARGIN`, the content's agreement (:data:`CONTENT_AGREEMENT`):
    two items whose phrasings fit the question alike are told apart by what they say."""
    # (Scores have one decimal: 67.1 - 61.1 is 6.0, not 5.99999... in binary floats.)
    ahead = round(best.score - (runner_up.score if runner_up is not None else 0.0), 1)
    if ahead >= ANSWER_MARGIN:
        return ahead
    return ahead + CONTENT_AGREEMENT * (content_score(best) - content_score(runner_up))


def decide(matches: list[Match]) -> Decision:
    """Turn ranked matches into an answer, suggestions, or nothing."""
    if not matches or matches[0].score < SUGGEST_THRESHOLD:
        return Decision("unknown", matches[0] if matches else None, ())
    best = matches[0]
    runner_up = matches[1] if len(matches) > 1 else None
    if (best.score >= ANSWER_THRESHOLD and margin(best, runner_up) >= ANSWER_MARGIN
            and best.coverage >= ANSWER_COVERAGE):
        return Decision("answered", best, ())
    return Decision("suggest", best, suggested(matches))


def suggested(matches: list[Match]) -> tuple[str, ...]:
    """The ids offered when there is no sure answer: the first few above the threshold."""
    return tuple(
        match.id for match in matches[:MAX_SUGGESTIONS] if match.score >= SUGGEST_THRESHOLD
    )
