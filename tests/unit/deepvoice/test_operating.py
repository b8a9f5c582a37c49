"""The dev-chosen operating threshold and the per-group rates at it."""

import numpy as np
import pytest

from corpus.dataset import Split
from corpus.operating import format_rates, logit, probability, rates_at, threshold_at_fa


def _split(speakers: list[str], systems: list[str], spoof: list[bool]) -> Split:
    n = len(spoof)
    return Split(
        np.zeros(n, np.int16),
        np.arange(n + 1, dtype=np.int64),
        np.array(spoof),
        np.array(speakers),
        np.array(systems),
        np.array([f"u{i}" for i in range(n)]),
    )


def test_threshold_keeps_at_most_the_target_false_alarms() -> None:
    bona = np.arange(100, dtype=np.float64)  # 0 .. 99
    t = threshold_at_fa(bona, 0.02)
    assert t == 97.0 and np.mean(bona > t) == pytest.approx(0.02)
    assert threshold_at_fa(bona, 0.0) == 99.0  # no false alarm at all
    assert threshold_at_fa(np.array([0.5, 3.0, -1.0]), 0.02) == 3.0  # 2 % of 3 clips: none


def test_probability_and_logit_are_inverse() -> None:
    assert probability(0.0) == 0.5
    assert probability(logit(0.98)) == pytest.approx(0.98)


def test_rates_per_real_speaker_and_per_system() -> None:
    split = _split(
        ["a", "a", "b", "b", "x", "x"],
        ["-", "-", "-", "-", "piper", "espeak"],
        [False, False, False, False, True, True],
    )
    scores = {4.0: np.array([0.0, 2.0, 0.0, 0.0, 3.0, 0.5])}
    rates = rates_at(scores, split, 1.0, [4.0])
    assert rates["real a"] == {"n": 2.0, "4": 0.5}
    assert rates["real b"]["4"] == 0.0 and rates["real, all"]["4"] == 0.25
    assert rates["spoof piper"]["4"] == 0.0 and rates["spoof espeak"]["4"] == 1.0
    assert rates["spoof, all"]["4"] == 0.5
    table = format_rates(rates, [4.0])
    assert "real a" in table.splitlines()[1] and "50.0" in table


def test_a_held_out_family_of_several_voices_gets_a_row_per_voice() -> None:
    split = _split(
        ["a", "gcloud-de", "gcloud-de", "gcloud-en", "piper-joe", "espeak-m7", "espeak-f4"],
        ["-", "gcloud", "gcloud", "gcloud", "piper", "espeak", "espeak"],
        [False, True, True, True, True, True, True],
    )
    scores = {4.0: np.array([0.0, 3.0, 0.0, 0.0, 3.0, 3.0, 3.0])}
    rates = rates_at(scores, split, 1.0, [4.0], by_voice={"gcloud", "piper"})
    assert rates["spoof gcloud"] == {"n": 3.0, "4": pytest.approx(2 / 3)}
    assert rates["spoof gcloud-de"] == {"n": 2.0, "4": 0.5}
    assert rates["spoof gcloud-en"] == {"n": 1.0, "4": 1.0}
    assert "spoof piper-joe" not in rates  # one voice: its family's row says it all
    assert "spoof espeak-m7" not in rates  # not asked for
    assert "spoof gcloud-de" not in rates_at(scores, split, 1.0, [4.0])
