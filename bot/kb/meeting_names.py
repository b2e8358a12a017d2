"""Meetings a question names: by their kind and number ("đại hội IV") or year ("hội nghị
năm 2014"). Such a meeting goes before the entries that only mention it, and answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.kb.model import Meeting, Term
from bot.kb.normalize import words
from bot.kb.ranking import ANSWER_MARGIN, Match
from bot.kb.reading import quantities
from bot.kb.subjects import names_kind, names_meeting

# The token a meeting's kind reads as in a question.
_KIND_TOKENS = {"congress": "dai_hoi", "executive-committee": "hoi_nghi",
                "standing-committee": "ban_thuong_vu"}


class NamedMeetings:
    """The knowledge base's meetings (by id), its terms and the ids of its entries."""

    def __init__(self, meetings: Mapping[str, Meeting], terms: Mapping[str, Term],
                 entries: frozenset[str]) -> None:
        self._meetings = meetings
        self._terms = terms
        self._entries = entries

    def first(self, question: str, read: list[str], matches: list[Match]) -> list[Match]:
        """A meeting goes before the entries when the question names it by its kind and its
        number ("đại hội IV kéo dài mấy ngày": the 4th congress, not the list of congresses)
        or, fitting the question as well as the entry before it, by its kind alone ("đại hội
        thành lập năm 2006": the founding congress, not the founding)."""
        if len(matches) < 2 or matches[0].id not in self._entries:
            return matches
        first = matches[0]
        read = without_quantities(question, read)
        numbered = next((match for match in matches[1:3] if self.numbered(read, match.id)),
                        None)
        if numbered is None:
            second = matches[1]
            meeting = self._meetings.get(second.id)
            if (round(first.score - second.score, 1) >= ANSWER_MARGIN or meeting is None
                    or "q_many" in read or not names_kind(question, meeting)):
                return matches  # ("đại hội bao nhiêu lần": the list of congresses)
            numbered = second
        # (What holds an item down, ``held``, goes with it.)
        rest = [replace(match, score=min(match.score, round(first.score - ANSWER_MARGIN, 1)))
                for match in matches if match is not numbered]
        return [replace(numbered, score=first.score,
                        coverage=max(first.coverage, numbered.coverage)), *rest]

    def numbered(self, read: list[str], item_id: str) -> bool:
        """Whether the question (as read) names meeting ``item_id`` by its kind and its one
        number ("đại hội 4", "hội nghị lần thứ 6 khóa III"), and its term if it names one."""
        meeting = self._meetings.get(item_id)
        numbers = {word for word in read if word.isdigit() and len(word) <= 2}
        terms = {word for word in read if word[:1] == "k" and word[1:].isdigit()}
        if meeting is None or meeting.number is None or numbers != {str(meeting.number)}:
            return False
        if terms and (meeting.term is None
                      or terms != {f"k{self._terms[meeting.term].number}"}):
            return False
        return _KIND_TOKENS.get(meeting.kind) in read

    def answers(self, question: str, read: list[str], matches: list[Match]) -> bool:
        """Whether the best match is a meeting the question names by kind and year
        (:func:`names_meeting`) or number (:meth:`numbered`), well ahead of the next item."""
        best = matches[0] if matches else None
        meeting = self._meetings.get(best.id) if best is not None else None
        if best is None or meeting is None or not (
                names_meeting(question, meeting)
                or self.numbered(without_quantities(question, read), best.id)):
            return False
        if len(matches) > 1 and matches[1].id not in self._meetings:
            return True  # the meeting named, before an entry that only mentions it
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        return round(best.score - runner_up, 1) >= ANSWER_MARGIN


def without_quantities(question: str, read: list[str]) -> list[str]:
    """The question's words as read but its quantities ("đại hội 5 năm 1 lần": no
    meeting's number)."""
    if not any(word.isdigit() for word in read):
        return read  # (most questions: no figure to read again)
    figures = quantities(words(question))
    return [word for word in read if word not in figures] if figures else read
