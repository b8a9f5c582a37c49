"""Routing by DTMF: the account number a caller keys in names the subscriber claimed.

Pure (no pjsua2). Digits arrive one by one (RFC 2833 events or SIP INFO); the number is
complete as soon as it equals a configured ``account_number`` that no longer number
starts with, or when ``#`` ends it; ``*`` starts over. Only calls whose caller identity
matched no subscriber are routed so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from callwarden.settings import SubscriberSettings

MAX_DIGITS = 20
END = "#"
RESTART = "*"


@dataclass(slots=True)
class AccountDigits:
    """Collects one call's digits until they name a subscriber.

    Args:
        entries: the configured subscribers (``subscribers.entries``).
    """

    entries: Mapping[str, SubscriberSettings]
    digits: str = ""
    misses: int = 0

    def push(self, digit: str) -> str | None:
        """Take one digit; returns the subscriber id once the digits name one."""
        if digit == RESTART:
            self.digits = ""
            return None
        if digit == END:
            number, self.digits = self.digits, ""
            found = route_account(number, self.entries)
            self.misses += found is None
            return found
        if not digit.isdigit():
            return None
        self.digits = (self.digits + digit)[-MAX_DIGITS:]
        found = route_account(self.digits, self.entries)
        if found is None or self._extended(self.digits):
            return None  # not yet, or a longer number starts the same: wait for '#'
        self.digits = ""
        return found

    def _extended(self, number: str) -> bool:
        return any(
            (entry.account_number or "").startswith(number) and entry.account_number != number
            for entry in self.entries.values()
        )


def route_account(number: str, entries: Mapping[str, SubscriberSettings]) -> str | None:
    """The subscriber whose ``account_number`` is exactly ``number``, if any."""
    if not number:
        return None
    for subscriber_id, entry in entries.items():
        if entry.account_number == number:
            return subscriber_id
    return None
