"""The /announce form's narrower audiences: members of a kind, of one or several provinces,
subscribers by language, or a meeting's registrants. Part of the announce feature: its
handler (handlers/announce/compose.py) calls these helpers; audiences are stored as text
(see :mod:`bot.storage.audiences`)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.kb import Meeting
from bot.membership.provinces import BY_CODE, PROVINCES
from bot.storage.audiences import KINDS, LANGUAGES, is_chosen_in_sql, province_names
from bot.storage.forms import FormState
from handlers.kit import answers, callbacks, common, given
from handlers.kit.common import Context

# Buttons of the audience step that open a second choice.
CHOOSERS = ("kind", "prov", "lang", "reg")
# Actions (callback data ``an:<action>:<arg>``) of those choices.
ACT_KIND, ACT_PROVINCE, ACT_PROVINCES_DONE, ACT_LANGUAGE, ACT_MEETING = (
    "ak", "ap", "apd", "al", "ar"
)
ACTIONS = (ACT_KIND, ACT_PROVINCE, ACT_PROVINCES_DONE, ACT_LANGUAGE, ACT_MEETING)
CHOSEN_KEY = "provinces"
_NAME_TO_CODE = {province.name: province.code for province in PROVINCES}


def _button(
    context: Context, lang: str, key: str, *parts: object, **params: object
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        answers.button_label(context, key, lang, **params),
        callback_data=callbacks.data(callbacks.ANNOUNCE, *parts),
    )


def label(context: Context, lang: str, audience: str) -> str:
    """An audience in words, in the admin's language."""
    kind, _, value = audience.partition(":")
    if kind == "kind":
        return common.text(context, f"announce.audience.kind.{value}", lang)
    if kind == "prov":
        return common.text(context, "announce.audience.prov_of", lang,
                           provinces=", ".join(province_names(audience)))
    if kind == "lang":
        return common.text(context, f"announce.audience.lang.{value}", lang)
    if kind == "reg":
        meeting = common.services(context).kb.meeting(value.split(":")[0])
        title = meeting.title.get(lang) if meeting else value
        return common.text(context, "announce.audience.reg_of", lang, title=title)
    return common.text(context, f"announce.audience.{audience}", lang)


async def count(context: Context, audience: str) -> int:
    """How many people (or chats) the audience reaches now."""
    if is_chosen_in_sql(audience):
        return await common.services(context).announcements.count_recipients(audience)
    return 1


async def _meetings(context: Context) -> list[Meeting]:
    """Meetings with registrations, upcoming first (at most ten buttons)."""
    svc = common.services(context)
    counts = await svc.registrations.counts_by_meeting()
    now = svc.clock.now()
    schedule = svc.kb.meetings_sorted(now)
    return [m for m in (*schedule.upcoming, *schedule.past) if m.id in counts][:10]


async def show_chooser(update: Update, context: Context, chooser: str, lang: str) -> None:
    """The second choice for a narrower audience."""
    svc = common.services(context)
    if chooser == "kind":
        rows = [[_button(context, lang, f"announce.audience.kind.{kind}", ACT_KIND, kind)]
                for kind in KINDS]
    elif chooser == "lang":
        rows = [[_button(context, lang, f"announce.audience.lang.{code}", ACT_LANGUAGE, code)]
                for code in LANGUAGES]
    elif chooser == "reg":
        rows = [[_button(context, lang, "announce.audience.meeting_button", ACT_MEETING, m.id,
                         title=m.title.get(lang))] for m in await _meetings(context)]
        if not rows:
            await common.reply(update, context, "announce.audience.no_registrations")
            return
    else:
        counts = (await svc.membership.counts())["province"]
        await common.reply(update, context, "announce.audience.ask_provinces",
                           reply_markup=_province_keyboard(context, lang, counts, []))
        return
    await common.reply(update, context, f"announce.audience.ask.{chooser}",
                       reply_markup=InlineKeyboardMarkup(rows))


def _province_keyboard(
    context: Context, lang: str, counts: dict[str, int], chosen: list[str]
) -> InlineKeyboardMarkup:
    """Provinces that have members, two a row, the chosen ones ticked; then Done."""
    buttons = [
        _button(context, lang, "announce.audience.province_button", ACT_PROVINCE,
                _NAME_TO_CODE[name], mark="✅ " if _NAME_TO_CODE[name] in chosen else "",
                name=name, count=number)
        for name, number in counts.items()
        if name in _NAME_TO_CODE
    ]
    rows = [buttons[i: i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(context, lang, "announce.audience.provinces_done", ACT_PROVINCES_DONE,
                         count=len(chosen))])
    return InlineKeyboardMarkup(rows)


async def handle(
    update: Update, context: Context, state: FormState, action: str, argument: str, lang: str
) -> str | None:
    """A press in one of the second choices: the chosen audience, or None when the choice
    goes on (a province ticked) or the press was not valid."""
    svc = common.services(context)
    if action == ACT_KIND and argument in KINDS:
        return f"kind:{argument}"
    if action == ACT_LANGUAGE and argument in LANGUAGES:
        return f"lang:{argument}"
    if action == ACT_MEETING and svc.kb.meeting(argument) is not None:
        return f"reg:{argument}"
    chosen: list[str] = list(state.data.get(CHOSEN_KEY, []))
    if action == ACT_PROVINCE and argument in BY_CODE:
        chosen = [c for c in chosen if c != argument] if argument in chosen else [
            *chosen, argument
        ]
        state.data[CHOSEN_KEY] = chosen
        await svc.forms.save(state)
        counts = (await svc.membership.counts())["province"]
        await given.query(update).edit_message_reply_markup(
            _province_keyboard(context, lang, counts, chosen)
        )
        return None
    if action == ACT_PROVINCES_DONE and chosen:
        return "prov:" + ",".join(chosen)
    return None
