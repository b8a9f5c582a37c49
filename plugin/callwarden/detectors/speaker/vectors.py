"""Small vector helpers shared by the speaker stream, enrolment and evaluation."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from callwarden.frames import Samples

Vector = npt.NDArray[np.float32]
_EPS = 1e-8


def normalise(vector: npt.NDArray[np.floating]) -> Vector:
    """``vector / |vector|`` as float32 (a zero vector stays zero)."""
    norm = float(np.linalg.norm(vector))
    return np.asarray(vector / max(norm, _EPS), dtype=np.float32)


def centroid(embeddings: npt.NDArray[np.float32]) -> Vector:
    """L2-normalised mean of ``(n, d)`` embeddings, shape ``(d,)``."""
    return normalise(np.mean(embeddings, axis=0, dtype=np.float64))


def cosine(a: npt.NDArray[np.floating], b: npt.NDArray[np.floating]) -> float:
    """Cosine similarity of two ``(d,)`` vectors."""
    denom = max(float(np.linalg.norm(a) * np.linalg.norm(b)), _EPS)
    return float(np.dot(a, b) / denom)


def slide(samples: Samples, sample_rate_hz: int, window_s: float, hop_s: float) -> list[Samples]:
    """Cut speech into the windows the live stream scores: ``window_s`` every ``hop_s``.

    Speech shorter than one window is one (shorter) window; a tail the hops leave
    uncovered gets a last window that ends at the end.

    Args:
        samples: ``(n,)`` float32 speech.
        sample_rate_hz: rate of ``samples``.
        window_s: window length in seconds.
        hop_s: step between window starts in seconds.

    Returns:
        Views of ``samples``, each ``(min(n, window),)``; empty when ``n`` is 0.
    """
    size = round(window_s * sample_rate_hz)
    hop = max(1, round(hop_s * sample_rate_hz))
    if len(samples) == 0:
        return []
    if len(samples) <= size:
        return [samples]
    last = len(samples) - size
    starts = list(range(0, last + 1, hop))
    if starts[-1] != last:
        starts.append(last)
    return [samples[start : start + size] for start in starts]
