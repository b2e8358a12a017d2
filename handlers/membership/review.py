"""The admins' review of applications: the notification with Approve and Reject, the reason
for a rejection, /pending, and what follows a decision (member record, announcements,
the members' group, telling the applicant).

Every press re-checks that the presser is an admin and that the application is still
pending; the decision itself is one conditional UPDATE in one transaction, so when two
admins press at once exactly one decision is made and the other is told who made it.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.membership.applications import Status
from bot.membership.service import Admin
from bot.membership.validation import REASON_LENGTH, InvalidAnswer, rejection_reason
from bot.services import HasBotData, get_services
from bot.storage.forms import FormState
from bot.storage.membership_records import Application as MembershipApplication
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import callbacks, common, given, personal, router
from handlers.kit.common import CommandSpec, Context, ContextOrApp
from handlers.kit.notify import notify_admins
from handlers.membership import view

log = logging.getLogger(__name__)

COMMANDS = [CommandSpec("pending", admin=True)]

REJECT_FORM = "reject"  # the admin's form while typing a rejection reason
# The admin chat's messages are read in their own group, so a reason typed there never
# stops other features' handlers in groups 0 and 1 from seeing the message.
ADMIN_CHAT_GROUP = 2
PENDING_SHOWN = 20

APPROVE = "a"  # rv:a:<application id>
REJECT = "r"
KEEP = "k"  # keep pending: stop typing a reason
OPEN = "o"  # show the card (from /pending)


def review_buttons(context: HasBotData, lang: str, application_id: int) -> InlineKeyboardMarkup:
    """Approve and Reject, labelled in ``lang``."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, "review.button.approve", lang),
                    callback_data=callbacks.data(callbacks.REVIEW, APPROVE, application_id),
                ),
                InlineKeyboardButton(
                    common.text(context, "review.button.reject", lang),
                    callback_data=callbacks.data(callbacks.REVIEW, REJECT, application_id),
                ),
            ]
        ]
    )


async def _chat_language(context: HasBotData, chat_id: int) -> str:
    svc = common.services(context)
    return svc.texts.language(await svc.users.language_of(chat_id))


async def announce(context: ContextOrApp, application: MembershipApplication) -> None:
    """Send a new application to the secretariat, and remember each copy to update later."""
    svc = common.services(context)
    telegram = await view.telegram_name(context, application.user_id)
    sent = await notify_admins(
        context,
        f"review.card.{application.kind}",
        reply_markup=lambda lang: review_buttons(context, lang, application.id),
        **view.card_params(context, application, telegram),
    )
    for message in sent:
        await svc.membership.add_notice(application.id, message.chat_id, message.message_id)


async def _card(context: HasBotData, lang: str, application: MembershipApplication) -> Html:
    telegram = await view.telegram_name(context, application.user_id)
    return view.application_card(context, lang, application, telegram)


async def update_notices(
    context: ContextOrApp,
    application: MembershipApplication,
    also: tuple[int, int] | None = None,
) -> None:
    """Show the outcome on every admin's copy of the application and on ``also`` (chat id,
    message id; e.g. a card opened from /pending), without buttons."""
    svc = common.services(context)
    copies = await svc.membership.notices(application.id)
    if also is not None and also not in copies:
        copies.append(also)
    for chat_id, message_id in copies:
        lang = await _chat_language(context, chat_id)
        card = await _card(context, lang, application)
        text = Html(f"{card}\n\n{view.outcome_line(context, lang, application)}")
        try:
            await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
        except TelegramError:
            log.debug("could not update the notice %s/%s", chat_id, message_id, exc_info=True)


def _decided_text(context: Context, lang: str, application: MembershipApplication) -> Html:
    """Who decided an application that is no longer pending, and when."""
    when = common.local_time(context, application.decided_at)
    if application.status == Status.WITHDRAWN:
        return common.text(context, "review.already_withdrawn", lang, id=application.id, date=when)
    return common.text(
        context,
        "review.already_decided",
        lang,
        id=application.id,
        admin=application.decided_by_name or "",
        status=view.status_label(context, lang, application.status),
        date=when,
    )


async def applicant_language(
    context: ContextOrApp, application: MembershipApplication
) -> str:
    """The language to tell the applicant in: theirs now, else the form's."""
    svc = common.services(context)
    return svc.texts.language(
        await svc.users.language_of(application.user_id) or application.language
    )


