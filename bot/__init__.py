"""HoiBot: a Telegram assistant for the members of a professional association."""

__version__ = "0.1.0"
