import numpy as np

from corpus.metrics import eer, min_tdcf


def test_separated_scores_have_zero_eer_and_cost() -> None:
    bona, spoof = np.array([-3.0, -2.0, -1.0]), np.array([1.0, 2.0, 3.0])
    assert eer(bona, spoof)[0] == 0.0
    assert min_tdcf(bona, spoof) == 0.0


def test_inverted_scores_have_full_eer_and_unit_cost() -> None:
    bona, spoof = np.array([1.0, 2.0, 3.0]), np.array([-3.0, -2.0, -1.0])
    assert eer(bona, spoof)[0] == 1.0
    assert min_tdcf(bona, spoof) == 1.0


def test_eer_of_overlapping_gaussians_is_near_theory() -> None:
    rng = np.random.default_rng(0)
    bona, spoof = rng.normal(0, 1, 20000), rng.normal(2, 1, 20000)
    assert abs(eer(bona, spoof)[0] - 0.1587) < 0.01  # Phi(-1)


def test_a_network_that_scores_every_clip_alike_has_an_eer_of_one_half() -> None:
    # a collapsed network once "won" early stopping with 0 %: thresholds split tied scores
    assert eer(np.zeros(50), np.zeros(30))[0] == 0.5
    assert min_tdcf(np.zeros(50), np.zeros(30)) == 1.0


def test_tied_scores_across_the_classes_count_against_the_detector() -> None:
    bona, spoof = np.array([0.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 2.0, 3.0])
    # no threshold separates the ties at 1.0: it passes all of them (no bona fide flagged,
    # half the spoof missed: EER (0 + 1/2) / 2) or none; splitting the ties would give 0
    assert eer(bona, spoof)[0] == 0.25
