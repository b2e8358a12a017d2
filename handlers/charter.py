"""/charter: browse the charter's chapters and articles with buttons, in one message edited
in place; before the official text is imported, the verified charter facts instead."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.config import LANGUAGES
from bot.kb import Chapter, KnowledgeBase, fill_placeholders
from bot.texts import Html
from bot.tg.app import AnyApplication
from handlers.kit import answers, callbacks, common, given, router
from handlers.kit.common import CommandSpec, Context

COMMANDS = [CommandSpec("charter")]

# ch:<action>:<lang>[:<id>]: a browsing session keeps the language it was opened in (an
# answer in English opens the charter in English, whatever the member's Telegram language).
OPEN = "open"  # ch:open:<lang>: the table of contents in a new message (under answers)
TOC = "toc"  # ch:toc:<lang>: back to the table of contents, in place
CHAPTER = "c"  # ch:c:<lang>:<chapter id>
ARTICLE = "a"  # ch:a:<lang>:<article id>

View = tuple[list[Html], list[list[InlineKeyboardButton]]]


def _data(action: str, lang: str, *target: str) -> str:
    return callbacks.data(callbacks.CHARTER, action, lang, *target)


def contents_view(context: Context, kb: KnowledgeBase, lang: str) -> View:
    """The chapters as buttons; without an imported text, the verified facts and where the
    full text is."""
    title = kb.charter.title.get(lang)
    if not kb.charter.articles:
        association = common.services(context).config.association
        text = common.text(
            context,
            "charter.not_imported",
            lang,
            title=title,
            full_text=fill_placeholders(kb.charter.full_text.get(lang), association),
            contact=fill_placeholders(kb.contact.get(lang), association),
        )
        facts = [entry for entry in kb.entries.values() if entry.charter]
        rows = [
            answers.button(
                context,
                "charter.fact",
                lang,
                callbacks.data(callbacks.FAQ, callbacks.FAQ_ENTRY, fact.id),
                title=fact.title.get(lang),
            )
            for fact in facts
        ]
        return [text], rows
    rows = [
        answers.button(
            context,
            "charter.chapter_button",
            lang,
            _data(CHAPTER, lang, chapter.id),
            title=kb.title(chapter.id, lang),
        )
        for chapter in kb.charter.chapters
    ]
    return [common.text(context, "charter.contents", lang, title=title)], rows


def chapter_view(context: Context, kb: KnowledgeBase, chapter: Chapter, lang: str) -> View:
    """A chapter's articles as buttons, and the way back."""
    rows = [
        answers.button(
            context,
            "charter.article_button",
            lang,
            _data(ARTICLE, lang, article.id),
            title=kb.title(article.id, lang),
        )
        for article in chapter.articles
    ]
    rows.append(answers.button(context, "charter.back_contents", lang, _data(TOC, lang)))
    text = common.text(context, "charter.chapter", lang, title=kb.title(chapter.id, lang))
    return [text], rows


def article_view(
    context: Context, kb: KnowledgeBase, article_id: str, chapter: Chapter, lang: str
) -> View:
    """An article's text with its source, and the way back to its chapter and the contents."""
    parts, _ = answers.item_view(context, kb, article_id, lang)
    rows = [
        answers.button(
            context,
            "charter.back_chapter",
            lang,
            _data(CHAPTER, lang, chapter.id),
            chapter=kb.title(chapter.id, lang),
        ),
        answers.button(context, "charter.back_contents", lang, _data(TOC, lang)),
    ]
    return parts, rows


async def show_charter(update: Update, context: Context, lang: str | None = None) -> None:
    """/charter, the menu's charter item, and "browse the charter" under answers."""
    lang = lang or await common.language(update, context)
    parts, rows = contents_view(context, common.services(context).kb, lang)
    await answers.send_parts(
        context.bot, given.chat(update).id, parts, reply_markup=InlineKeyboardMarkup(rows)
    )


def _chapter_of(kb: KnowledgeBase, article_id: str) -> Chapter | None:
    return next(
        (c for c in kb.charter.chapters if any(a.id == article_id for a in c.articles)), None
    )


async def charter_button(update: Update, context: Context) -> None:
    """ch:open, ch:toc, ch:c:<id>, ch:a:<id>, checked against the charter in service now."""
    query = given.query(update)
    lang = callbacks.part(query.data, 2)
    if lang not in LANGUAGES:
        lang = await common.language(update, context)
    kb = common.services(context).kb
    action = callbacks.part(query.data, 1)
    target = callbacks.part(query.data, 3)
    view: View | None = None
    if action == OPEN:
        await query.answer()
        await show_charter(update, context, lang)
        return
    if action == TOC:
        view = contents_view(context, kb, lang)
    elif action == CHAPTER:
        chapter = next((c for c in kb.charter.chapters if c.id == target), None)
        view = chapter_view(context, kb, chapter, lang) if chapter else None
    elif action == ARTICLE:
        chapter = _chapter_of(kb, target)
        view = article_view(context, kb, target, chapter, lang) if chapter else None
    if view is None:  # the charter changed since the button was sent
        await query.answer(common.text(context, "charter.stale", lang), show_alert=True)
        return
    await query.answer()
    await answers.show_in_place(update, context, *view)


def register(application: AnyApplication) -> None:
    """Wire /charter, its buttons and the menu's charter item."""
    application.add_handler(CommandHandler("charter", show_charter, filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(charter_button, pattern=callbacks.pattern(callbacks.CHARTER))
    )
    router.register_entry_point(application, "charter", show_charter)
