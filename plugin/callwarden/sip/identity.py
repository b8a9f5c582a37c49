"""Who a call claims to be: the caller's identity headers and the subscriber they map to.

Pure text handling (no pjsua2): the INVITE arrives as the whole message text.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from callwarden.settings import SubscriberSettings

_URI = re.compile(r"<?\s*((?:sips?|tel):[^>;,\s]+)", re.IGNORECASE)
_USER = re.compile(r"^(?:sips?|tel):([^@;]+)", re.IGNORECASE)
_COMPACT = {"f": "from", "t": "to"}


@dataclass(frozen=True, slots=True)
class CallerIdentity:
    """The identity a caller presents: the URI, its user part, and the header it came from."""

    uri: str
    user: str
    header: str


def header_values(message: str, name: str) -> list[str]:
    """Values of header ``name`` (case-insensitive, compact forms too) in a SIP message."""
    head = message.split("\r\n\r\n", 1)[0].split("\n\n", 1)[0]
    wanted = name.lower()
    values = []
    for line in head.splitlines()[1:]:
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and _COMPACT.get(key, key) == wanted:
            values.append(value.strip())
    return values


def caller_identity(message: str, headers: Sequence[str]) -> CallerIdentity | None:
    """The first identity found in ``headers`` (in order, e.g. P-Asserted-Identity, From)."""
    for name in headers:
        for value in header_values(message, name):
            match = _URI.search(value)
            if match is None:
                continue
            uri = match.group(1)
            user = _USER.match(uri)
            return CallerIdentity(uri, user.group(1) if user else uri, name)
    return None


def route_subscriber(
    identity: CallerIdentity | None, entries: Mapping[str, SubscriberSettings]
) -> str | None:
    """The subscriber whose ``caller_ids`` glob patterns match the caller, if any.

    A pattern matches the user part (``+44*``) or the whole URI (``sip:alice@*``).
    """
    if identity is None:
        return None
    for subscriber_id, entry in entries.items():
        for pattern in entry.caller_ids:
            if fnmatch.fnmatchcase(identity.user, pattern) or fnmatch.fnmatchcase(
                identity.uri, pattern
            ):
                return subscriber_id
    return None


def called_user(message: str) -> str | None:
    """The user part of the request URI (the called number)."""
    first = message.split("\n", 1)[0].split()
    if len(first) < 2:
        return None
    user = _USER.match(first[1])
    return user.group(1) if user else None
