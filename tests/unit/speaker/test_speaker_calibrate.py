import numpy as np
import pytest

from callwarden.enrol.calibrate import (
    calibrate_threshold,
    consistency,
    leave_one_out,
    outlier_gap,
)


def unit(*rows: list[float]) -> np.ndarray:
    x = np.asarray(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_consistency_names_the_odd_one_out() -> None:
    emb = unit([1, 0.1, 0], [1, 0, 0.1], [0, 1, 0], [1, 0.05, 0.05])
    alike = consistency(emb)
    assert alike.odd_one_out == 2
    assert alike.per_file[2] < 0.2 < min(alike.per_file[i] for i in (0, 1, 3))
    assert alike.mean == pytest.approx(np.mean(alike.per_file))


def test_leave_one_out_scores_each_file_against_the_others() -> None:
    emb = unit([1, 0], [1, 0], [0, 1])
    loo = leave_one_out(emb)
    assert loo[2] == pytest.approx(0.0, abs=1e-6)
    assert loo[0] == pytest.approx(1 / np.sqrt(2), abs=1e-6)
    assert leave_one_out(emb[:1]).shape == (0,)


def test_outlier_gap() -> None:
    assert outlier_gap(np.array([0.95, 0.96, 0.80])) == pytest.approx(0.155)
    assert outlier_gap(np.array([0.9, 0.5])) == 0.0


@pytest.mark.parametrize(
    ("genuine", "expected"),
    [
        ([0.95, 0.95, 0.95], 0.84 + 0.04),  # tight, high: capped at default + 0.04
        ([0.70, 0.72, 0.71], 0.84 - 0.02),  # low: floored at default - 0.02
        ([0.86, 0.86, 0.86], 0.86),  # inside the band: mean - k * std
        ([0.9], 0.84),  # one score: the configured threshold
    ],
)
def test_calibration_stays_in_a_band_round_the_default(
    genuine: list[float], expected: float
) -> None:
    assert calibrate_threshold(np.array(genuine), 0.84) == pytest.approx(expected)


def test_calibration_lowers_the_threshold_of_a_variable_voice() -> None:
    steady = calibrate_threshold(np.array([0.87, 0.87, 0.87]), 0.84)
    variable = calibrate_threshold(np.array([0.83, 0.87, 0.91]), 0.84)
    assert variable < steady
