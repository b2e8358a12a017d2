"""A local Telegram Bot API emulator: the real bot runs against it, tests act as its users."""
