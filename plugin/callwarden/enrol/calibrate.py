"""Consistency of a subscriber's enrolment files and their own speaker threshold.

Both use the per-file embeddings only (enrolment data, nothing from other subscribers):

- consistency: the mean pairwise cosine between files, and for each file its mean cosine
  to the others (the lowest one names the odd file out);
- genuine scores: leave-one-out, each file against the centroid of the other files; a
  file whose score falls more than ``subscribers.enrolment.outlier_gap`` (0.08) below
  the others' is an intruder;
- threshold: ``mean - k * std`` of the genuine scores, clipped to a narrow band around the
  configured threshold (``default - 0.02`` to ``default + 0.04``): a subscriber whose
  recordings agree closely gets a stricter threshold, one whose voice varies a laxer one,
  and the operator's setting still anchors both. k and the band were picked on the dev
  split of ``scripts/eval_speaker.py``; on its test split one global threshold did better
  (``models/speaker_ge2e.md``), so enrolment keeps the calibrated threshold only on request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from callwarden.detectors.speaker.vectors import centroid

CALIBRATION_K = 0.5
BAND_BELOW = 0.02
BAND_ABOVE = 0.04


@dataclass(frozen=True, slots=True)
class Consistency:
    """How alike a subscriber's enrolment files sound.

    Attributes:
        mean: mean cosine over every pair of files.
        per_file: each file's mean cosine to the other files, in file order.
    """

    mean: float
    per_file: tuple[float, ...]

    @property
    def odd_one_out(self) -> int:
        """Index of the file least like the others."""
        return int(np.argmin(self.per_file))


def consistency(embeddings: npt.NDArray[np.float32]) -> Consistency:
    """Pairwise cosine consistency of ``(n, d)`` L2-normalised embeddings, ``n >= 2``."""
    n = len(embeddings)
    sims = embeddings @ embeddings.T
    off_diagonal = sims[~np.eye(n, dtype=bool)].reshape(n, n - 1)
    per_file = tuple(float(v) for v in off_diagonal.mean(axis=1))
    return Consistency(float(off_diagonal.mean()), per_file)


def leave_one_out(embeddings: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """Cosine of each file's embedding with the centroid of the others, shape ``(n,)``.

    One embedding has no others: the result is then empty.
    """
    n = len(embeddings)
    if n < 2:
        return np.zeros(0)
    out = np.empty(n)
    for i in range(n):
        rest = centroid(np.delete(embeddings, i, axis=0))
        out[i] = float(np.dot(embeddings[i], rest))
    return out


def outlier_gap(genuine: npt.NDArray[np.float64]) -> float:
    """How far the lowest leave-one-out score falls below the mean of the others (0 if n < 3)."""
    if len(genuine) < 3:
        return 0.0
    odd = int(np.argmin(genuine))
    return float(np.mean(np.delete(genuine, odd)) - genuine[odd])


def calibrate_threshold(
    genuine: npt.NDArray[np.float64],
    default: float,
    *,
    k: float = CALIBRATION_K,
    below: float = BAND_BELOW,
    above: float = BAND_ABOVE,
) -> float:
    """The subscriber's threshold from their leave-one-out genuine scores.

    Args:
        genuine: the leave-one-out scores; fewer than two give ``default``.
        default: the configured speaker threshold, the centre of the allowed band.
        k: how many standard deviations below the genuine mean.
        below: how far under ``default`` a calibration may go.
        above: how far over ``default`` a calibration may go.

    Returns:
        ``mean - k * std`` clipped to ``[default - below, default + above]`` (and to [0, 1]).
    """
    if len(genuine) < 2:
        return float(default)
    level = float(np.mean(genuine) - k * np.std(genuine))
    low, high = max(0.0, default - below), min(1.0, default + above)
    return float(min(high, max(low, level)))
