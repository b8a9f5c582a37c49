"""One screened call's threads and queues: tap frames in, verdict changes out.

The tap (media thread) appends raw PCM frames to a bounded deque; a worker thread drains
it into the call's ``CallPipeline``; each change of verdict goes on a queue that the SIP
thread drains. pjsua2 is never called from here.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from callwarden.audio.pcm import int16_to_float
from callwarden.detectors.base import CallContext
from callwarden.frames import AudioChunk, DetectorScore, Verdict, VerdictKind
from callwarden.policy.attempts import AttemptCount

log = logging.getLogger(__name__)

POLL_S = 0.01


class Pipeline(Protocol):
    """What a session needs of ``CallPipeline``."""

    @property
    def verdict(self) -> Verdict:
        """The verdict so far."""
        ...

    def push(self, chunk: AudioChunk) -> list[DetectorScore]:
        """Feed one chunk; returns completed scores."""
        ...

    def finish(self) -> Verdict:
        """Flush and return the final verdict."""
        ...


class Auditor(Protocol):
    """What a session needs of ``AuditLog``."""

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        """Append one record."""
        ...


PipelineFactory = Callable[[CallContext, int], Pipeline]
AttemptRecorder = Callable[[str, str, VerdictKind], AttemptCount]
# Builds the pipeline that screens the rest of a rerouted call from ``start_s`` on.
Reroute = Callable[[float], Pipeline]


@dataclass(frozen=True, slots=True)
class VerdictChange:
    """A call's verdict changed; carried from the worker to the SIP thread."""

    call_id: str
    verdict: Verdict
    monotonic_s: float


@dataclass(slots=True)
class ScoreSummary:
    """Per-detector statistics for the audit record (no raw audio)."""

    count: int = 0
    minimum: float = 1.0
    maximum: float = 0.0
    total: float = 0.0
    last: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, score: DetectorScore) -> None:
        """Fold one score in."""
        self.statuses[str(score.status)] = self.statuses.get(str(score.status), 0) + 1
        self.count += 1
        self.minimum = min(self.minimum, score.score)
        self.maximum = max(self.maximum, score.score)
        self.total += score.score
        self.last = score.score

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        mean = self.total / self.count if self.count else 0.0
        return {
            "windows": self.count,
            "min": round(self.minimum, 4) if self.count else None,
            "max": round(self.maximum, 4) if self.count else None,
            "mean": round(mean, 4),
            "last": round(self.last, 4),
            "statuses": dict(self.statuses),
        }


