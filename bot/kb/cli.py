"""Command-line tools for the knowledge base: ``kb check``, ``kb import-charter``,
``kb export-learned`` and ``ask``.

:func:`add_kb_commands` adds them to the ``hoibot`` command's subparsers; each sets
``func(args) -> int``. Without ``--knowledge-dir`` they use ``args.config`` (a
:class:`~bot.config.Config`) when the caller put one there, else they load the configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.config import Config, ConfigError, load_config
from bot.kb import semantic
from bot.kb.charter_import import CharterImportError, import_charter, stand_in_warnings
from bot.kb.knowledge import KnowledgeBase
from bot.kb.learned import ACTIVE, Lesson, export_yaml, overlay, read_contents
from bot.kb.loader import read_knowledge
from bot.kb.nodes import KnowledgeError
from bot.kb.normalize import detect_language
from bot.kb.service import snapshot_beside, vectors_beside
from bot.storage import Database
from bot.storage.learned import LearnedRepository
from bot.texts import Catalog

CHARTER_FILE = "charter.yaml"


class Command(Protocol):
    """A ``kb`` command (``set_defaults(func=...)``): the parsed arguments -> exit status."""

    def __call__(self, args: argparse.Namespace) -> int: ...


def add_kb_commands(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``kb check``, ``kb import-charter FILE`` and ``ask QUESTION`` to a CLI.

    ``parents`` carry the CLI's common options, so they may follow the command too.
    """
    parents = list(parents)
    kb = subparsers.add_parser(
        "kb", parents=parents, help="check the knowledge base, import the charter"
    )
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="COMMAND")

    check = kb_commands.add_parser(
        "check",
        parents=parents,
        help="check the knowledge files; print file:line: problem for each mistake",
    )
    _knowledge_dir_option(check)
    check.set_defaults(func=run_check)

    charter = kb_commands.add_parser(
        "import-charter",
        parents=parents,
        help="import the official charter (.txt, .md or .docx) into charter.yaml",
    )
    charter.add_argument("file", type=Path, help="the charter: headings 'Chương I', 'Điều 1.'")
    _knowledge_dir_option(charter)
    charter.set_defaults(func=run_import_charter)

    export = kb_commands.add_parser(
        "export-learned",
        parents=parents,
        help="write what the secretariat taught in Telegram as a knowledge file (YAML)",
    )
    export.add_argument(
        "file", nargs="?", type=Path, help="the file to write (default: standard output)"
    )
    export.add_argument(
        "--database", type=Path, metavar="FILE", help="the bot's database (default: database "
        "of the configuration)"
    )
    _knowledge_dir_option(export)
    export.set_defaults(func=run_export_learned)

    ask = subparsers.add_parser(
        "ask", parents=parents, help="show what the bot would answer to a question"
    )
    ask.add_argument("question")
    ask.add_argument(
        "--lang", choices=("vi", "en"), help="answer language (default: guessed from the question)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    _knowledge_dir_option(ask)
    ask.set_defaults(func=run_ask)


def _knowledge_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge-dir",
        type=Path,
        metavar="DIR",
        help="knowledge folder (default: knowledge_dir of the configuration)",
    )


def _config(args: argparse.Namespace) -> Config:
    config = getattr(args, "config", None)
    if not isinstance(config, Config):
        config = load_config()
        args.config = config
    return config


def _knowledge_dir(args: argparse.Namespace) -> Path:
    return args.knowledge_dir if args.knowledge_dir is not None else _config(args).knowledge_dir


def run_check(args: argparse.Namespace) -> int:
    """``kb check``: 0 and a one-line summary when the folder is fine, 1 and the problems."""
    directory = _knowledge_dir(args)
    contents, problems = read_knowledge(directory)
    for problem in problems:
        print(problem.located(directory))
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    charter = contents.charter
    articles = len(charter.articles) if charter else 0
    for warning in stand_in_warnings(contents):
        print(f"warning: {warning}")
    print(
        f"{directory}: OK: {len(contents.entries)} entries, {len(contents.meetings)} meetings, "
        f"{len(contents.terms)} terms, {articles} charter articles, "
        f"{len(contents.announcements)} announcements, {len(contents.synonyms)} synonym groups"
    )
    return 0


