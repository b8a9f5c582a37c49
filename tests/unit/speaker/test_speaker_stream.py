from pathlib import Path

import numpy as np
import pytest

from callwarden.detectors.base import CallContext, DetectorSpec
from callwarden.detectors.speaker import SpeakerDetector, SpeakerStream
from callwarden.enrol.store import ConsentRecord, Voiceprint, VoiceprintStore
from callwarden.errors import DetectorError, NotEnrolledError
from callwarden.frames import AnalysisWindow, VerdictKind


class TableEncoder:
    """Embeds a window as the unit vector whose direction its first sample names."""

    sample_rate_hz = 16000

    def __init__(self, directions: dict[int, np.ndarray]) -> None:
        self.directions = directions

    def embed(self, windows: list[np.ndarray]) -> np.ndarray:
        rows = [self.directions[int(w[0])] for w in windows]
        return np.asarray([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def window(code: int, seconds: float = 1.6) -> AnalysisWindow:
    samples = np.full(int(seconds * 16000), code, dtype=np.float32)
    return AnalysisWindow(samples, 16000, 0.0, seconds, seconds)


def basis(i: int) -> np.ndarray:
    v = np.zeros(256)
    v[i] = 1.0
    return v


def test_score_accumulates_a_speech_weighted_mean() -> None:
    truth = basis(0)
    noisy = {1: basis(0) + basis(1), 2: basis(0) + basis(2), 3: basis(0) + basis(3)}
    stream = SpeakerStream(TableEncoder(noisy), truth.astype(np.float32), threshold=None)
    scores = [stream.push(window(code)).score for code in (1, 2, 3)]
    assert scores == pytest.approx([1 / np.sqrt(2), 2 / np.sqrt(6), 3 / np.sqrt(12)])
    assert scores[0] < scores[1] < scores[2]  # the noise averages out; the voice stays


def test_longer_windows_weigh_more_and_detail_is_reported() -> None:
    stream = SpeakerStream(
        TableEncoder({1: basis(0), 2: basis(1)}), basis(0).astype(np.float32), 0.8
    )
    stream.push(window(1, seconds=3.0))
    score = stream.push(window(2, seconds=1.0))
    assert score.score == pytest.approx(3 / np.sqrt(10))
    assert score.detail == {"window_cosine": pytest.approx(0.0), "windows": 2.0}
    assert score.detector == "speaker" and stream.threshold == 0.8


def test_negative_cosine_is_clipped_to_zero() -> None:
    stream = SpeakerStream(TableEncoder({1: -basis(0)}), basis(0).astype(np.float32), None)
    assert stream.push(window(1)).score == 0.0


def test_wrong_rate_or_empty_window_fails() -> None:
    stream = SpeakerStream(TableEncoder({}), basis(0).astype(np.float32), None)
    with pytest.raises(DetectorError, match="16000 Hz"):
        stream.push(AnalysisWindow(np.zeros(8000, np.float32), 8000, 0, 1, 1))
    with pytest.raises(DetectorError, match="empty"):
        stream.push(AnalysisWindow(np.zeros(0, np.float32), 16000, 0, 0, 0))


def detector(store: VoiceprintStore | None, version: str = "v1") -> SpeakerDetector:
    spec = DetectorSpec("speaker", 16000, 1.6, 0.8, 2.0, ("match",), version,
                        VerdictKind.MISMATCH, alarm_below=True)  # fmt: skip
    return SpeakerDetector(spec, TableEncoder({}), store)  # type: ignore[arg-type]


def enrol(store: VoiceprintStore, threshold: float | None) -> None:
    emb = basis(0)[None].astype(np.float32)
    consent = ConsentRecord("A", "2026-01-01", "0" * 64, "consent: yes")
    store.save(Voiceprint("alice", emb, emb[0], threshold, consent, "v1", 5.0))


def test_stream_uses_the_voiceprint_and_its_threshold(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path / "v.db")
    enrol(store, 0.83)
    stream = detector(store).stream(CallContext("c1", "alice"))
    np.testing.assert_array_equal(stream.centroid, basis(0))
    assert stream.threshold == pytest.approx(0.83)


@pytest.mark.parametrize(
    ("subscriber", "with_store", "version", "message"),
    [
        (None, True, "v1", "claimed subscriber"),
        ("alice", False, "v1", "voiceprint store"),
        ("bob", True, "v1", "not enrolled"),
        ("alice", True, "v2", "re-enrol"),
    ],
)
def test_stream_needs_an_enrolled_subscriber(
    tmp_path: Path, subscriber: str | None, with_store: bool, version: str, message: str
) -> None:
    store = VoiceprintStore(tmp_path / "v.db")
    enrol(store, None)
    with pytest.raises(NotEnrolledError, match=message):
        detector(store if with_store else None, version).stream(CallContext("c1", subscriber))