async def review_pressed(update: Update, context: Context) -> None:
    """Approve, Reject, Keep pending, or open a card from /pending."""
    query = given.query(update)
    svc = common.services(context)
    lang = await common.language(update, context)
    admin = update.effective_user
    if admin is None or not common.is_admin(update, context):
        log.warning("non-admin %s pressed %s", admin.id if admin else None, query.data)
        await query.answer(common.text(context, "review.not_admin", lang), show_alert=True)
        return
    action = callbacks.part(query.data, 1)
    number = callbacks.number_part(query.data, 2)
    application = await svc.membership.get(number) if number is not None else None
    if application is None:
        await query.answer(common.text(context, "review.gone", lang), show_alert=True)
        return
    chat_id = query.message.chat.id if query.message else admin.id
    if action == KEEP:
        state = await svc.forms.get(admin.id)
        if (
            state is not None
            and state.form == REJECT_FORM
            and state.data.get("application_id") == application.id
        ):
            await svc.forms.clear(admin.id)
        await common.remove_buttons(query.message)
        if application.status != Status.PENDING:  # decided since the prompt: not "pending"
            await _refuse_decided(update, context, application)
            return
        await query.answer()
        await common.reply(update, context, "review.reject_cancelled", id=application.id)
        return
    if action == OPEN:
        await query.answer()
        await _send_card(context, chat_id, lang, application)
        return
    if application.status != Status.PENDING:
        await _refuse_decided(update, context, application)
        return
    if action == APPROVE:
        await _approve(update, context, application, chat_id)
    elif action == REJECT:
        await query.answer()
        await router.open_prompt(
            context,
            FormState(admin.id, chat_id, REJECT_FORM, "reason", {"application_id": application.id}),
        )
        await _ask_reason(context, chat_id, lang, application)
    else:
        await query.answer()


async def _approve(
    update: Update, context: Context, application: MembershipApplication, chat_id: int
) -> None:
    """Approve (unless another admin decided first) and say so to the admin."""
    query = given.query(update)
    svc = common.services(context)
    admin = given.user(update)
    decision = await svc.decisions.approve(
        application.id, Admin(admin.id, admin.full_name), chat_id, card=_card_of(query)
    )
    if not decision.changed:
        await _refuse_decided(update, context, decision.application)
        return
    await query.answer()
    await svc.decisions.carry_out()  # the pressed card and the copies show the outcome
    member = decision.member
    if member is None:  # an approval that changed the application always made the member
        raise RuntimeError(f"approving application {application.id} made no member")
    log.info(
        "application %s approved by %s (%s): member %s",
        application.id,
        admin.id,
        admin.full_name,
        member.number,
    )
    done = await common.reply(
        update,
        context,
        "review.approved_done",
        id=application.id,
        name=member.full_name,
        number=member.number,
    )
    await personal.shown(context, done, [application.user_id])


def _card_of(query: CallbackQuery) -> tuple[int, int] | None:
    """The pressed message (chat id, message id), if Telegram still gave it."""
    message = query.message
    return (message.chat_id, message.message_id) if isinstance(message, Message) else None


async def _refuse_decided(
    update: Update, context: Context, application: MembershipApplication
) -> None:
    """Someone else decided first: say who, on the button and in the chat."""
    lang = await common.language(update, context)
    text = _decided_text(context, lang, application)
    await given.query(update).answer(text, show_alert=True)
    await context.bot.send_message(given.chat(update).id, text)
    await update_notices(context, application, also=_card_of(given.query(update)))


async def _ask_reason(
    context: Context, chat_id: int, lang: str, application: MembershipApplication
) -> None:
    keep = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    common.text(context, "review.button.keep_pending", lang),
                    callback_data=callbacks.data(callbacks.REVIEW, KEEP, application.id),
                )
            ]
        ]
    )
    prompt = await context.bot.send_message(
        chat_id,
        common.text(
            context, "review.ask_reason", lang, id=application.id, name=application.full_name
        ),
        reply_markup=keep,
    )
    await personal.shown(context, prompt, [application.user_id])


async def _send_card(
    context: Context, chat_id: int, lang: str, application: MembershipApplication
) -> None:
    card = await _card(context, lang, application)
    if application.status == Status.PENDING:
        sent = await context.bot.send_message(
            chat_id, card, reply_markup=review_buttons(context, lang, application.id)
        )
    else:
        outcome = view.outcome_line(context, lang, application)
        sent = await context.bot.send_message(chat_id, Html(f"{card}\n\n{outcome}"))
    await personal.shown(context, sent, [application.user_id])


