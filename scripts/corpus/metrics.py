"""Detection metrics: EER, a min t-DCF-style cost, DET points.

Scores are higher for spoof. The cost is the ASVspoof 2019 t-DCF with a perfect ASV
system (so only the countermeasure's errors count), with its published priors and costs:
``(pi_tar * C_miss * P_miss_bona + pi_spoof * C_fa * P_fa_spoof) / min(...)``.
"""

from __future__ import annotations

import numpy as np

PI_TAR, PI_SPOOF, C_MISS, C_FA = 0.9405, 0.05, 1.0, 10.0


def error_rates(bona: np.ndarray, spoof: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, P(bona fide rejected), P(spoof accepted)) over every threshold."""
    scores = np.concatenate([bona, spoof])
    is_spoof = np.concatenate([np.zeros(len(bona)), np.ones(len(spoof))])
    order = np.argsort(scores, kind="mergesort")
    scores, is_spoof = scores[order], is_spoof[order]
    # threshold t: reject (call spoof) when score > t; t runs from below all to above all
    spoof_below = np.concatenate([[0], np.cumsum(is_spoof)])
    bona_below = np.concatenate([[0], np.cumsum(1 - is_spoof)])
    p_miss = 1 - bona_below / max(len(bona), 1)  # bona fide above t: flagged as spoof
    p_fa = spoof_below / max(len(spoof), 1)  # spoof at or below t: accepted
    thresholds = np.concatenate([[scores[0] - 1e-6], scores])
    # a threshold cannot fall between equal scores: keep only the last of each tied run
    # (else a network that scores every clip alike would separate them "perfectly")
    keep = np.concatenate([[True], np.append(scores[1:] != scores[:-1], True)])
    return thresholds[keep], p_miss[keep], p_fa[keep]


def eer(bona: np.ndarray, spoof: np.ndarray) -> tuple[float, float]:
    """Equal error rate and its threshold."""
    thr, p_miss, p_fa = error_rates(bona, spoof)
    i = int(np.argmin(np.abs(p_miss - p_fa)))
    return float((p_miss[i] + p_fa[i]) / 2), float(thr[i])


def min_tdcf(bona: np.ndarray, spoof: np.ndarray) -> float:
    """Normalised minimum t-DCF with a perfect ASV (1 = no better than a fixed decision)."""
    _, p_miss, p_fa = error_rates(bona, spoof)
    c1, c2 = PI_TAR * C_MISS, PI_SPOOF * C_FA
    return float(np.min(c1 * p_miss + c2 * p_fa) / min(c1, c2))


def bootstrap_eers(
    bona: np.ndarray,
    spoof: np.ndarray,
    bona_groups: np.ndarray,
    spoof_groups: np.ndarray,
    n: int = 1000,
    seed: int = 0,
) -> np.ndarray:
    """EERs of ``n`` resamples of the clips, ``(n, models)``.

    Each resample draws whole groups (speakers, voices) with replacement within each
    class, then clips with replacement within each drawn group: clips of one voice are not
    independent, so the spread reflects how few voices a test has, not only how many clips.
    ``bona`` and ``spoof`` are scores ``(clips,)`` or ``(models, clips)``; every model sees
    the same resamples, so differences between models are paired.
    """
    bona2, spoof2 = np.atleast_2d(bona), np.atleast_2d(spoof)
    rng = np.random.default_rng(seed)
    by_bona, by_spoof = _group_indices(bona_groups), _group_indices(spoof_groups)
    out = np.empty((n, len(bona2)))
    for k in range(n):
        b, s = _resample(by_bona, rng), _resample(by_spoof, rng)
        out[k] = [eer(x[b], y[s])[0] for x, y in zip(bona2, spoof2, strict=True)]
    return out


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` percentile interval of ``values`` (``bootstrap_eers``' output)."""
    lo, hi = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def paired_difference(
    first: np.ndarray,
    second: np.ndarray,
    real: np.ndarray,
    fake: np.ndarray,
    groups: np.ndarray,
    n: int = 1000,
) -> tuple[float, float, float]:
    """EER points of ``first`` minus ``second``, with a 95 % interval.

    Both are scores of the same clips; ``real`` and ``fake`` mask the clips compared, and
    the interval comes from paired resamples of ``groups`` (``bootstrap_eers``).
    """
    both = np.stack([first, second])
    eers = 100 * bootstrap_eers(both[:, real], both[:, fake], groups[real], groups[fake], n)
    lo, hi = interval(eers[:, 0] - eers[:, 1])
    diff = 100 * (eer(first[real], first[fake])[0] - eer(second[real], second[fake])[0])
    return diff, lo, hi


def _group_indices(groups: np.ndarray) -> list[np.ndarray]:
    _, inverse = np.unique(groups, return_inverse=True)
    return [np.flatnonzero(inverse == g) for g in range(inverse.max() + 1)] if len(groups) else []


def _resample(groups: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    drawn = [groups[i] for i in rng.integers(len(groups), size=len(groups))]
    return np.concatenate([g[rng.integers(len(g), size=len(g))] for g in drawn])
