"""What the meetings' prompts (a registration's questions, a rating's comment) share when
another prompt opens: whether it is the same meeting's, and the notice that one was set
aside, naming its meeting."""

from __future__ import annotations

from bot.storage.forms import FormState
from handlers.kit import common, router
from handlers.kit.common import Context


def same_meeting(earlier: FormState, state: FormState) -> bool:
    """Whether two prompts are about the same meeting."""
    return bool(earlier.data.get("meeting") == state.data.get("meeting"))


async def tell_set_aside(context: Context, state: FormState, key: str) -> None:
    """Tell the person, in their language, that the prompt of ``state`` was set aside: the
    catalog text ``key``, with the meeting's title."""
    lang = await router.user_language(context, state.user_id)
    meeting = common.services(context).kb.meeting(state.data.get("meeting", ""))
    title = meeting.title.get(lang) if meeting else state.data.get("meeting", "")
    await context.bot.send_message(state.chat_id, common.text(context, key, lang, title=title))
