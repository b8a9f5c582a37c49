"""The Reason header (RFC 3326) that tells the peer why CallWarden acted."""

from __future__ import annotations

import re

from callwarden.frames import Verdict

_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\]')
MAX_TEXT = 120


def reason_header(status_code: int, verdict: Verdict) -> str:
    """``SIP;cause=603;text="CallWarden spoof: ..."``, safe to put on the wire.

    Args:
        status_code: the SIP status the cause names.
        verdict: the verdict behind the action; its reason becomes the text.
    """
    text = _UNSAFE.sub("'", f"CallWarden {verdict.kind}: {verdict.reason}")
    return f'SIP;cause={status_code};text="{text[:MAX_TEXT]}"'
