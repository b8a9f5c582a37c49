"""The text of the Reason header (RFC 3326) that tells the peer why CallWarden acted.

PJSIP writes the header itself (``Reason: SIP ;cause=603 ;text="..."``) from the status
code and this text, so the text must be safe inside a quoted string.
"""

from __future__ import annotations

import re

from callwarden.frames import Verdict

_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\]')
MAX_TEXT = 120


def reason_text(verdict: Verdict) -> str:
    """``CallWarden spoof: <the verdict's reason>``, printable ASCII without quotes."""
    text = _UNSAFE.sub("'", f"CallWarden {verdict.kind}: {verdict.reason}")
    return text[:MAX_TEXT]