def run_import_charter(args: argparse.Namespace) -> int:
    """``kb import-charter FILE``: 0 and what was found, or 1 and why (nothing written)."""
    directory = _knowledge_dir(args)
    try:
        report = import_charter(args.file, directory / CHARTER_FILE)
    except CharterImportError as exc:
        print(f"not imported: {exc}", file=sys.stderr)
        return 1
    print(
        f"imported {report.chapters} chapter(s) and {report.articles} article(s) from "
        f"{args.file} into {directory / CHARTER_FILE}"
    )
    for line in report.outline:
        print(f"  {line}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    for entry_id, articles in report.superseded.items():
        print(f"superseded: '{entry_id}' is now answered by {', '.join(articles)}")
    _read_meanings(args, directory)
    return 0


def _remember_vectors(args: argparse.Namespace) -> None:
    """Keep the articles' vectors where the bot keeps them (beside its snapshot)."""
    try:
        database = _config(args).database
    except ConfigError:
        return
    semantic.remember_in(vectors_beside(snapshot_beside(database)))


def _read_meanings(args: argparse.Namespace, directory: Path) -> None:
    """Read the new articles' meaning now (the sentence encoder of bot/kb/semantic.py: about
    10 s for 30 articles here), kept where the bot finds it: its next start needs not."""
    if semantic.encoder() is None:
        return
    _remember_vectors(args)
    print("reading the articles' meaning (sentence encoder)...", flush=True)
    try:
        KnowledgeBase.load(directory)
    except KnowledgeError:
        return  # `kb check` tells what is wrong; the bot will not start on it either


async def _read_lessons(path: Path) -> list[Lesson]:
    db = Database(path)
    await db.open()
    try:
        return await LearnedRepository(db).lessons()
    finally:
        await db.close()


def run_export_learned(args: argparse.Namespace) -> int:
    """``kb export-learned [FILE]``: the lessons in use as YAML to merge into the folder."""
    directory = _knowledge_dir(args)
    database = args.database if args.database is not None else _config(args).database
    try:
        contents = read_contents(directory)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem.located(directory), file=sys.stderr)
        return 1
    lessons = asyncio.run(_read_lessons(database)) if Path(database).exists() else []
    status = overlay(contents, lessons).status
    for lesson in lessons:
        if status[lesson.id] != ACTIVE:
            print(f"lesson {lesson.id} ({lesson.kind} to '{lesson.target_id}') left out: "
                  f"{status[lesson.id]}", file=sys.stderr)
    text = export_yaml(lessons, status)
    exported = sum(1 for lesson in lessons if status[lesson.id] == ACTIVE)
    if args.file is None:
        sys.stdout.write(text)
    else:
        args.file.write_text(text, encoding="utf-8")
        print(f"wrote {exported} lesson(s) to {args.file}")
    return 0


def _source_line(source: str, lang: str) -> str:
    """The source line exactly as the member reads it under the answer, without markup."""
    line = Catalog.load().get("answers.source", lang, source=source)
    return html.unescape(re.sub(r"<[^>]+>", "", line))


def run_ask(args: argparse.Namespace) -> int:
    """``ask QUESTION``: what the bot would answer (0), or 1 if the knowledge base is broken."""
    config = _config(args)
    directory = _knowledge_dir(args)
    _remember_vectors(args)
    try:
        kb = KnowledgeBase.load(directory)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem.located(directory), file=sys.stderr)
        return 1
    lang = args.lang or detect_language(args.question) or config.default_language
    result = kb.ask(args.question)
    answer = None
    if result.status == "answered" and result.entry_id is not None:
        answer = kb.render_answer(result.entry_id, lang, config.association)
    if args.json:
        reference = result.reference
        print(
            json.dumps(
                {
                    "status": result.status,
                    "answer": answer.text if answer else None,
                    "source": answer.source if answer else None,
                    "title": answer.title if answer else None,
                    "entry_id": result.entry_id,
                    "score": result.score,
                    "suggestions": list(result.suggestions),
                    "lang": lang,
                    "reference": {"kind": reference.kind, "number": reference.number}
                    if reference
                    else None,
                },
                ensure_ascii=False,
            )
        )
        return 0
    if answer is not None:
        print(f"{answer.text}\n\n{_source_line(answer.source, lang)}")
        print(f"[{result.entry_id}, score {result.score:g}]")
    elif result.status == "suggest":
        print("Not sure. Suggestions:")
        for item_id in result.suggestions:
            print(f"- {kb.title(item_id, lang)} [{item_id}]")
    elif result.status == "not_found" and result.reference is not None:
        missing = f"{result.reference.kind} {result.reference.number}"
        loaded = "" if kb.charter.articles else " (the charter text is not imported yet)"
        print(f"not found: the charter has no {missing}{loaded}")
    else:
        print("unknown: the knowledge base has no answer to this question")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the knowledge-base commands on their own (``python -m bot.kb.cli``)."""
    parser = argparse.ArgumentParser(prog="hoibot")
    parser.add_argument("--config", type=Path, help="configuration file")
    add_kb_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        args.config = load_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    command: Command = args.func
    return command(args)


if __name__ == "__main__":
    raise SystemExit(main())
