"""Messages that are no question: thanks, an "ok", a greeting, an emoji or a lone "?".

Members write them after an answer as they would to a person; answered as questions they got
"the bot has no answer to this question" and an offer to write to the Office. Only a whole
message is small talk: "cảm ơn, cho hỏi hội phí bao nhiêu" is a question.
"""

from __future__ import annotations

from enum import StrEnum

from bot.text import fold


class SmallTalk(StrEnum):
    """What a message that is no question says."""

    THANKS = "thanks"
    ACK = "ack"  # "ok", "dạ", "vâng": heard
    GREETING = "greeting"
    NO_WORDS = "no_words"  # emoji, punctuation: nothing to read


_THANKS = frozenset(
    {"cam on", "cam ong", "cm on", "thanks", "thank", "thank u", "thx", "tks", "ty"}
)
_ACK = frozenset(
    {"ok", "oke", "okie", "okay", "okela", "da", "vang", "u", "uh", "uk", "duoc", "dc", "roi"}
)
_GREETINGS = frozenset(
    {"xin chao", "chao", "hello", "hi", "hey", "alo", "a lo", "good morning", "good afternoon"}
)
# Words that end such a message without changing it: "cảm ơn nhiều ạ", "chào bot",
# "thank you very much".
_TAIL = frozenset(
    {"a", "nhe", "nha", "nhieu", "nhiu", "lam", "bot", "ad", "admin", "ban", "hoi", "you",
     "very", "much", "so", "lot", "alot", "all", "again"}
)  # fmt: skip


def small_talk(text: str) -> SmallTalk | None:
    """What ``text`` says if it is thanks, an "ok", a greeting or no words at all; else None."""
    if not text.strip():
        return None
    words = fold(text).split()
    if not words:
        return SmallTalk.NO_WORDS
    while len(words) > 1 and words[-1] in _TAIL:
        words.pop()
    while len(words) > 1 and words[0] in _ACK:  # "dạ cảm ơn", "ok thanks"
        words.pop(0)
    phrase = " ".join(words)
    if phrase in _THANKS:
        return SmallTalk.THANKS
    if phrase in _ACK:
        return SmallTalk.ACK
    if phrase in _GREETINGS:
        return SmallTalk.GREETING
    return None
