"""Where the question starts in a long message written without stops.

Members dictate to their phones, or type as they speak: "em chào anh chị em là giáo viên
kiêm nhiệm thư viện trường tiểu học ở Đắk Lắk em muốn vào hội thì em phải làm thế nào".
Who asks comes first, what is asked last, with no comma between. Two things mark where
the question starts: a request ("muốn hỏi", "cho em hỏi", "I would like to know") and the
speaker naming themself again ("... ở Đắk Lắk em muốn ..."). :func:`asked_parts` gives the
parts of a message after such a mark, for :meth:`bot.kb.KnowledgeBase.ask` to try when the
whole is not answered (under its checks: the part's answer must be the whole's best match).
"""

from __future__ import annotations

from bot.text import fold_word

# Requests, as folded words: what follows is the question.
_REQUESTS: tuple[tuple[str, ...], ...] = (
    ("muon", "hoi"), ("mun", "hoi"), ("muon", "biet"), ("mun", "biet"), ("can", "biet"),
    ("xin", "hoi"), ("cho", "hoi"), ("cho", "biet"), ("hoi", "la"),
    *(("cho", who, "hoi") for who in ("em", "toi", "minh", "chau", "con", "e", "t")),
    ("would", "like", "to", "know"), ("want", "to", "know"), ("like", "to", "ask"),
    ("want", "to", "ask"), ("wondering",), ("tell", "me"), ("question", "is"),
)
# The speaker naming themself ("tôi", "em", "mình", "I"): again, after who they are.
_SPEAKER = frozenset({"toi", "em", "minh", "i"})
# Fewest words on either side of a mark: a part that short is no question, nor what
# comes before it an introduction.
_FEWEST = 3


def asked_parts(message: str) -> list[str]:
    """The part of ``message`` that may be what it asks: after its last request, or else
    from the last time the speaker names themself again (of :data:`_FEWEST` words at
    least, after as many); none if neither is found."""
    written = message.split()
    folded = [fold_word(word.lower().strip(",.;:?!()\"'")) for word in written]
    request = _last_request(folded)
    if request is not None:  # (the speaker naming themself after it tells why they ask)
        start, end = request
        if start < _FEWEST or len(folded) - end < _FEWEST:
            return []  # the message asks from its start, or the request ends it
        return [" ".join(written[end:])]
    restart = _last_restart(folded)
    return [] if restart is None else [" ".join(written[restart:])]


def _last_request(folded: list[str]) -> tuple[int, int] | None:
    """Where the last request starts and ends (None: there is none)."""
    for start in range(len(folded) - 1, -1, -1):
        for request in _REQUESTS:
            if tuple(folded[start:start + len(request)]) == request:
                return start, start + len(request)
    return None


def _last_restart(folded: list[str]) -> int | None:
    """Where the speaker last names themself again, after naming themself first."""
    said = [i for i, word in enumerate(folded)
            if word in _SPEAKER and not (i and folded[i - 1] == "chi")]  # "Hồ Chí Minh"
    if len(said) < 2:
        return None
    last = said[-1]
    if last < _FEWEST or len(folded) - last < _FEWEST + 1:
        return None
    return last
