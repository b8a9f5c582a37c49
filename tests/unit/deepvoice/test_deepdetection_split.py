"""DeepDetection's privacy split: only latent features cross from the tap to the classifier."""

from pathlib import Path

import numpy as np
import pytest
import torch

from callwarden.detectors.base import CallContext
from callwarden.detectors.deepdetection import (
    DeepDetectionStream,
    LatentClassifier,
    LatentFeatures,
    TapEncoder,
    load_classifier,
    load_encoder,
)
from callwarden.detectors.deepdetection.model import Encoder, LatentCnn
from callwarden.errors import DetectorError, WeightsError
from callwarden.frames import AnalysisWindow

LABELS = ("alice", "bob", "deep_voice")


def sides() -> tuple[TapEncoder, LatentClassifier]:
    torch.manual_seed(0)
    return TapEncoder(Encoder()), LatentClassifier(LatentCnn(len(LABELS)), LABELS)


def speech_like(n: int = 8000) -> np.ndarray:
    t = np.arange(n) / 8000
    return (0.2 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)


def test_only_latent_features_reach_the_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    tap, classifier = sides()
    seen: list[object] = []
    original = LatentClassifier.classify

    def spy(self: LatentClassifier, features: LatentFeatures) -> np.ndarray:
        seen.append(features)
        return original(self, features)

    monkeypatch.setattr(LatentClassifier, "classify", spy)
    stream = DeepDetectionStream(tap, classifier, claimed="alice")
    x = speech_like()
    score = stream.push(AnalysisWindow(x, 8000, 0.0, 1.0, 1.0))
    assert 0.0 <= score.score <= 1.0 and "claimed_user" in score.detail
    assert len(seen) == 1 and isinstance(seen[0], LatentFeatures)
    latent = seen[0].values
    assert latent.shape == (8, 8, 166)  # 8 slices of 1000 samples -> 8 x 166 each
    assert latent.size != x.size  # not the samples in another shape


def test_classifier_side_holds_no_encoder_and_rejects_audio() -> None:
    _, classifier = sides()
    convs = [m for m in classifier._classifier.modules() if isinstance(m, torch.nn.Conv1d)]
    assert all(c.in_channels != 1 for c in convs)  # nothing that could read raw samples
    with pytest.raises(DetectorError):
        classifier.classify(speech_like())  # type: ignore[arg-type]
    with pytest.raises(DetectorError):
        LatentFeatures(speech_like().reshape(8, 1, 1000))


def test_weights_files_are_separate_per_side(tmp_path: Path) -> None:
    torch.save({"encoder": Encoder().state_dict()}, tmp_path / "enc.pt")
    torch.save(
        {"classifier": LatentCnn(3).state_dict(), "labels": list(LABELS)}, tmp_path / "cls.pt"
    )
    assert isinstance(load_encoder(tmp_path / "enc.pt"), TapEncoder)
    assert load_classifier(tmp_path / "cls.pt").labels == LABELS
    with pytest.raises(WeightsError):
        load_classifier(tmp_path / "enc.pt")  # the tap's file holds no classifier
    with pytest.raises(WeightsError):
        load_encoder(tmp_path / "cls.pt")


def test_stream_accumulates_over_windows() -> None:
    tap, classifier = sides()
    from callwarden.detectors.base import DetectorSpec
    from callwarden.detectors.deepdetection import DeepDetectionDetector
    from callwarden.frames import VerdictKind

    spec = DetectorSpec("deepdetection", 8000, 1.0, 0.5, 1.0, LABELS, "t", VerdictKind.SPOOF)
    stream = DeepDetectionDetector(spec, tap, classifier).stream(CallContext("c", "bob"))
    scores = [stream.push(AnalysisWindow(speech_like(), 8000, k, k + 1, k + 1)) for k in range(3)]
    assert [s.detail["slices"] for s in scores] == [8.0, 16.0, 24.0]
