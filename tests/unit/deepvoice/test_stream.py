import math

import numpy as np
import pytest
import torch

from callwarden.detectors.base import CallContext
from callwarden.detectors.deep_voice.detector import DeepVoiceStream
from callwarden.errors import DetectorError
from callwarden.frames import AnalysisWindow


class FakeModel(torch.nn.Module):
    """Logit = 10 * mean of the window, so a test sets each window's log-odds."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 10 * x.mean(dim=1)


def window(value: float, n: int = 8000, rate: int = 8000, at: float = 0.0) -> AnalysisWindow:
    return AnalysisWindow(np.full(n, value, np.float32), rate, at, at + n / rate, at + n / rate)


def test_score_is_sigmoid_of_the_mean_log_odds_so_far() -> None:
    stream = DeepVoiceStream(FakeModel())  # type: ignore[arg-type]
    logits = [2.0, -1.0, 3.0]
    for k, z in enumerate(logits, 1):
        score = stream.push(window(z / 10, at=k))
        mean = sum(logits[:k]) / k
        assert score.score == pytest.approx(1 / (1 + math.exp(-mean)), rel=1e-5)
        assert score.detail["windows"] == k
        assert score.detail["window_score"] == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-5)
        assert score.detector == "deep_voice"


def test_evidence_sharpens_as_consistent_windows_accumulate() -> None:
    stream = DeepVoiceStream(FakeModel())  # type: ignore[arg-type]
    scores = [stream.push(window(v)).score for v in (0.05, 0.2, 0.2, 0.2)]
    assert scores == sorted(scores)
    assert scores[-1] > 0.8


def test_rejects_wrong_rate_and_empty_windows_and_tiles_short_ones() -> None:
    stream = DeepVoiceStream(FakeModel())  # type: ignore[arg-type]
    with pytest.raises(DetectorError):
        stream.push(window(0.1, rate=16000))
    with pytest.raises(DetectorError):
        stream.push(window(0.1, n=0))
    assert stream.push(window(0.1, n=400)).score == pytest.approx(1 / (1 + math.exp(-1)))


def test_streams_of_two_calls_are_independent() -> None:
    from callwarden.detectors.base import DetectorSpec
    from callwarden.detectors.deep_voice import DeepVoiceDetector
    from callwarden.frames import VerdictKind

    spec = DetectorSpec(
        "deep_voice", 8000, 1.0, 0.5, 1.0, ("bonafide", "spoof"), "t", VerdictKind.SPOOF
    )
    detector = DeepVoiceDetector(spec, FakeModel())  # type: ignore[arg-type]
    a, b = detector.stream(CallContext("a")), detector.stream(CallContext("b"))
    a.push(window(0.5))
    assert b.push(window(-0.5)).score < 0.01
