"""Test doubles for SIP tests: a tone/energy detector and a probing pipeline.

The fake detector follows ``detectors/base.py``'s contract and runs inside the real
``CallPipeline`` (VAD, windows, fusion), so the only fake part is the model.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from callwarden.detectors.base import CallContext, DetectorSpec
from callwarden.detectors.registry import LoadedDetector
from callwarden.errors import NotEnrolledError
from callwarden.frames import AnalysisWindow, AudioChunk, DetectorScore, Verdict, VerdictKind
from callwarden.pipeline import CallPipeline
from callwarden.policy.attempts import AttemptCount
from callwarden.settings import DetectorSettings, Settings


class ToneStream:
    """Scores the share of a window's energy near ``freq_hz`` (or 1.0 for any speech)."""

    threshold: float | None = 0.5

    def __init__(self, name: str, freq_hz: float | None) -> None:
        self.name = name
        self.freq_hz = freq_hz

    def push(self, window: AnalysisWindow) -> DetectorScore:
        x = window.samples.astype(np.float64)
        if self.freq_hz is None:
            score = 1.0 if np.sqrt(np.mean(x * x)) > 0.003 else 0.0
        else:
            spec = np.abs(np.fft.rfft(x)) ** 2
            freqs = np.fft.rfftfreq(len(x), 1 / window.sample_rate_hz)
            near = np.abs(freqs - self.freq_hz) <= 40
            score = float(spec[near].sum() / max(spec.sum(), 1e-12))
        return DetectorScore(self.name, score, window.start_s, window.end_s, window.speech_s)


@dataclass
class ToneDetector:
    """A fake detector: alarms (``alarm``) on a tone at ``freq_hz``, or on any speech.

    With ``needs_subscriber`` it screens only calls that claim a subscriber (as speaker
    verification does), so routing (caller ID or DTMF) decides whether it runs.
    """

    spec: DetectorSpec
    freq_hz: float | None
    needs_subscriber: bool = False

    @classmethod
    def make(
        cls, freq_hz: float | None, alarm: VerdictKind = VerdictKind.SPOOF, name: str = "tone"
    ) -> ToneDetector:
        spec = DetectorSpec(name, 8000, 0.5, 0.25, 0.5, ("score",), "fake-1", alarm)
        return cls(spec, freq_hz)

    def stream(self, call: CallContext) -> ToneStream:
        if self.needs_subscriber and call.subscriber_id is None:
            raise NotEnrolledError("this fake screens subscribers' calls only")
        return ToneStream(self.spec.name, self.freq_hz)


class ProbePipeline:
    """Wraps a ``CallPipeline`` and reports what the tap delivered when the call ends."""

    def __init__(self, inner: CallPipeline, call_id: str, report: Path | None) -> None:
        self.inner = inner
        self.call_id = call_id
        self.report = report
        self.chunks = 0
        self.rates: set[int] = set()
        self.tail: list[np.ndarray] = []

    @property
    def verdict(self) -> Verdict:
        return self.inner.verdict

    def push(self, chunk: AudioChunk) -> list[DetectorScore]:
        self.chunks += 1
        self.rates.add(chunk.sample_rate_hz)
        self.tail = [*self.tail[-199:], chunk.samples]
        return self.inner.push(chunk)

    def finish(self) -> Verdict:
        verdict = self.inner.finish()
        write_event(self.report, "probe", self._probe())
        return verdict

    def _probe(self) -> dict[str, Any]:
        x = np.concatenate(self.tail) if self.tail else np.zeros(0, np.float32)
        peak = 0.0
        if len(x) >= 800:
            spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
            peak = float(np.argmax(spec) * 8000 / len(x))
        return {
            "call_id": self.call_id,
            "chunks": self.chunks,
            "rates": sorted(self.rates),
            "peak_hz": round(peak, 1),
            "rms": float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if len(x) else 0.0,
        }


_LOCK = threading.Lock()


def write_event(report: Path | None, event: str, data: dict[str, Any]) -> None:
    if report is None:
        return
    line = json.dumps({"event": event, **data}, default=str)
    with _LOCK, report.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


class FakeScreener:
    """Settings, audit log and a pipeline factory around one fake detector."""

    def __init__(
        self, settings: Settings, audit: Any, detector: ToneDetector | None, report: Path | None
    ) -> None:
        self.settings = settings
        self.audit = audit
        self.report = report
        self.detectors = [] if detector is None else [LoadedDetector(detector, DetectorSettings())]

    def pipeline(
        self, call: CallContext, input_rate_hz: int, start_s: float = 0.0
    ) -> ProbePipeline:
        inner = CallPipeline(self.settings, self.detectors, call, input_rate_hz, start_s)
        return ProbePipeline(inner, call.call_id, self.report)

    def record_attempt(self, subscriber_id: str, call_id: str, verdict: Any) -> AttemptCount:
        alarmed = verdict in ("spoof", "mismatch", "duress")
        return AttemptCount(subscriber_id, int(alarmed), self.settings.policy.attempts_before_block)
