"""What the hook tracks per call, and what it needs of the composition root."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from callwarden.detectors.base import CallContext
from callwarden.frames import Verdict, VerdictKind
from callwarden.policy.attempts import AttemptCount
from callwarden.session import Auditor, CallSession, Pipeline
from callwarden.settings import Settings
from callwarden.sip.control import PjCallControl
from callwarden.sip.dtmf import AccountDigits
from callwarden.sip.identity import CallerIdentity
from callwarden.sip.tap import TAP_RATE_HZ, TapPort

Listener = Callable[[str, dict[str, Any]], None]


class Screener(Protocol):
    """What the hook needs of the composition root (``callwarden.app.App`` fits)."""

    @property
    def settings(self) -> Settings:
        """The settings tree."""
        ...

    @property
    def audit(self) -> Auditor:
        """The audit log."""
        ...

    def pipeline(self, call: CallContext, input_rate_hz: int, start_s: float = 0.0) -> Pipeline:
        """A fresh pipeline for one call, its clock starting at ``start_s``."""
        ...

    def record_attempt(
        self, subscriber_id: str, call_id: str, verdict: VerdictKind
    ) -> AttemptCount:
        """Count a call's final verdict against its subscriber."""
        ...


@dataclass(slots=True)
class Screened:
    """One call under screening, as the hook tracks it."""

    call: Any
    control: PjCallControl
    tap: TapPort | None
    session: CallSession
    caller: CallerIdentity | None
    called: str | None
    digits: AccountDigits | None  # None once routed (or routed by identity)
    started: float = field(default_factory=time.monotonic)
    ended: bool = False
    rtp: dict[str, int] | None = None

    @property
    def call_id(self) -> str:
        """The SIP Call-ID."""
        return self.control.call_id

    def seconds(self) -> float:
        """Seconds since the call was handed to the hook."""
        return time.monotonic() - self.started

    def start_record(self) -> dict[str, Any]:
        """The audit's ``call_start`` data."""
        caller = self.caller
        return {
            "caller": caller.uri if caller else None,
            "caller_header": caller.header if caller else None,
            "called": self.called,
            "subscriber": self.session.context.subscriber_id,
            "tap_rate_hz": TAP_RATE_HZ,
        }


def verdict_fields(verdict: Verdict) -> dict[str, Any]:
    """A verdict as event fields."""
    return {"kind": str(verdict.kind), "reason": verdict.reason, "at_s": round(verdict.at_s, 3)}


def media_text(media: Any) -> str:
    """One ``CallMediaInfo`` as ``index:type=..:status=..:dir=..``."""
    return f"{media.index}:type={media.type}:status={media.status}:dir={media.dir}"


def stream_stats(call: Any, stream_index: int) -> dict[str, int]:
    """The receive statistics of one of the call's streams (RTP packets, losses)."""
    stat = call.getStreamStat(stream_index)
    rx, jb = stat.rtcp.rxStat, stat.jbuf
    return {
        "rtp_packets": int(rx.pkt),
        "rtp_lost": int(rx.loss),
        "rtp_discarded": int(rx.discard),
        "jitter_buffer_lost": int(jb.lost),
        "jitter_buffer_discarded": int(jb.discard),
    }
