"""Speaker verification: GE2E d-vectors scored against the subscriber's voiceprint."""

from callwarden.detectors.speaker.detector import SpeakerDetector, SpeakerStream, load
from callwarden.detectors.speaker.encoder import SpeakerEncoder

__all__ = ["SpeakerDetector", "SpeakerEncoder", "SpeakerStream", "load"]
