"""The privacy split: the tap side encodes audio, the classifier side sees only latents.

``TapEncoder`` holds the encoder and is the only object that touches samples; what it
hands over is a ``LatentFeatures`` (8 channels x 166 steps per 1000-sample slice).
``LatentClassifier`` holds the classifier and accepts nothing but ``LatentFeatures``; the
decoder that could turn latents back into audio ships on neither side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from callwarden.detectors.deepdetection.model import (
    LATENT_CHANNELS,
    LATENT_LENGTH,
    SLICE,
    Encoder,
    LatentCnn,
)
from callwarden.errors import DetectorError
from callwarden.frames import Samples

Latent = npt.NDArray[np.float32]
TARGET_RMS = 0.1


def slice_window(samples: Samples) -> npt.NDArray[np.float32]:
    """Scale a window to a fixed RMS and cut it into ``(n, 1000)`` slices (short: tiled)."""
    x = np.asarray(samples, dtype=np.float32)
    if len(x) == 0:
        raise DetectorError("deepdetection got an empty window")
    x = x * (TARGET_RMS / (float(np.sqrt(np.mean(np.square(x)))) + 1e-5))
    if len(x) < SLICE:
        x = np.tile(x, SLICE // len(x) + 1)
    n = len(x) // SLICE
    return np.ascontiguousarray(x[: n * SLICE].reshape(n, SLICE))


@dataclass(frozen=True, slots=True)
class LatentFeatures:
    """What crosses from the tap to the classifier: ``values`` is ``(n, 8, 166)`` float32."""

    values: Latent

    def __post_init__(self) -> None:
        shape = self.values.shape
        if len(shape) != 3 or shape[1:] != (LATENT_CHANNELS, LATENT_LENGTH):
            raise DetectorError("latent features must be (n, 8, 166)")


class TapEncoder:
    """Tap side: audio windows in, latent features out."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder.eval()

    def encode(self, samples: Samples) -> LatentFeatures:
        """Encode one window of 8 kHz samples."""
        slices = torch.from_numpy(slice_window(samples)).unsqueeze(1)
        with torch.inference_mode():
            return LatentFeatures(self._encoder(slices).numpy().astype(np.float32))


class LatentClassifier:
    """Classifier side: latent features in, class log-probabilities per slice out."""

    def __init__(self, classifier: LatentCnn, labels: tuple[str, ...]) -> None:
        self._classifier = classifier.eval()
        self.labels = labels

    def classify(self, features: LatentFeatures) -> npt.NDArray[np.float64]:
        """Log-probabilities ``(n_slices, n_classes)``.

        Raises:
            DetectorError: given anything but ``LatentFeatures``.
        """
        if not isinstance(features, LatentFeatures):
            raise DetectorError("the classifier side accepts latent features only")
        with torch.inference_mode():
            logits = self._classifier(torch.from_numpy(features.values))
            return torch.log_softmax(logits, dim=1).numpy().astype(np.float64)
