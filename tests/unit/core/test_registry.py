from pathlib import Path

import numpy as np
import pytest

from callwarden.detectors.base import LoadContext
from callwarden.detectors.guard import GuardedStream
from callwarden.detectors.registry import MissingDetector, enabled_settings, load_detectors
from callwarden.errors import DetectorMissing
from callwarden.frames import AnalysisWindow, DetectorScore, ScoreStatus
from callwarden.settings import DetectorSettings, DetectorsSettings

WINDOW = AnalysisWindow(np.zeros(8000, np.float32), 8000, 0.0, 1.0, 1.0)


class _Crashing:
    threshold = None

    def push(self, window: AnalysisWindow) -> DetectorScore:
        raise RuntimeError("boom")


class _Slow:
    threshold = 0.7

    def push(self, window: AnalysisWindow) -> DetectorScore:
        import time

        time.sleep(0.02)
        return DetectorScore("slow", 0.3, window.start_s, window.end_s, window.speech_s)


def test_guard_turns_a_crash_into_a_failed_score() -> None:
    guard = GuardedStream("crashing", _Crashing(), budget_ms=100)
    score = guard.push(WINDOW)
    assert score.status is ScoreStatus.FAILED and guard.failures == 1


def test_guard_flags_a_late_score_but_keeps_its_value() -> None:
    guard = GuardedStream("slow", _Slow(), budget_ms=1)
    score = guard.push(WINDOW)
    assert score.status is ScoreStatus.LATE and score.score == 0.3
    assert guard.threshold == 0.7


def test_unavailable_detector_is_missing_or_an_error_when_strict(tmp_path: Path) -> None:
    settings = DetectorsSettings.model_validate(
        {"speaker": {"enabled": False}, "duress_voice": {"enabled": True}}
    )
    assert list(enabled_settings(settings)) == ["duress_voice"]
    ctx = LoadContext(tmp_path)
    loaded = load_detectors(settings, ctx)
    assert isinstance(loaded[0].detector, MissingDetector)
    stream = loaded[0].detector.stream(None)  # type: ignore[arg-type]
    assert stream.push(WINDOW).status is ScoreStatus.MISSING
    with pytest.raises(DetectorMissing):
        load_detectors(settings, ctx, strict=True)


def test_missing_detector_uses_configured_framing() -> None:
    spec = MissingDetector("deep_voice", DetectorSettings(window_s=3.0), "gone").spec
    assert spec.window_s == 3.0 and spec.alarm == "spoof"
