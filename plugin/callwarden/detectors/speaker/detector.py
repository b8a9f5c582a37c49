"""The speaker detector: GE2E d-vectors of the call scored against the claimed voiceprint.

A stream keeps a running, speech-duration-weighted mean of its windows' embeddings, so the
evidence accumulates over the call; the score is the cosine between that mean and the
subscriber's enrolled centroid, clipped to [0, 1]. A low score is the alarm (mismatch).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from callwarden.detectors.base import CallContext, DetectorSpec, LoadContext
from callwarden.detectors.speaker.encoder import EMBEDDING_DIM, SpeakerEncoder
from callwarden.detectors.speaker.vectors import Vector, cosine, normalise
from callwarden.errors import DetectorError, NotEnrolledError
from callwarden.frames import AnalysisWindow, DetectorScore, VerdictKind

if TYPE_CHECKING:
    from callwarden.enrol.store import VoiceprintStore
    from callwarden.settings import SpeakerSettings

log = logging.getLogger(__name__)
NAME = "speaker"


@dataclass
class SpeakerStream:
    """One call's evidence against one voiceprint.

    Attributes:
        threshold: the subscriber's calibrated threshold, or None when the configured one
            applies (a score below it is a mismatch).
    """

    encoder: SpeakerEncoder
    centroid: Vector
    threshold: float | None
    _sum: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.zeros(EMBEDDING_DIM), init=False
    )
    _speech_s: float = field(default=0.0, init=False)
    _windows: int = field(default=0, init=False)

    def push(self, window: AnalysisWindow) -> DetectorScore:
        """Embed one window, fold it into the call's mean and score the mean.

        Raises:
            DetectorError: the window is empty or not at the encoder's rate.
        """
        if window.sample_rate_hz != self.encoder.sample_rate_hz:
            raise DetectorError(f"speaker needs {self.encoder.sample_rate_hz} Hz windows")
        if len(window.samples) == 0:
            raise DetectorError("speaker got an empty window")
        embedding = self.encoder.embed([window.samples])[0]
        duration_s = len(window.samples) / window.sample_rate_hz
        self._sum += duration_s * embedding
        self._speech_s += duration_s
        self._windows += 1
        score = cosine(normalise(self._sum), self.centroid)
        return DetectorScore(
            detector=NAME,
            score=min(1.0, max(0.0, score)),
            start_s=window.start_s,
            end_s=window.end_s,
            speech_s=window.speech_s,
            detail={
                "window_cosine": cosine(embedding, self.centroid),
                "windows": float(self._windows),
            },
        )


class SpeakerDetector:
    """The loaded encoder and the voiceprint store, shared by every call.

    Args:
        spec: what the framing code needs and what the score means.
        encoder: the GE2E encoder.
        store: where voiceprints are read (None: no call can be verified).
    """

    def __init__(
        self, spec: DetectorSpec, encoder: SpeakerEncoder, store: VoiceprintStore | None
    ) -> None:
        self.spec = spec
        self.encoder = encoder
        self.store = store

    @classmethod
    def load(cls, settings: SpeakerSettings, ctx: LoadContext) -> SpeakerDetector:
        """Load the GE2E weights (checked against the manifest) once per process.

        Raises:
            WeightsError: missing, corrupt or mismatching weights.
        """
        encoder = SpeakerEncoder.load(ctx.models_dir)
        spec = DetectorSpec(
            name=NAME,
            sample_rate_hz=encoder.sample_rate_hz,
            window_s=settings.window_s,
            hop_s=settings.hop_s,
            min_speech_s=settings.min_speech_s,
            labels=("match",),
            version=encoder.version,
            alarm=VerdictKind.MISMATCH,
            alarm_below=True,
        )
        log.info("speaker model loaded", extra={"model": settings.model, "version": spec.version})
        return cls(spec, encoder, ctx.store)

    def stream(self, call: CallContext) -> SpeakerStream:
        """Start scoring one call against the claimed subscriber's voiceprint.

        Raises:
            NotEnrolledError: no subscriber claimed, no store, no voiceprint, or a
                voiceprint made with another model version.
        """
        if call.subscriber_id is None:
            raise NotEnrolledError("speaker verification needs a claimed subscriber")
        if self.store is None:
            raise NotEnrolledError("speaker verification needs a voiceprint store")
        voiceprint = self.store.get(call.subscriber_id)
        if voiceprint.model_version != self.spec.version:
            raise NotEnrolledError(
                f"the voiceprint was made with {voiceprint.model_version}, this detector runs "
                f"{self.spec.version}: re-enrol the subscriber"
            )
        return SpeakerStream(self.encoder, voiceprint.centroid, voiceprint.threshold)


def load(settings: SpeakerSettings, ctx: LoadContext) -> SpeakerDetector:
    """The registry's entry point: ``SpeakerDetector.load``."""
    return SpeakerDetector.load(settings, ctx)
