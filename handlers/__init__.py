"""Telegram handlers, one module per feature; see :mod:`handlers.registry`."""
