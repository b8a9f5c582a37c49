"""``build.py --vocoders``: LPC-10 and Codec 2 copies of the train voices (round 25)."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import build  # noqa: E402
from corpus import generators as gen  # noqa: E402
from corpus.plan import VOCODER_FAMILIES, _source_split, plan  # noqa: E402
from corpus.voices import TEST_SPEAKERS  # noqa: E402

SEED = 20240604
ALLISON = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
pytestmark = [
    pytest.mark.skipif(
        shutil.which("sox") is None or shutil.which("c2enc") is None,
        reason="sox or codec2 not installed",
    ),
    pytest.mark.skipif(not ALLISON.is_dir(), reason="Asterisk voices not installed"),
]


def _prompt() -> np.ndarray:
    return gen._read_wav(sorted(ALLISON.glob("*.wav"))[5])


def _envelope(x: np.ndarray) -> np.ndarray:
    return np.convolve(np.abs(x), np.ones(80) / 80, "same")


def _log_spectrum(x: np.ndarray) -> np.ndarray:
    frames = np.lib.stride_tricks.sliding_window_view(x, 256)[::128] * np.hanning(256)
    return np.log(np.abs(np.fft.rfft(frames, axis=1)).mean(axis=0) + 1e-6)


@pytest.mark.parametrize("family", VOCODER_FAMILIES)
def test_a_vocoder_keeps_the_words_and_changes_the_sound(family: str) -> None:
    x = _prompt()
    rng = np.random.default_rng(1)
    y = gen.lpc10(x) if family == "lpc10" else gen.codec2(x, rng)
    assert y.dtype == np.float32 and abs(len(y) - len(x)) < 0.15 * len(x)
    # the same speech, in time: the envelopes match at some small delay
    ex, ey = _envelope(x), _envelope(y)
    n = min(len(ex), len(ey)) - 400
    best = max(np.corrcoef(ex[:n], ey[k : k + n])[0, 1] for k in range(0, 400, 10))
    assert best > 0.8
    # but not the same sound: the vocoder rewrote the spectrum
    assert np.abs(_log_spectrum(x) - _log_spectrum(y)).mean() > 0.2


def test_codec2_draws_its_mode_from_the_generator() -> None:
    x = _prompt()
    same = [gen.codec2(x, np.random.default_rng(7)) for _ in range(2)]
    assert np.array_equal(*same)
    modes = {str(np.random.default_rng(s).choice(gen.CODEC2_MODES)) for s in range(20)}
    assert len(modes) > 3  # the seed picks among the modes


def test_vocoder_copies_are_train_clips_of_train_voices_only() -> None:
    default = plan(SEED, scale=0.03)
    jobs = plan(SEED, scale=0.03, vocoders=True)
    assert jobs[: len(default)] == default  # everything else as it was
    added = jobs[len(default) :]
    assert {j.family for j in added} == set(VOCODER_FAMILIES)
    assert {j.split for j in added} == {"train"} and {j.label for j in added} == {"spoof"}
    train_voices = {j.speaker for j in default if j.split == "train" and j.family == "bonafide"}
    assert {j.speaker for j in added} <= train_voices
    # every prompt is one of its voice's train prompts: no dev prompt leaks into training
    splits = {_source_split(Path(s), j.speaker, TEST_SPEAKERS) for j in added for s in j.sources}
    assert splits == {"train"}


def test_a_vocoder_clip_is_built_and_labelled_spoof(tmp_path: Path) -> None:
    for sub in ("flac", "meta"):
        (tmp_path / sub).mkdir()
    job = next(j for j in plan(SEED, scale=0.03, vocoders=True) if j.family == "codec2")
    [meta] = build.make(job, SEED, tmp_path, small=True)
    assert meta["label"] == "spoof" and meta["family"] == "codec2" and meta["split"] == "train"
    assert (tmp_path / "flac" / f"{job.utt_id}.flac").stat().st_size > 0