class RejectReasonForm:
    """The admin's next message after pressing Reject is the reason."""

    async def on_input(self, update: Update, context: Context, state: FormState) -> None:
        """Take the reason and reject the application (if it is still pending)."""
        svc = common.services(context)
        lang = await common.language(update, context)
        admin = given.user(update)
        if not common.is_admin(update, context):
            await svc.forms.clear(admin.id)
            return
        application = await svc.membership.get(int(state.data.get("application_id", 0)))
        if application is None:
            await svc.forms.clear(admin.id)
            await common.reply(update, context, "review.gone")
            return
        try:
            reason = rejection_reason(given.message(update).text or "")
        except InvalidAnswer:
            low, high = REASON_LENGTH
            await common.reply(update, context, "review.reason_invalid", min=low, max=high)
            await _ask_reason(context, given.chat(update).id, lang, application)
            return
        decision = await svc.decisions.reject(
            application.id, Admin(admin.id, admin.full_name), reason, given.chat(update).id
        )
        await svc.forms.clear(admin.id)
        if not decision.changed:
            text = _decided_text(context, lang, decision.application)
            await context.bot.send_message(given.chat(update).id, text)
            return
        log.info("application %s rejected by %s (%s)", application.id, admin.id, admin.full_name)
        await svc.decisions.carry_out()
        await common.reply(update, context, "review.rejected_done", id=application.id)

    async def on_cancel(self, update: Update, context: Context, state: FormState) -> None:
        """/cancel while typing a reason: the application stays pending."""
        await common.reply(
            update, context, "review.reject_cancelled", id=state.data.get("application_id", "")
        )

    async def on_resume(self, update: Update, context: Context, state: FormState) -> None:
        """After a change of language: the reason asked for again, with its button."""
        svc = common.services(context)
        application = await svc.membership.get(int(state.data.get("application_id", 0)))
        if application is None or application.status != Status.PENDING:
            await svc.forms.clear(state.user_id)  # erased or decided meanwhile
            return
        lang = await common.language(update, context)
        await _ask_reason(context, given.chat(update).id, lang, application)

    def same_prompt(self, earlier: FormState, state: FormState) -> bool:
        """Reject pressed again on the same application goes on; on another one sets the
        first reason aside."""
        return bool(earlier.data.get("application_id") == state.data.get("application_id"))

    async def on_set_aside(self, context: Context, state: FormState) -> None:
        """Another prompt took the reason's place: the application is still pending."""
        lang = await router.user_language(context, state.user_id)
        await context.bot.send_message(
            state.chat_id,
            common.text(context, "review.reason_set_aside", lang,
                        id=state.data.get("application_id", "")),
        )


REJECT_REASON_FORM = RejectReasonForm()


async def reason_in_admin_chat(update: Update, context: Context) -> None:
    """A message in the admin group: the reason, if its sender is typing one there."""
    user = update.effective_user
    if user is None:
        return
    state = await common.services(context).forms.get(user.id)
    if (
        state is not None
        and state.form == REJECT_FORM
        and state.chat_id == given.chat(update).id
    ):
        await REJECT_REASON_FORM.on_input(update, context, state)


@common.admin_chats_only
@common.admins_only
async def pending(update: Update, context: Context) -> None:
    """/pending: the applications waiting for review, each a button that opens its card."""
    svc = common.services(context)
    lang = await common.language(update, context)
    waiting = await svc.membership.pending()
    if not waiting:
        await common.reply(update, context, "review.pending_none")
        return
    shown = waiting[:PENDING_SHOWN]
    lines = [
        common.text(
            context,
            "review.pending_line",
            lang,
            id=application.id,
            name=application.full_name,
            organisation=application.organisation,
            province=application.province,
            date=common.local_date(context, application.submitted_at),
        )
        for application in shown
    ]
    if len(waiting) > len(shown):
        lines.append(
            common.text(context, "review.pending_more", lang, count=len(waiting) - len(shown))
        )
    buttons = [
        [
            InlineKeyboardButton(
                f"#{application.id} {application.full_name}"[:60],
                callback_data=callbacks.data(callbacks.REVIEW, OPEN, application.id),
            )
        ]
        for application in shown
    ]
    listed = await common.reply(
        update,
        context,
        "review.pending_list",
        count=len(waiting),
        lines=Html("\n".join(lines)),
        reply_markup=InlineKeyboardMarkup(buttons),
    )
    await personal.shown(context, listed, [application.user_id for application in shown])


def register(application: AnyApplication) -> None:
    """Wire the review buttons, /pending, and the reason form."""
    application.add_handler(CommandHandler("pending", pending))
    application.add_handler(
        CallbackQueryHandler(review_pressed, pattern=callbacks.pattern(callbacks.REVIEW))
    )
    router.register_form(application, REJECT_FORM, REJECT_REASON_FORM)
    admin_chat = get_services(application).config.admin_chat_id
    if admin_chat is not None:
        application.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE
                & filters.Chat(admin_chat)
                & filters.TEXT
                & ~filters.COMMAND,
                reason_in_admin_chat,
            ),
            group=ADMIN_CHAT_GROUP,
        )
