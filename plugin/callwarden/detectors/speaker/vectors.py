"""Small vector helpers shared by the speaker stream, enrolment and evaluation."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
