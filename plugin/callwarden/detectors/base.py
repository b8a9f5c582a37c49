"""The one detector contract: ``load(settings)`` once per process, ``spec``, ``stream(call)``.

A detector is a factory holding the loaded model; a stream holds one call's state and
turns each analysis window into a score. Both are plain synchronous code over numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from callwarden.frames import AnalysisWindow, DetectorScore, VerdictKind

if TYPE_CHECKING:
    from callwarden.enrol.store import VoiceprintStore


@dataclass(frozen=True, slots=True)
class DetectorSpec:
    """What a detector needs from the framing code and what its score means.

    ``alarm`` is the verdict its alarm raises; ``alarm_below`` says a low score is the bad
    one (a speaker match score) rather than a high one (a spoof probability).
    """

    name: str
    sample_rate_hz: int
    window_s: float
    hop_s: float
    min_speech_s: float
    labels: tuple[str, ...]
    version: str
    alarm: VerdictKind
    alarm_below: bool = False


@dataclass(frozen=True, slots=True)
class CallContext:
    """Who a call claims to be; ``subscriber_id`` is None when nobody is claimed."""

    call_id: str
    subscriber_id: str | None = None


@dataclass(frozen=True, slots=True)
class LoadContext:
    """What loaders may reach: the weights folder and the voiceprint store."""

    models_dir: Path
    store: VoiceprintStore | None = None


class DetectorStream(Protocol):
    """One call's state for one detector.

    ``threshold`` is a threshold calibrated for this call (e.g. the subscriber's own),
    or None to use the configured one.
    """

    threshold: float | None

    def push(self, window: AnalysisWindow) -> DetectorScore:
        """Score one window; the score may accumulate evidence from earlier windows."""
        ...


class Detector(Protocol):
    """A loaded model: one per process, shared by every call."""

    spec: DetectorSpec

    def stream(self, call: CallContext) -> DetectorStream:
        """Start scoring one call.

        Raises:
            NotEnrolledError: the detector needs an enrolled subscriber and there is none.
        """
        ...
