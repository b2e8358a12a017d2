"""Vietnamese phone numbers, normalised to one international form (E.164: ``+84...``).

Mobile numbers are 10 digits nationally: ``0`` then a network prefix 3, 5, 7, 8 or 9 and
8 more digits (``0912 345 678`` -> ``+84912345678``). Landlines since the 2017 renumbering
are 11 digits: ``02`` then the area code and subscriber number (``024 3825 1234`` ->
``+842438251234``). People write them with spaces, dots, dashes, brackets, ``+84``, ``84``
or ``0084``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MOBILE_PREFIXES = ("3", "5", "7", "8", "9")
_SEPARATORS = re.compile(r"[\s.\-()/]")
_ALLOWED = re.compile(r"^\+?[0-9]+$")


class InvalidPhone(ValueError):
    """Not a Vietnamese phone number; ``reason`` says why, for the user's message."""

    def __init__(self, reason: Literal["characters", "length", "prefix"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Phone:
    """A normalised Vietnamese phone number."""

    e164: str
    kind: Literal["mobile", "landline"]

    @property
    def national(self) -> str:
        """The number as written in Vietnam, e.g. ``0912 345 678``."""
        digits = "0" + self.e164[3:]
        if self.kind == "mobile":
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


def normalise_phone(text: str) -> Phone:
    """Read a Vietnamese mobile or landline number; raise :class:`InvalidPhone` if it is not."""
    compact = _SEPARATORS.sub("", text.strip())
    if not compact or not _ALLOWED.match(compact):
        raise InvalidPhone("characters")
    if compact.startswith("+84"):
        national = compact[3:]
    elif compact.startswith("+"):
        raise InvalidPhone("prefix")  # another country's code
    elif compact.startswith("0084"):
        national = compact[4:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        raise InvalidPhone("prefix")
    # "+84 (0) 912..." keeps the trunk zero: drop it.
    if national.startswith("0") and len(national) in (10, 11):
        national = national[1:]
    if national.startswith("2"):
        if len(national) != 10:
            raise InvalidPhone("length")
        return Phone("+84" + national, "landline")
    if national[:1] in MOBILE_PREFIXES:
        if len(national) != 9:
            raise InvalidPhone("length")
        return Phone("+84" + national, "mobile")
    raise InvalidPhone("prefix")
