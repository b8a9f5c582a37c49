"""DeepDetection (Kang et al. 2022): autoencoder at the tap, latent-only 1D-CNN classifier."""

from callwarden.detectors.deepdetection.detector import (
    DeepDetectionDetector,
    DeepDetectionStream,
    load,
    load_classifier,
    load_encoder,
)
from callwarden.detectors.deepdetection.split import LatentClassifier, LatentFeatures, TapEncoder

__all__ = [
    "DeepDetectionDetector",
    "DeepDetectionStream",
    "LatentClassifier",
    "LatentFeatures",
    "TapEncoder",
    "load",
    "load_classifier",
    "load_encoder",
]
