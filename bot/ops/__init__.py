"""Running HoiBot for years: the run lock, backups and restore, health checks."""


class StartupError(Exception):
    """A reason the bot cannot start, phrased as one line: the cause and what to do."""
