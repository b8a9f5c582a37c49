"""Round 30's dev-only Festival voices: each speaks its texts, in a voice of its own."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import generators as gen  # noqa: E402
from corpus.plan import DEV_TTS_MORE, TTS_LANGS, _tts_job  # noqa: E402
from corpus.texts import BY_LANGUAGE  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("text2wave") is None, reason="Festival not installed")
VOICES = DEV_TTS_MORE["festival"]


def _speak(voice: str) -> np.ndarray:
    lang = TTS_LANGS[voice]
    return gen.festival(" ".join(BY_LANGUAGE[lang][:2]), voice)


@pytest.mark.parametrize("voice", VOICES)
def test_each_added_voice_speaks_its_text_at_8_khz(voice: str) -> None:
    x = _speak(voice)
    seconds = len(x) / gen.RATE_HZ
    assert 2.0 < seconds < 20.0  # two sentences: not a failed rule's silence, not a loop
    frames = np.lib.stride_tricks.sliding_window_view(x, 160)[::80]
    loud = np.sqrt((frames**2).mean(axis=1)) > 0.01
    assert 0.4 < loud.mean() < 0.98  # speech with pauses


def test_the_italian_voices_read_accented_italian() -> None:
    # UTF-8 text leaves these voices' letter-to-sound rules without a match: silence
    text = next(t for t in BY_LANGUAGE["it"] if "è" in t)
    assert len(gen.festival(text, "it_pc")) / gen.RATE_HZ > 1.0


def test_the_added_voices_sound_apart() -> None:
    # one mean log spectrum per voice; the nearest two differ by 0.28, while one voice
    # reading two other sentences differs from itself by 0.15
    def colour(x: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(x, 256)[::128] * np.hanning(256)
        spectrum = np.log(np.abs(np.fft.rfft(frames, axis=1)).mean(axis=0) + 1e-6)
        return spectrum - spectrum.mean()

    colours = {v: colour(_speak(v)) for v in VOICES}
    for i, a in enumerate(VOICES):
        for b in VOICES[i + 1 :]:
            assert np.abs(colours[a] - colours[b]).mean() > 0.2, (a, b)


def test_a_planned_clip_of_an_added_voice_reads_its_language() -> None:
    job = _tts_job("festival_devmore_0007", "festival", "it_lp", "dev", 1)
    assert job.lang == "it" and all(t in BY_LANGUAGE["it"] for t in job.texts)
