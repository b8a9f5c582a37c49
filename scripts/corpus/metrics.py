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
