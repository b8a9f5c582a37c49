import numpy as np
import pytest

from callwarden.detectors.base import CallContext
from callwarden.frames import AudioChunk, VerdictKind
from callwarden.pipeline import CallPipeline
from callwarden.settings import Settings
from fakes import ToneDetector, loaded, speechlike

CALL = CallContext("test-call")


def _recording(rate_hz: int, tone: bool) -> np.ndarray:
    silence = np.zeros(rate_hz, np.float32)
    speech = speechlike(4.0, rate_hz)
    if tone:
        t = np.arange(len(speech)) / rate_hz
        speech = speech + 0.4 * np.sin(2 * np.pi * 1000 * t).astype(np.float32)
    return np.concatenate([silence, speech, silence]).astype(np.float32)


def _run(samples: np.ndarray, rate_hz: int, chunk: int) -> tuple[CallPipeline, ToneDetector]:
    detector = ToneDetector()
    pipeline = CallPipeline(Settings(), [loaded(detector)], CALL, rate_hz)
    for start in range(0, len(samples), chunk):
        pipeline.push(AudioChunk(samples[start : start + chunk], rate_hz, start / rate_hz))
    pipeline.finish()
    return pipeline, detector


@pytest.mark.parametrize("rate_hz", [8000, 16000, 48000])
def test_chunked_input_gives_the_same_windows_and_scores_as_a_whole_file(rate_hz: int) -> None:
    samples = _recording(rate_hz, tone=True)
    whole, _ = _run(samples, rate_hz, len(samples))
    rtp, _ = _run(samples, rate_hz, int(0.02 * rate_hz))
    odd, _ = _run(samples, rate_hz, 997)
    assert len(whole.timeline) >= 4
    for other in (rtp, odd):
        assert [(s.start_s, s.end_s) for s in other.timeline] == [
            (s.start_s, s.end_s) for s in whole.timeline
        ]
        np.testing.assert_allclose(
            [s.score for s in other.timeline], [s.score for s in whole.timeline], atol=1e-5
        )


def test_windows_cover_the_speech_at_the_detector_rate() -> None:
    pipeline, detector = _run(_recording(16000, tone=False), 16000, 320)
    assert all(w.sample_rate_hz == 8000 for w in detector.windows)
    assert detector.windows[0].start_s == pytest.approx(1.0, abs=0.35)
    # the VAD hangs on for up to its padding (300 ms) after speech ends
    assert detector.windows[-1].end_s == pytest.approx(5.0, abs=0.5)
    assert 3.4 < pipeline.speech_s < 4.6


def test_a_marked_voice_is_flagged_and_a_clean_one_is_not() -> None:
    marked, _ = _run(_recording(8000, tone=True), 8000, 160)
    clean, _ = _run(_recording(8000, tone=False), 8000, 160)
    assert marked.verdict.kind is VerdictKind.SPOOF
    assert clean.verdict.kind is VerdictKind.CLEAR
    assert min(s.score for s in marked.timeline) > max(s.score for s in clean.timeline)


def test_silence_gives_no_scores_and_an_uncertain_verdict() -> None:
    pipeline, detector = _run(np.zeros(3 * 8000, np.float32), 8000, 160)
    assert not detector.windows
    assert pipeline.verdict.kind is VerdictKind.UNCERTAIN
