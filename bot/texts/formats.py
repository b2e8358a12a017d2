"""How values read in a text: dates, times, the time zone, numbers, durations (docs/voice.md).

One formatter for every display, so a member never sees 1/12 in one message and 01/12 in
the next. Values that read differently per language are :class:`PerLanguage`: the catalog
renders them in the language of the text they fill, so one set of parameters serves admins
who read different languages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Dates and times are written by the clock module, in the association's zone.
from bot.clock import day, moment

__all__ = ["PerLanguage", "day", "duration", "duration_text", "moment", "number",
           "number_text", "zone", "zone_name"]

# Zones people name by their country rather than by a city.
_ZONE_NAMES = {
    "Asia/Ho_Chi_Minh": {"vi": "giờ Việt Nam", "en": "Vietnam time"},
    "Asia/Saigon": {"vi": "giờ Việt Nam", "en": "Vietnam time"},
}


class PerLanguage:
    """A value whose text depends on the language it is shown in."""

    __slots__ = ("_render",)

    def __init__(self, render: Callable[[str], str]) -> None:
        self._render = render

    def render(self, lang: str) -> str:
        """The value as written in ``lang``."""
        return self._render(lang)

    def __str__(self) -> str:
        return self._render("en")


def zone_name(timezone: str, lang: str) -> str:
    """The association's time zone as people say it: "giờ Việt Nam" / "Vietnam time"."""
    known = _ZONE_NAMES.get(timezone)
    if known is not None:
        return known.get(lang, known["en"])
    offset = datetime.now(ZoneInfo(timezone)).strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}"
    return f"giờ {utc}" if lang == "vi" else f"{utc} time"


def zone(timezone: str) -> PerLanguage:
    """:func:`zone_name` in whatever language the text is shown."""
    return PerLanguage(lambda lang: zone_name(timezone, lang))


def number_text(value: int | float, lang: str) -> str:
    """6.291 and 0,5 in Vietnamese; 6,291 and 0.5 in English."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if lang == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def number(value: int | float) -> PerLanguage:
    """:func:`number_text` in whatever language the text is shown."""
    return PerLanguage(lambda lang: number_text(value, lang))


def duration_text(delta: timedelta, lang: str) -> str:
    """How long something took, in words: "dưới 1 giây", "12 giây", "3 phút 5 giây"."""
    seconds = round(delta.total_seconds())
    vi = lang == "vi"
    if delta.total_seconds() < 1:
        return "dưới 1 giây" if vi else "under a second"
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    units = (("giờ", "h"), ("phút", "min"), ("giây", "s"))
    parts = [
        f"{amount} {unit[0] if vi else unit[1]}"
        for amount, unit in zip((hours, minutes, seconds), units, strict=True)
        if amount
    ]
    if not vi and len(parts) == 1 and not hours and not minutes:
        return f"{seconds} second" + ("" if seconds == 1 else "s")
    return " ".join(parts)


def duration(delta: timedelta) -> PerLanguage:
    """:func:`duration_text` in whatever language the text is shown."""
    return PerLanguage(lambda lang: duration_text(delta, lang))
