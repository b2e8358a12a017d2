"""The Telegram-bound part of the application: everything that speaks python-telegram-bot.

The core (the rest of ``bot``) never imports this package, ``telegram``, ``handlers`` or the
emulator; the features (``handlers``) and the programs (``hoibot``) build on it. The
contracts in ``.importlinter`` check it (``make lint``); docs/architecture.md draws the map.
"""
