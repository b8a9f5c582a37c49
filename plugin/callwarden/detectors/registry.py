"""The closed registry of detectors, keyed by the name used in YAML.

Loaders import their model code lazily so that importing the registry costs nothing.
A detector that cannot load becomes a :class:`MissingDetector` (its failure policy then
decides what that means) unless the caller asks for strict loading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from callwarden.detectors.base import CallContext, Detector, DetectorSpec, LoadContext
from callwarden.errors import CallWardenError, DetectorMissing
from callwarden.frames import AnalysisWindow, DetectorScore, ScoreStatus, VerdictKind
from callwarden.settings import DetectorSettings, DetectorsSettings

log = logging.getLogger(__name__)

Loader = Callable[[Any, LoadContext], Detector]


def _load_speaker(settings: Any, ctx: LoadContext) -> Detector:
    from callwarden.detectors.speaker import load

    return load(settings, ctx)


def _load_deep_voice(settings: Any, ctx: LoadContext) -> Detector:
    from callwarden.detectors.deep_voice import load

    return load(settings, ctx)


def _load_deepdetection(settings: Any, ctx: LoadContext) -> Detector:
    from callwarden.detectors.deepdetection import load

    return load(settings, ctx)


REGISTRY: Mapping[str, Loader] = {
    "speaker": _load_speaker,
    "deep_voice": _load_deep_voice,
    "deepdetection": _load_deepdetection,
}

ALARMS: Mapping[str, tuple[VerdictKind, bool]] = {
    "speaker": (VerdictKind.MISMATCH, True),
    "deep_voice": (VerdictKind.SPOOF, False),
    "deepdetection": (VerdictKind.SPOOF, False),
    "duress_voice": (VerdictKind.DURESS, False),
}


@dataclass(frozen=True, slots=True)
class LoadedDetector:
    """A detector together with the settings it was loaded with."""

    detector: Detector
    settings: DetectorSettings


def enabled_settings(detectors: DetectorsSettings) -> dict[str, DetectorSettings]:
    """The detector sections switched on in YAML, by name."""
    sections = {name: getattr(detectors, name) for name in type(detectors).model_fields}
    return {name: s for name, s in sections.items() if s.enabled}


def load_detectors(
    detectors: DetectorsSettings, ctx: LoadContext, *, strict: bool = False
) -> list[LoadedDetector]:
    """Load every enabled detector once for this process.

    Raises:
        CallWardenError: with ``strict``, the first detector that cannot load.
    """
    loaded = []
    for name, settings in enabled_settings(detectors).items():
        try:
            loader = REGISTRY.get(name)
            if loader is None:
                raise DetectorMissing(f"detector {name!r} is not available in this build")
            detector = loader(settings, ctx)
        except CallWardenError as exc:
            if strict:
                raise
            log.warning("detector failed to load", extra={"detector": name, "error": str(exc)})
            detector = MissingDetector(name, settings, str(exc))
        loaded.append(LoadedDetector(detector, settings))
    return loaded


class MissingDetector:
    """Stands in for a detector that could not load: every window scores MISSING."""

    def __init__(self, name: str, settings: DetectorSettings, reason: str) -> None:
        alarm, below = ALARMS.get(name, (VerdictKind.UNCERTAIN, False))
        self.reason = reason
        self.spec = DetectorSpec(
            name=name,
            sample_rate_hz=8000,
            window_s=settings.window_s,
            hop_s=settings.hop_s,
            min_speech_s=settings.min_speech_s,
            labels=(),
            version="missing",
            alarm=alarm,
            alarm_below=below,
        )

    def stream(self, call: CallContext) -> _MissingStream:
        """A stream that reports the detector as missing on every window."""
        return _MissingStream(self.spec.name)


class _MissingStream:
    threshold: float | None = None

    def __init__(self, name: str) -> None:
        self._name = name

    def push(self, window: AnalysisWindow) -> DetectorScore:
        return DetectorScore(
            self._name, 0.0, window.start_s, window.end_s, window.speech_s, ScoreStatus.MISSING
        )
