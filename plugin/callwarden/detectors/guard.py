"""Runs a detector stream under its time budget and turns a crash into a FAILED score.

What a failed, late or missing score means for the verdict is the policy's business
(``on_failure`` in the detector's settings); this wrapper only makes failures visible.
"""

from __future__ import annotations

import logging
import time

import torch

from callwarden.detectors.base import DetectorStream
from callwarden.frames import AnalysisWindow, DetectorScore, ScoreStatus

log = logging.getLogger(__name__)


class GuardedStream:
    """A detector stream that never raises and flags windows scored past ``budget_ms``."""

    def __init__(self, name: str, stream: DetectorStream, budget_ms: float) -> None:
        self.name = name
        self.stream = stream
        self.budget_ms = budget_ms
        self.failures = 0
        self.late = 0

    @property
    def threshold(self) -> float | None:
        """The stream's own calibrated threshold, if it has one."""
        return self.stream.threshold

    def push(self, window: AnalysisWindow) -> DetectorScore:
        """Score one window; never raises."""
        started = time.perf_counter()
        try:
            with torch.inference_mode():
                score = self.stream.push(window)
        except Exception as exc:  # a detector bug must not take the call down
            self.failures += 1
            log.warning("detector crashed", extra={"detector": self.name, "error": repr(exc)})
            return DetectorScore(
                self.name, 0.0, window.start_s, window.end_s, window.speech_s, ScoreStatus.FAILED
            )
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms > self.budget_ms and score.status is ScoreStatus.OK:
            self.late += 1
            log.warning(
                "detector ran late",
                extra={"detector": self.name, "elapsed_ms": elapsed_ms},
            )
            return DetectorScore(
                score.detector,
                score.score,
                score.start_s,
                score.end_s,
                score.speech_s,
                ScoreStatus.LATE,
                score.detail,
            )
        return score
