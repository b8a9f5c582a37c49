from __future__ import annotations

import collections
import queue
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from callwarden.detectors.base import CallContext
from callwarden.errors import NotEnrolledError
from callwarden.frames import AudioChunk, DetectorScore, Verdict, VerdictKind
from callwarden.session import CallSession, VerdictChange


class LoudPipeline:
    """Spoof once 10 loud frames have been heard; one score per frame."""

    def __init__(self, crash_at: int | None = None) -> None:
        self.loud = 0
        self.starts: list[float] = []
        self.crash_at = crash_at
        self.verdict = Verdict(VerdictKind.UNCERTAIN, "listening", 0.0)

    def push(self, chunk: AudioChunk) -> list[DetectorScore]:
        if self.crash_at is not None and len(self.starts) == self.crash_at:
            raise RuntimeError("boom")
        self.starts.append(chunk.start_s)
        level = float(np.abs(chunk.samples).max())
        self.loud += level > 0.1
        if self.loud >= 10:
            self.verdict = Verdict(VerdictKind.SPOOF, "loud", chunk.start_s)
        end = chunk.start_s + chunk.duration_s
        return [DetectorScore("loud", level, chunk.start_s, end, end)]

    def finish(self) -> Verdict:
        return self.verdict


class ListAudit:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        self.events.append((event, dict(data)))
        return ""


def _frame(level: float) -> bytes:
    return (np.full(160, level * 32767, dtype="<i2")).tobytes()


def _session(pipeline: LoudPipeline) -> tuple[CallSession, Any, ListAudit, Any]:
    frames: collections.deque[bytes] = collections.deque(maxlen=100)
    changes: queue.SimpleQueue[VerdictChange] = queue.SimpleQueue()
    audit = ListAudit()
    session = CallSession(CallContext("call-1"), pipeline, frames, changes, audit, 8000)
    return session, frames, audit, changes


def test_verdict_change_reaches_the_queue_and_audit_is_complete() -> None:
    pipeline = LoudPipeline()
    session, frames, audit, changes = _session(pipeline)
    frames.extend([_frame(0.0)] * 5 + [_frame(0.5)] * 20)
    session.start({"caller": "sip:x@y"})
    session.record_action({"action": "drop", "ok": True})
    session.close({"status_code": 200})
    assert session.join(5.0)
    change = changes.get(timeout=1)
    assert change.call_id == "call-1" and change.verdict.kind is VerdictKind.SPOOF
    assert [e for e, _ in audit.events] == ["call_start", "verdict", "verdict_final", "call_end"]
    end = audit.events[-1][1]
    assert end["frames"] == 25 and end["status_code"] == 200 and end["error"] is None
    assert end["scores"]["loud"]["windows"] == 25 and end["actions"][0]["action"] == "drop"
    assert np.allclose(pipeline.starts[:3], [0.0, 0.02, 0.04])
    assert session.done


def test_pipeline_crash_still_writes_the_record() -> None:
    session, frames, audit, _ = _session(LoudPipeline(crash_at=3))
    frames.extend([_frame(0.5)] * 8)
    session.start({})
    session.close({"status_code": 0})
    assert session.join(5.0)
    end = audit.events[-1][1]
    assert audit.events[-1][0] == "call_end" and "boom" in end["error"] and end["frames"] == 8


def test_reroute_swaps_the_pipeline_between_frames_and_audits_it() -> None:
    first = LoudPipeline()
    session, frames, audit, changes = _session(first)
    frames.extend([_frame(0.0)] * 10)
    session.start({})
    for _ in range(100):
        if session.processed == 10:
            break
        time.sleep(0.01)
    built: list[float] = []
    second = LoudPipeline()

    def make(start_s: float) -> LoudPipeline:
        built.append(start_s)
        return second

    session.reroute(CallContext("call-1", "alice"), make, {"by": "dtmf"})
    frames.extend([_frame(0.5)] * 12)
    session.close({"status_code": 200})
    assert session.join(5.0)
    assert built == [pytest.approx(0.2)] and session.context.subscriber_id == "alice"
    assert len(first.starts) == 10 and len(second.starts) == 12
    routed = next(data for event, data in audit.events if event == "routed")
    assert routed == {"by": "dtmf", "subscriber": "alice", "at_s": 0.2, "ok": True}
    assert changes.get(timeout=1).verdict.kind is VerdictKind.SPOOF


def test_failed_reroute_keeps_screening_as_before() -> None:
    first = LoudPipeline()
    session, frames, audit, _ = _session(first)

    def make(start_s: float) -> LoudPipeline:
        raise NotEnrolledError("no voiceprint")

    session.reroute(CallContext("call-1", "bob"), make, {"by": "dtmf"})
    frames.extend([_frame(0.5)] * 5)
    session.start({})
    session.close({"status_code": 200})
    assert session.join(5.0)
    routed = next(data for event, data in audit.events if event == "routed")
    assert routed["ok"] is False and "no voiceprint" in routed["error"]
    assert len(first.starts) == 5 and session.context.subscriber_id is None


def test_final_verdict_is_counted_against_the_subscriber(tmp_path: Any) -> None:
    from callwarden.policy.attempts import AttemptCounter
    from callwarden.settings import PolicySettings

    counter = AttemptCounter(tmp_path / "state.db", PolicySettings(attempts_before_block=2))
    audits = []
    for call in ("call-1", "call-2"):
        frames: collections.deque[bytes] = collections.deque(maxlen=100)
        audit = ListAudit()
        session = CallSession(
            CallContext(call, "alice"),
            LoudPipeline(),
            frames,
            queue.SimpleQueue(),
            audit,
            8000,
            attempts=counter.record,
        )
        frames.extend([_frame(0.5)] * 12)
        session.start({})
        session.close({"status_code": 200})
        assert session.join(5.0)
        audits.append(dict(audit.events)["attempts"])
    assert audits[0] == {"subscriber": "alice", "alarms": 1, "limit": 2, "block": False}
    assert audits[1]["alarms"] == 2 and audits[1]["block"] is True
    assert counter.count("alice").alarms == 2
