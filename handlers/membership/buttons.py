"""The membership feature's buttons: callback actions under the JOIN prefix and how the
form, the membership screen and /status build their keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Html
from handlers.kit import callbacks, common
from handlers.kit.common import Context

# Callback actions under the JOIN prefix.
KIND = "k"  # j:k:<individual|organisation>
CONSENT = "c"  # j:c:<y|n>
CONFIRM = "ok"
EDIT = "ed"
FIELD = "f"  # j:f:<field>
BACK = "bk"
CANCEL = "x"
PROVINCE = "p"  # j:p:<province code>:<former name index, 0 for none>
STATUS = "st"
WITHDRAW = "wd"  # j:wd:<application id>
WITHDRAW_YES = "wy"
WITHDRAW_NO = "wn"
UNSURE_KEEP = "uy"  # j:uy: the answer that read like a question is the answer after all
UNSURE_ASK = "uq"  # j:uq: it was a question: answer it, then ask the form's question again
UNSURE_KEY = "unsure"  # in the form's data: the step and text of that answer



def button(context: Context, lang: str, key: str, *parts: object) -> InlineKeyboardButton:
    """A button labelled with a catalog text, pressing ``j:<parts>``."""
    return InlineKeyboardButton(
        common.text(context, key, lang), callback_data=callbacks.data(callbacks.JOIN, *parts)
    )


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """The non-empty rows as an inline keyboard."""
    return InlineKeyboardMarkup([row for row in rows if row])


def together(*parts: Html | str | None) -> Html:
    """Catalog texts one after another, as one message."""
    return Html("\n\n".join(part for part in parts if part))
