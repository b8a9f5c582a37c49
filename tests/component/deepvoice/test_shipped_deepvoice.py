"""The shipped deep-voice model: a held-out real voice scores low, espeak-ng scores high."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from callwarden.detectors.base import CallContext, LoadContext
from callwarden.detectors.deep_voice import DeepVoiceDetector, load
from callwarden.frames import AnalysisWindow
from callwarden.settings import DeepVoiceSettings
from callwarden.weights import default_models_dir

# June (fr_CA) is a held-out test speaker: the model never trained on her voice.
HELD_OUT_CLIP = Path("/usr/share/asterisk/sounds/fr_CA_f_June/privacy-prompt.wav")


@pytest.fixture(scope="module")
def detector() -> DeepVoiceDetector:
    return load(DeepVoiceSettings(), LoadContext(default_models_dir()))


def stream_score(detector: DeepVoiceDetector, x: np.ndarray) -> float:
    stream, score = detector.stream(CallContext("test")), None
    win, hop = int(detector.spec.window_s * 8000), int(detector.spec.hop_s * 8000)
    for k in range(0, len(x) - win + 1, hop):
        t = k / 8000
        score = stream.push(AnalysisWindow(x[k : k + win], 8000, t, t + 1, t + 1))
    assert score is not None
    return score.score


def test_spec_follows_settings(detector: DeepVoiceDetector) -> None:
    spec = detector.spec
    assert (spec.name, spec.sample_rate_hz, spec.window_s, spec.hop_s) == (
        "deep_voice",
        8000,
        1.0,
        0.5,
    )
    assert spec.alarm == "spoof" and not spec.alarm_below


@pytest.mark.skipif(not HELD_OUT_CLIP.exists(), reason="asterisk-core-sounds-fr-wav not installed")
def test_held_out_real_voice_scores_low(detector: DeepVoiceDetector) -> None:
    x, rate = sf.read(str(HELD_OUT_CLIP), dtype="float32")
    assert rate == 8000
    assert stream_score(detector, x) < 0.2


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_voice_scores_high(detector: DeepVoiceDetector, tmp_path: Path) -> None:
    text = "Hello, this is your bank calling about a payment. Please confirm the code we sent."
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(tmp_path / "e.wav"), text], check=True)
    x, rate = sf.read(str(tmp_path / "e.wav"), dtype="float32")
    assert rate == 22050
    y = resample_poly(x, 80, 221).astype(np.float32)  # 22050 Hz -> 8000 Hz
    assert stream_score(detector, y) > 0.8


def test_shipped_deepdetection_loads_through_the_manifest() -> None:
    from callwarden.detectors.deepdetection import load as load_deepdetection
    from callwarden.settings import DeepDetectionSettings

    detector = load_deepdetection(DeepDetectionSettings(), LoadContext(default_models_dir()))
    assert detector.spec.name == "deepdetection" and detector.spec.labels[-1] == "deep_voice"
    rng = np.random.default_rng(0)
    x = (0.1 * rng.standard_normal(8000)).astype(np.float32)
    score = detector.stream(CallContext("c", "june")).push(AnalysisWindow(x, 8000, 0, 1, 1))
    assert 0.0 <= score.score <= 1.0 and "claimed_user" in score.detail
