"""The data check that finds real voice sets a detector calls synthetic."""

import math

import numpy as np

from flag_voice_sets import flag_shares


def test_shares_per_speaker_and_of_clean_clips() -> None:
    probs = np.array([0.99, 0.95, 0.10, 0.20, 0.97, 0.30])
    speakers = np.array(["tux-bg", "tux-bg", "tux-bg", "kde-en", "kde-en", "kde-en"])
    clean = np.array([True, False, True, False, False, False])
    shares = flag_shares(probs, speakers, clean, threshold=0.9)
    n, share, share_clean = shares["tux-bg"]
    assert n == 3 and math.isclose(share, 2 / 3) and math.isclose(share_clean, 0.5)
    n, share, share_clean = shares["kde-en"]
    assert n == 3 and math.isclose(share, 1 / 3) and math.isnan(share_clean)  # none clean


def test_at_the_threshold_is_not_flagged() -> None:
    shares = flag_shares(np.array([0.9]), np.array(["a"]), np.array([True]), threshold=0.9)
    assert shares["a"] == (1, 0.0, 0.0)