class CallSession:
    """Runs one call's pipeline on a worker thread fed by the tap's frame queue.

    Args:
        context: who the call claims to be.
        pipeline: the call's pipeline at ``rate_hz``.
        frames: the tap's bounded queue of 16-bit PCM frames.
        changes: where verdict changes go (drained by the SIP thread).
        audit: the audit log.
        rate_hz: the tap's sample rate.
        attempts: counts the final verdict against the claimed subscriber, if any.
    """

    def __init__(
        self,
        context: CallContext,
        pipeline: Pipeline,
        frames: collections.deque[bytes],
        changes: queue.SimpleQueue[VerdictChange],
        audit: Auditor,
        rate_hz: int,
        attempts: AttemptRecorder | None = None,
    ) -> None:
        self.context = context
        self._attempts = attempts
        self.rate_hz = rate_hz
        self.frames = frames
        self.summary: dict[str, ScoreSummary] = {}
        self.actions: list[dict[str, Any]] = []
        self.final: Verdict | None = None
        self.processed = 0
        self.audio_s = 0.0
        self.started_monotonic = time.monotonic()
        self._pipeline = pipeline
        self._changes = changes
        self._audit = audit
        self._last_kind = pipeline.verdict.kind
        self._closing = threading.Event()
        self._end: dict[str, Any] = {}
        self._failed: str | None = None
        self._reroute: tuple[CallContext, Reroute, dict[str, Any]] | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"callwarden-session-{context.call_id}", daemon=True
        )

    @property
    def call_id(self) -> str:
        """The SIP Call-ID."""
        return self.context.call_id

    @property
    def done(self) -> bool:
        """True once the final verdict and the call-end record are written."""
        return not self._thread.is_alive() and self.final is not None

    def start(self, data: Mapping[str, Any]) -> None:
        """Write the call-start record and start the worker."""
        self._audit.append("call_start", dict(data), self.call_id)
        self._thread.start()

    def record_action(self, result: Mapping[str, Any]) -> None:
        """Remember an action taken on the call for the call-end summary."""
        self.actions.append(dict(result))

    def reroute(self, context: CallContext, make: Reroute, detail: Mapping[str, Any]) -> None:
        """Screen the rest of the call as ``context`` (e.g. a subscriber found by DTMF).

        The worker swaps pipelines between two frames, building the new one with
        ``make(seconds heard so far)``; the audit gets a ``routed`` record with ``detail``.
        """
        self._reroute = (context, make, dict(detail))

    def close(self, end: Mapping[str, Any]) -> None:
        """The call ended: drain what is queued, finish, write the call-end record."""
        self._end = dict(end)
        self._closing.set()

    def join(self, timeout_s: float) -> bool:
        """Wait for the worker; True when it has finished."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            got = self._drain()
            if self._closing.is_set() and not self.frames:
                break
            if not got:
                time.sleep(POLL_S)
        self._finish()

    def _drain(self) -> bool:
        got = False
        pending, self._reroute = self._reroute, None
        if pending is not None:
            self._swap(*pending)
        while self.frames:
            try:
                data = self.frames.popleft()
            except IndexError:
                break
            got = True
            self._push(data)
        return got

    def _push(self, data: bytes) -> None:
        samples = int16_to_float(np.frombuffer(data, dtype="<i2"))
        chunk = AudioChunk(samples, self.rate_hz, self.audio_s)
        self.processed += 1
        self.audio_s += len(samples) / self.rate_hz
        if self._failed is not None:
            return
        try:
            scores = self._pipeline.push(chunk)
        except Exception as exc:  # a pipeline bug must not take the call or the UA down
            self._failed = repr(exc)
            log.exception("pipeline failed; the call is no longer screened")
            return
        for score in scores:
            self.summary.setdefault(score.detector, ScoreSummary()).add(score)
        self._notice(self._pipeline.verdict)

    def _swap(self, context: CallContext, make: Reroute, detail: dict[str, Any]) -> None:
        record = {**detail, "subscriber": context.subscriber_id, "at_s": round(self.audio_s, 3)}
        try:
            pipeline = make(self.audio_s)
        except Exception as exc:  # e.g. not enrolled: keep screening as before
            log.warning("reroute failed; screening goes on unchanged", extra={"error": repr(exc)})
            self._audit.append("routed", {**record, "ok": False, "error": str(exc)}, self.call_id)
            return
        self.context, self._pipeline = context, pipeline
        self._audit.append("routed", {**record, "ok": True}, self.call_id)
        self._notice(pipeline.verdict)

    def _notice(self, verdict: Verdict) -> None:
        if verdict.kind == self._last_kind:
            return
        self._last_kind = verdict.kind
        self._changes.put(VerdictChange(self.call_id, verdict, time.monotonic()))
        self._audit.append("verdict", _verdict_data(verdict), self.call_id)

    def _finish(self) -> None:
        try:
            final = self._pipeline.finish()
        except Exception as exc:  # still write a complete record
            log.exception("pipeline failed to finish")
            self._failed = self._failed or repr(exc)
            final = self._pipeline.verdict
        self._audit.append("verdict_final", _verdict_data(final), self.call_id)
        self._count_attempt(final)
        self._audit.append("call_end", self._end_record(), self.call_id)
        self.final = final

    def _count_attempt(self, final: Verdict) -> None:
        subscriber = self.context.subscriber_id
        if self._attempts is None or subscriber is None:
            return
        try:
            count = self._attempts(subscriber, self.call_id, final.kind)
        except Exception as exc:  # the store is down: the call record must still complete
            log.warning("attempt not counted", extra={"error": repr(exc)})
            return
        data = {"subscriber": subscriber, "alarms": count.alarms, "limit": count.limit}
        self._audit.append("attempts", {**data, "block": count.block}, self.call_id)
        if count.block:
            log.warning("subscriber reached the attempt limit", extra=data)

    def _end_record(self) -> dict[str, Any]:
        return {
            **self._end,
            "frames": self.processed,
            "audio_s": round(self.audio_s, 3),
            "scores": {name: s.as_dict() for name, s in self.summary.items()},
            "actions": list(self.actions),
            "error": self._failed,
        }


def _verdict_data(verdict: Verdict) -> dict[str, Any]:
    return {
        "kind": str(verdict.kind),
        "reason": verdict.reason,
        "at_s": round(verdict.at_s, 3),
        "evidence": dict(verdict.evidence),
    }
