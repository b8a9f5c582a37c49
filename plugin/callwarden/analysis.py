"""Run a whole recording through the same pipeline a live call uses.

The recording is fed in 20 ms chunks, as RTP would deliver it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import gcd
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import resample_poly

from callwarden.app import App
from callwarden.audio.io import check_usable, read_audio
from callwarden.detectors.base import CallContext
from callwarden.errors import AudioError
from callwarden.frames import AudioChunk, DetectorScore, Samples, ScoreStatus, Verdict
from callwarden.weights import sha256_of

PIPELINE_RATES = (8000, 16000, 32000, 48000)
CHUNK_S = 0.02


@dataclass(frozen=True, slots=True)
class Analysis:
    """The outcome of analysing one recording."""

    file: str
    subscriber_id: str | None
    verdict: Verdict
    timeline: tuple[DetectorScore, ...]
    thresholds: dict[str, float]
    audio_s: float
    speech_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def scores(self) -> dict[str, float]:
        """Each detector's final score: its last successful, accumulated score."""
        final: dict[str, float] = {}
        for score in self.timeline:
            if score.status in (ScoreStatus.OK, ScoreStatus.LATE):
                final[score.detector] = round(score.score, 4)
        return final

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``verdict``, ``reason``, ``scores``, ``timeline`` ...)."""
        return {
            "file": self.file,
            "subscriber": self.subscriber_id,
            "verdict": str(self.verdict.kind),
            "reason": self.verdict.reason,
            "scores": self.scores,
            "thresholds": self.thresholds,
            "audio_s": round(self.audio_s, 3),
            "speech_s": round(self.speech_s, 3),
            "timeline": [_score_json(s) for s in self.timeline],
        }


def load_recording(path: Path) -> tuple[Samples, int]:
    """Read, check and bring a recording to a rate the pipeline takes.

    Raises:
        AudioError: unreadable, empty, silent, clipped or corrupt audio.
    """
    samples, rate = read_audio(path)
    check_usable(samples, rate, str(path))
    if rate not in PIPELINE_RATES:
        target = 16000 if rate > 16000 else 8000
        g = gcd(rate, target)
        samples = resample_poly(samples, target // g, rate // g).astype(np.float32)
        rate = target
    return samples, rate


def analyze(app: App, path: Path, subscriber_id: str | None = None) -> Analysis:
    """Screen one recording and return its verdict timeline.

    Raises:
        AudioError: bad audio, or no speech found.
        NotEnrolledError: ``subscriber_id`` has no voiceprint.
    """
    samples, rate = load_recording(path)
    call = CallContext(call_id=f"file:{sha256_of(path)[:16]}", subscriber_id=subscriber_id)
    pipeline = app.pipeline(call, rate)
    step = int(CHUNK_S * rate)
    for start in range(0, len(samples), step):
        pipeline.push(AudioChunk(samples[start : start + step], rate, start / rate))
    verdict = pipeline.finish()
    if pipeline.speech_s == 0:
        raise AudioError(f"{path}: no speech detected in {pipeline.audio_s:.1f} s of audio")
    thresholds = {
        k.removesuffix("_threshold"): v
        for k, v in verdict.evidence.items()
        if k.endswith("_threshold")
    }
    return Analysis(
        str(path),
        subscriber_id,
        verdict,
        tuple(pipeline.timeline),
        thresholds,
        pipeline.audio_s,
        pipeline.speech_s,
    )


def _score_json(score: DetectorScore) -> dict[str, Any]:
    return {
        "detector": score.detector,
        "start_s": round(score.start_s, 3),
        "end_s": round(score.end_s, 3),
        "speech_s": round(score.speech_s, 3),
        "score": round(score.score, 4),
        "status": str(score.status),
    }
