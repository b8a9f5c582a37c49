"""The data check that finds real voice sets a detector calls synthetic."""

import math

import numpy as np

from corpus.dataset import Split
from corpus.operating import logit
from flag_voice_sets import flag_rates


def _real(speakers: list[str]) -> Split:
    n = len(speakers)
    return Split(
        np.zeros(n, np.int16),
        np.arange(n + 1, dtype=np.int64),
        np.zeros(n, bool),
        np.array(speakers),
        np.array(["bonafide"] * n),
        np.array([f"u{i}" for i in range(n)]),
    )


def test_shares_per_speaker_and_of_clean_clips() -> None:
    logits = np.array([logit(p) for p in (0.99, 0.95, 0.10, 0.20, 0.97, 0.30)])
    real = _real(["tux-bg", "tux-bg", "tux-bg", "kde-en", "kde-en", "kde-en"])
    clean = np.array([True, False, True, False, False, False])
    every, only_clean = flag_rates(logits, real, clean, threshold=0.9, seconds=4.0)
    assert every["real tux-bg"]["n"] == 3 and math.isclose(every["real tux-bg"]["4"], 2 / 3)
    assert only_clean["real tux-bg"]["n"] == 2 and math.isclose(only_clean["real tux-bg"]["4"], 0.5)
    assert every["real kde-en"]["n"] == 3 and math.isclose(every["real kde-en"]["4"], 1 / 3)
    assert "real kde-en" not in only_clean  # none clean
    assert not any(name.startswith("spoof") for name in every)  # real clips only


def test_at_the_threshold_is_not_flagged() -> None:
    every, only_clean = flag_rates(
        np.array([logit(0.9)]), _real(["a"]), np.array([True]), threshold=0.9, seconds=4.0
    )
    assert every["real a"] == {"n": 1.0, "4": 0.0} and only_clean["real a"]["4"] == 0.0
