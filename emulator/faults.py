"""Fault injection and flood limits, to drive the bot's error paths."""

from dataclasses import dataclass
from typing import Any

from emulator.errors import ApiError, bad_request, forbidden, too_many_requests

FAULT_KINDS = frozenset({"429", "403", "400", "500", "502", "timeout"})


@dataclass(slots=True)
class Fault:
    """A planned failure of one method, possibly limited to one chat."""

    kind: str
    remaining: int | None  # None: until cleared
    chat_id: int | str | None
    retry_after: int
    delivered: bool  # for "timeout": whether the request still takes effect
    hold: float  # for "timeout": how long the answer is withheld
    description: str | None

    def error(self) -> ApiError:
        """The error answer this fault gives (not for "timeout", which gives none)."""
        if self.kind == "429":
            return too_many_requests(self.retry_after)
        if self.kind == "403":
            return forbidden(self.description or "bot was blocked by the user")
        if self.kind == "400":
            return bad_request(self.description or "chat not found")
        if self.kind == "500":
            return ApiError(500, self.description or "Internal Server Error")
        return ApiError(502, self.description or "Bad Gateway")


class FaultPlan:
    """Faults waiting to happen, by method; looking one up is O(1) when there are none."""

    def __init__(self) -> None:
        self._by_method: dict[str, list[Fault]] = {}

    def __bool__(self) -> bool:
        return bool(self._by_method)

    def add(self, method: str, fault: Fault) -> None:
        """Plan a fault for a method ('*' for every method but getUpdates)."""
        self._by_method.setdefault(method.lower(), []).append(fault)

    def clear(self) -> None:
        """Cancel every planned fault."""
        self._by_method.clear()

    def take(self, method: str, chat_id: Any) -> Fault | None:
        """The fault this request meets, counting it as used."""
        for key in (method.lower(), "*"):
            if key == "*" and method == "getUpdates":
                continue
            faults = self._by_method.get(key)
            if not faults:
                continue
            for fault in faults:
                if fault.chat_id is None or fault.chat_id == chat_id:
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            faults.remove(fault)
                            if not faults:
                                del self._by_method[key]
                    return fault
        return None
