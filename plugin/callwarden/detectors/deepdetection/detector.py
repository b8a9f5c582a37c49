"""DeepDetection as a CallWarden detector: tap-side encoder, classifier-side CNN.

The stream pushes each window through ``TapEncoder.encode`` and hands only the resulting
``LatentFeatures`` to ``LatentClassifier.classify``. Evidence accumulates as the mean
per-slice log-probability over the call; ``score`` is the probability of "deep voice".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import torch

from callwarden.detectors.base import CallContext, DetectorSpec, LoadContext
from callwarden.detectors.deepdetection.model import Encoder, LatentCnn
from callwarden.detectors.deepdetection.split import LatentClassifier, TapEncoder
from callwarden.errors import DetectorError, WeightsError
from callwarden.frames import AnalysisWindow, DetectorScore, VerdictKind
from callwarden.weights import resolve_weights, sha256_of

if TYPE_CHECKING:
    from callwarden.settings import DeepDetectionSettings

log = logging.getLogger(__name__)
NAME = "deepdetection"
SAMPLE_RATE_HZ = 8000
DEEP_VOICE = "deep_voice"


def load_encoder(path: Path) -> TapEncoder:
    """The tap side from its own weights file (encoder only; no decoder, no classifier)."""
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        encoder = Encoder()
        encoder.load_state_dict(blob["encoder"])
    except (KeyError, TypeError, RuntimeError, OSError) as exc:
        raise WeightsError(f"{path} is not a DeepDetection encoder: {exc}") from exc
    return TapEncoder(encoder)


def load_classifier(path: Path) -> LatentClassifier:
    """The classifier side from its own weights file (with its class labels)."""
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        labels = tuple(str(x) for x in blob["labels"])
        classifier = LatentCnn(len(labels))
        classifier.load_state_dict(blob["classifier"])
    except (KeyError, TypeError, RuntimeError, OSError) as exc:
        raise WeightsError(f"{path} is not a DeepDetection classifier: {exc}") from exc
    if DEEP_VOICE not in labels:
        raise WeightsError(f"{path} has no {DEEP_VOICE!r} class")
    return LatentClassifier(classifier, labels)


def _normalise(log_probs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(log_probs - log_probs.max())
    return np.asarray(shifted / shifted.sum(), dtype=np.float64)


@dataclass
class DeepDetectionStream:
    """One call: running sum of per-slice log-probabilities."""

    tap: TapEncoder
    classifier: LatentClassifier
    claimed: str | None = None
    threshold: float | None = None
    _sum: npt.NDArray[np.float64] | None = field(default=None, init=False)
    _slices: int = field(default=0, init=False)

    def push(self, window: AnalysisWindow) -> DetectorScore:
        """Score one window; ``score`` is P(deep voice) over the call so far.

        Raises:
            DetectorError: the window is empty or not at 8 kHz.
        """
        if window.sample_rate_hz != SAMPLE_RATE_HZ:
            raise DetectorError(f"deepdetection needs {SAMPLE_RATE_HZ} Hz windows")
        log_probs = self.classifier.classify(self.tap.encode(window.samples))
        total = log_probs.sum(axis=0)
        self._sum = total if self._sum is None else self._sum + total
        self._slices += len(log_probs)
        probs = _normalise(self._sum / self._slices)
        labels = self.classifier.labels
        detail = {"slices": float(self._slices)}
        detail["window_score"] = float(_normalise(total / len(log_probs))[labels.index(DEEP_VOICE)])
        if self.claimed in labels:
            detail["claimed_user"] = float(probs[labels.index(self.claimed)])
        return DetectorScore(
            detector=NAME,
            score=float(probs[labels.index(DEEP_VOICE)]),
            start_s=window.start_s,
            end_s=window.end_s,
            speech_s=window.speech_s,
            detail=detail,
        )


@dataclass
class DeepDetectionDetector:
    """Both sides loaded, shared by every call."""

    spec: DetectorSpec
    tap: TapEncoder
    classifier: LatentClassifier

    def stream(self, call: CallContext) -> DeepDetectionStream:
        """Start scoring one call; the claimed subscriber's class probability is reported."""
        return DeepDetectionStream(self.tap, self.classifier, claimed=call.subscriber_id)


def load(settings: DeepDetectionSettings, ctx: LoadContext) -> DeepDetectionDetector:
    """Load the encoder and the classifier, each checked against the manifest.

    Raises:
        WeightsError: missing, corrupt or unreadable weights.
    """
    encoder_path = resolve_weights(ctx.models_dir, settings.encoder_model)
    classifier_path = resolve_weights(ctx.models_dir, settings.classifier_model)
    classifier = load_classifier(classifier_path)
    spec = DetectorSpec(
        name=NAME,
        sample_rate_hz=SAMPLE_RATE_HZ,
        window_s=settings.window_s,
        hop_s=settings.hop_s,
        min_speech_s=settings.min_speech_s,
        labels=classifier.labels,
        version=f"deepdetection-{sha256_of(classifier_path)[:12]}",
        alarm=VerdictKind.SPOOF,
        alarm_below=False,
    )
    log.info("DeepDetection loaded", extra={"encoder": str(encoder_path)})
    return DeepDetectionDetector(spec, load_encoder(encoder_path), classifier)
