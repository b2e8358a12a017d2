"""The ``hoibot`` command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import logs
from bot.config import ConfigError, load_config
from bot.kb.cli import add_kb_commands
from bot.kb.nodes import KnowledgeError
from bot.ops import StartupError
from bot.ops.cli import add_ops_commands
from bot.redaction import REDACTOR
from bot.tg.doctor import add_doctor_command

log = logging.getLogger("hoibot")


def _run(args: argparse.Namespace) -> int:
    from bot.tg.runtime import run
    from hoibot.app import build_application

    config = args.config
    if not config.telegram.token:
        source = config.source or "config.yaml"
        raise ConfigError(
            f"telegram.token: no bot token (set TELEGRAM_BOT_TOKEN or telegram.token in {source})"
        )
    run(build_application(config), config)
    return 0


def _console(args: argparse.Namespace) -> int:
    from hoibot.console_terminal import run_console

    return run_console(args.config)


def _stats(args: argparse.Namespace) -> int:
    from bot.stats import stats_command

    return stats_command(args.config, args.lang, args.chart)


def _auto(args: argparse.Namespace) -> int:
    if args.config.telegram.token:
        print("hoibot: a bot token is configured: running on Telegram.", file=sys.stderr)
        return _run(args)
    print("hoibot: no bot token configured: starting the offline console.", file=sys.stderr)
    return _console(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    # The common options are accepted before or after the command: `hoibot run --config F`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="configuration file (default: $HOIBOT_CONFIG or ./config.yaml)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging"
    )
    parser = argparse.ArgumentParser(
        prog="hoibot",
        parents=[common],
        description="HoiBot, the association's Telegram assistant. Without a command: run on "
        "Telegram if a token is configured, else the offline console.",
    )
    parser.set_defaults(func=_auto)
    sub = parser.add_subparsers(title="commands")
    sub.add_parser(
        "run", parents=[common], help="run the bot on Telegram (needs a token)"
    ).set_defaults(func=_run)
    sub.add_parser(
        "console", parents=[common], help="chat with the bot offline, no token needed"
    ).set_defaults(func=_console)
    stats = sub.add_parser("stats", parents=[common], help="print the figures of /stats")
    stats.add_argument("--lang", choices=("vi", "en"), help="language (default: the default)")
    stats.add_argument("--chart", type=Path, help="also write the chart to this PNG file")
    stats.set_defaults(func=_stats)
    add_kb_commands(sub, parents=[common])
    add_ops_commands(sub, parents=[common])
    add_doctor_command(sub, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hoibot`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False)
    logs.configure(verbose=verbose)
    try:
        if getattr(args, "loads_config", True):
            args.config = load_config(getattr(args, "config", None))
            telegram = args.config.telegram
            REDACTOR.add(telegram.token, telegram.webhook.secret_token)
            logs.configure(verbose=verbose, fmt=args.config.logging.format)
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"hoibot: configuration error: {exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        # Start-up check: the bot does not start on a knowledge folder it cannot serve.
        for problem in exc.problems:
            located = problem.located(args.config.knowledge_dir)
            print(f"hoibot: knowledge base error: {located}", file=sys.stderr)
        return 2
    except StartupError as exc:
        log.debug("why the bot could not start", exc_info=True)  # the details, with -v
        print(f"hoibot: cannot start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`hoibot ask ... | head -3`): nothing more to say, and no
        # traceback; what is still buffered goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
