"""``train_deepvoice.py --train-voices N``: N real voices with their resyntheses, all TTS."""

import numpy as np
import pytest

from corpus.augment import voice_subset
from corpus.dataset import Split

VOICES = ["allison", "carlo", "es_co", "kde-da", "kde-el", "kde-en", "kde-lt", "kde-ru"]


def _split() -> Split:
    rows = [(v, s) for v in VOICES for s in ("-", "griffinlim")] + [("espeak-m1", "espeak")]
    n = len(rows)
    return Split(
        audio=np.zeros(10 * n, np.int16),
        offsets=np.arange(n + 1, dtype=np.int64) * 10,
        is_spoof=np.array([s != "-" for _, s in rows]),
        speakers=np.array([v for v, _ in rows]),
        systems=np.array([s for _, s in rows]),
        utt_ids=np.array([f"{s}_{v}" for v, s in rows]),
    )


def test_kept_voices_bring_their_resyntheses_and_every_tts_clip_stays() -> None:
    sub, kept = voice_subset(_split(), 4, np.random.default_rng(0))
    assert len(kept) == 4
    assert set(sub.speakers.tolist()) == {*kept, "espeak-m1"}
    for v in kept:  # its real clip and its resynthesis
        assert sorted(sub.systems[sub.speakers == v].tolist()) == ["-", "griffinlim"]


def test_each_kind_of_voice_keeps_its_share() -> None:
    for seed in range(20):
        _, kept = voice_subset(_split(), 4, np.random.default_rng(seed))
        kde = sum(k.startswith("kde-") for k in kept)
        assert kde in (2, 3)  # 5 of 8 are KDE voices: 2.5 of 4
    draws = {tuple(voice_subset(_split(), 4, np.random.default_rng(s))[1]) for s in range(20)}
    assert len(draws) > 5  # the seed draws the voices


def test_more_voices_than_the_split_has_is_refused() -> None:
    with pytest.raises(SystemExit, match="has 8 real voices"):
        voice_subset(_split(), 9, np.random.default_rng(0))
