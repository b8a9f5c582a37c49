"""Weight-free helpers for the speaker and enrolment unit tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callwarden.enrol.store import VoiceprintStore
from fakes import speechlike


class SpectrumEncoder:
    """Stands in for GE2E: the window's average magnitude spectrum (0-4 kHz) as a 256-d unit
    vector, so voices with different pitch get different embeddings."""

    sample_rate_hz = 16000
    version = "fake-spectrum-1"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, windows: Sequence[np.ndarray]) -> np.ndarray:
        self.calls += 1
        out = []
        for w in windows:
            frames = np.lib.stride_tricks.sliding_window_view(w, 512)[::256]
            spectrum = np.abs(np.fft.rfft(frames * np.hanning(512), axis=1)).mean(axis=0)
            vector = spectrum[1:257]  # 31.25 Hz bins up to 8 kHz
            out.append(vector / np.linalg.norm(vector))
        return np.asarray(out, dtype=np.float32).reshape(len(windows), 256)


@pytest.fixture
def encoder() -> SpectrumEncoder:
    return SpectrumEncoder()


@pytest.fixture
def store(tmp_path: Path) -> VoiceprintStore:
    return VoiceprintStore(tmp_path / "var" / "voiceprints.db")


@pytest.fixture
def voice_wav(tmp_path: Path) -> Callable[..., Path]:
    """Write ``duration_s`` of a synthetic voice at 8 kHz; returns the path."""

    def write(name: str, f0_hz: float = 140.0, duration_s: float = 3.0, seed: int = 0) -> Path:
        path = tmp_path / f"{name}.wav"
        sf.write(path, speechlike(duration_s, 8000, f0_hz=f0_hz, seed=seed), 8000)
        return path

    return write


@pytest.fixture
def consent(tmp_path: Path) -> Callable[..., Path]:
    """Write a consent file; keyword arguments override or (with None) drop fields."""

    def write(subscriber: str = "alice", **fields: str | None) -> Path:
        values: dict[str, str | None] = {
            "subscriber": subscriber,
            "consent": "yes",
            "signed_by": "Alice Example",
            "date": "2026-01-15",
        }
        values.update(fields)
        path = tmp_path / f"consent-{subscriber}.yaml"
        path.write_text("".join(f"{k}: {v}\n" for k, v in values.items() if v is not None))
        return path

    return write
