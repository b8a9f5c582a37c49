import numpy as np

from corpus.metrics import bootstrap_eers, eer, interval, min_tdcf, paired_difference


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


def _voices(
    rng: np.random.Generator, n_voices: int, clips: int, centre: float
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of ``n_voices`` voices whose clips share a per-voice offset (correlated)."""
    offsets = rng.normal(0, 1.0, n_voices).repeat(clips)
    scores = centre + offsets + rng.normal(0, 0.3, n_voices * clips)
    return scores, np.arange(n_voices).repeat(clips)


def test_eer_interval_holds_the_point_and_widens_when_clips_share_a_voice() -> None:
    rng = np.random.default_rng(0)
    bona, bona_voice = _voices(rng, 8, 40, 0.0)
    spoof, spoof_voice = _voices(rng, 8, 40, 2.0)
    point = eer(bona, spoof)[0]
    lo, hi = interval(bootstrap_eers(bona, spoof, bona_voice, spoof_voice)[:, 0])
    assert lo < point < hi
    # treating every clip as its own voice ignores the correlation: a narrower interval
    each = np.arange(len(bona)), np.arange(len(spoof))
    clip_lo, clip_hi = interval(bootstrap_eers(bona, spoof, *each)[:, 0])
    assert hi - lo > 2 * (clip_hi - clip_lo)


def test_bootstrap_is_paired_across_models_and_repeatable() -> None:
    rng = np.random.default_rng(1)
    bona, spoof = rng.normal(0, 1, 200), rng.normal(1.5, 1, 150)
    groups_b, groups_s = np.arange(200) % 5, np.zeros(150)  # one spoof voice: clips resampled
    twice = bootstrap_eers(
        np.stack([bona, bona]), np.stack([spoof, spoof]), groups_b, groups_s, n=50
    )
    assert twice.shape == (50, 2) and np.array_equal(twice[:, 0], twice[:, 1])
    assert np.ptp(twice[:, 0]) > 0  # resamples differ, even with a single spoof voice
    again = bootstrap_eers(bona, spoof, groups_b, groups_s, n=50)
    assert np.array_equal(again[:, 0], twice[:, 0])
    better = bootstrap_eers(
        np.stack([bona, bona - 1]), np.stack([spoof, spoof]), groups_b, groups_s, n=50
    )
    assert (better[:, 1] < better[:, 0]).all()  # a shifted model is better in every resample


def test_paired_difference_is_the_eer_gap_with_an_interval_around_it() -> None:
    rng = np.random.default_rng(2)
    scores = np.concatenate([rng.normal(0, 1, 120), rng.normal(1.0, 1, 120)])
    real, fake = np.arange(240) < 120, np.arange(240) >= 120
    voices = np.arange(240) % 6
    assert paired_difference(scores, scores, real, fake, voices, n=50) == (0.0, 0.0, 0.0)
    sharper = np.where(fake, scores + 2.0, scores)
    diff, lo, hi = paired_difference(sharper, scores, real, fake, voices, n=200)
    gap = 100 * (eer(sharper[real], sharper[fake])[0] - eer(scores[real], scores[fake])[0])
    assert diff == gap and diff < 0 and lo <= diff <= hi and hi < 0
