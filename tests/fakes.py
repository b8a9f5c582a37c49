"""Hand-written fakes shared by tests (importable as ``fakes`` thanks to conftest)."""

from __future__ import annotations

import numpy as np

from callwarden.detectors.base import CallContext, DetectorSpec
from callwarden.detectors.registry import LoadedDetector
from callwarden.frames import AnalysisWindow, DetectorScore, VerdictKind
from callwarden.settings import DetectorSettings


class ToneDetector:
    """Scores a window by how much of its energy sits near ``tone_hz`` (a "spoof" marker)."""

    def __init__(self, tone_hz: float = 1000.0, rate_hz: int = 8000, window_s: float = 1.0):
        self.tone_hz = tone_hz
        self.spec = DetectorSpec(
            "deep_voice", rate_hz, window_s, window_s / 2, 1.0, ("tone",), "fake", VerdictKind.SPOOF
        )
        self.windows: list[AnalysisWindow] = []

    def stream(self, call: CallContext) -> _ToneStream:
        return _ToneStream(self)


class _ToneStream:
    threshold = 0.5  # its own, so tests do not depend on the deep-voice default

    def __init__(self, detector: ToneDetector) -> None:
        self.detector = detector

    def push(self, window: AnalysisWindow) -> DetectorScore:
        self.detector.windows.append(window)
        spectrum = np.abs(np.fft.rfft(window.samples)) ** 2
        freqs = np.fft.rfftfreq(len(window.samples), 1 / window.sample_rate_hz)
        near = np.abs(freqs - self.detector.tone_hz) < 50
        share = float(spectrum[near].sum() / max(spectrum.sum(), 1e-12))
        return DetectorScore("deep_voice", share, window.start_s, window.end_s, window.speech_s)


def loaded(detector: ToneDetector) -> LoadedDetector:
    return LoadedDetector(detector, DetectorSettings())  # type: ignore[arg-type]


def speechlike(duration_s: float, rate_hz: int, f0_hz: float = 140.0, seed: int = 0) -> np.ndarray:
    """A voiced, formant-modulated signal that WebRTC VAD takes for speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(duration_s * rate_hz)) / rate_hz
    f0 = f0_hz * (1 + 0.05 * np.sin(2 * np.pi * 3 * t))
    phase = 2 * np.pi * np.cumsum(f0) / rate_hz
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 20) if k * f0_hz < rate_hz / 2)
    envelope = 0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 4 * t))
    signal = harmonics * envelope + 0.01 * rng.standard_normal(len(t))
    return (0.3 * signal / np.max(np.abs(signal))).astype(np.float32)
