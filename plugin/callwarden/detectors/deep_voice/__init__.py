"""Synthetic-voice detection with CallWarden's own LCNN, trained on the offline corpus."""

from callwarden.detectors.deep_voice.detector import (
    DeepVoiceDetector,
    DeepVoiceStream,
    load,
    load_model,
)

__all__ = ["DeepVoiceDetector", "DeepVoiceStream", "load", "load_model"]
