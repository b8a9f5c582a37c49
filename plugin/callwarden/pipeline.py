"""One call's screening pipeline, pure and synchronous: audio in, scores and verdicts out.

    chunk ─► resample to the VAD rate ─► VAD ─► speech intervals (call times)
          └► resample to each detector's rate ─► cut the speech intervals ─►
             sliding windows (the detector's spec) ─► guarded stream ─► score ─► fusion

Each detector's audio is resampled as one continuous stream and cut by the VAD's times,
so chunked input gives the same windows as a whole file. ``CallSession`` (threads,
queues) and ``callwarden analyze`` both drive this class.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from callwarden.audio.rates import RateTrack
from callwarden.audio.resample import StreamResampler
from callwarden.audio.vad import SpeechPiece, VadSegmenter
from callwarden.audio.windows import SlidingWindower
from callwarden.detectors.base import CallContext, DetectorSpec
from callwarden.detectors.guard import GuardedStream
from callwarden.detectors.registry import LoadedDetector
from callwarden.errors import AudioError, NotEnrolledError
from callwarden.frames import AnalysisWindow, AudioChunk, DetectorScore, Verdict
from callwarden.policy.fusion import Fusion, TrackConfig
from callwarden.settings import FailurePolicy, Settings

log = logging.getLogger(__name__)

_EMPTY = np.zeros(0, dtype=np.float32)


@dataclass(slots=True)
class _Lane:
    spec: DetectorSpec
    track: RateTrack
    windower: SlidingWindower
    stream: GuardedStream


class CallPipeline:
    """Screens one call (or one recording) chunk by chunk at ``input_rate_hz``."""

    def __init__(
        self,
        settings: Settings,
        detectors: list[LoadedDetector],
        call: CallContext,
        input_rate_hz: int,
        start_s: float = 0.0,
    ) -> None:
        self.call = call
        self.input_rate_hz = input_rate_hz
        self._settings = settings
        self._start_s = start_s
        vad_rate = settings.audio.vad_sample_rate_hz
        self._to_vad = StreamResampler(input_rate_hz, vad_rate)
        self._vad = VadSegmenter.from_settings(settings.vad, vad_rate)
        self._vad.push(self._to_vad.push(_EMPTY), start_s=start_s)
        self._lanes = [lane for lane in map(self._lane, detectors) if lane is not None]
        self._fusion = Fusion(settings.policy, [self._track_config(lane) for lane in self._lanes])
        self.timeline: list[DetectorScore] = []
        self.speech_s = 0.0
        self.audio_s = 0.0

    @property
    def verdict(self) -> Verdict:
        """The verdict so far."""
        return self._fusion.verdict

    @property
    def detector_names(self) -> list[str]:
        """Names of the detectors scoring this call."""
        return [lane.spec.name for lane in self._lanes]

    def push(self, chunk: AudioChunk) -> list[DetectorScore]:
        """Feed one chunk of the call; returns the scores it completed.

        Raises:
            AudioError: the chunk is not at the pipeline's input rate.
        """
        if chunk.sample_rate_hz != self.input_rate_hz:
            raise AudioError(
                f"a chunk at {chunk.sample_rate_hz} Hz reached a pipeline"
                f" set up for {self.input_rate_hz} Hz"
            )
        self.audio_s += chunk.duration_s
        for lane in self._lanes:
            lane.track.push(chunk.samples)
        return self._consume(self._vad.push(self._to_vad.push(chunk.samples)), final=False)

    def finish(self) -> Verdict:
        """Flush every stage and return the final verdict."""
        for lane in self._lanes:
            lane.track.flush()
        pieces = self._vad.push(self._to_vad.flush()) + self._vad.flush()
        self._consume(pieces, final=True)
        for lane in self._lanes:
            for window in lane.windower.flush():
                self._score(lane, window)
        return self._fusion.finish(self._start_s + self.audio_s)

    def _consume(self, pieces: list[SpeechPiece], *, final: bool) -> list[DetectorScore]:
        for piece in pieces:
            duration_s = len(piece.samples) / piece.sample_rate_hz
            self.speech_s += duration_s
            for lane in self._lanes:
                lane.track.select(piece.start_s, duration_s)
        scores = []
        for lane in self._lanes:
            for samples, start_s in lane.track.ready(final=final):
                scores += [self._score(lane, w) for w in lane.windower.push(samples, start_s)]
        return scores

    def _score(self, lane: _Lane, window: AnalysisWindow) -> DetectorScore:
        score = lane.stream.push(window)
        self.timeline.append(score)
        self._fusion.update(score)
        return score

    def _lane(self, loaded: LoadedDetector) -> _Lane | None:
        spec = loaded.detector.spec
        try:
            stream = loaded.detector.stream(self.call)
        except NotEnrolledError:
            if self.call.subscriber_id is not None:
                raise
            log.info("detector skipped: no subscriber claimed", extra={"detector": spec.name})
            return None
        return _Lane(
            spec,
            RateTrack(self.input_rate_hz, spec.sample_rate_hz, self._start_s),
            SlidingWindower(
                spec.sample_rate_hz, spec.window_s, spec.hop_s, min_window_s=min(spec.hop_s, 0.5)
            ),
            GuardedStream(spec.name, stream, loaded.settings.budget_ms),
        )

    def _track_config(self, lane: _Lane) -> TrackConfig:
        name = lane.spec.name
        settings = getattr(self._settings.detectors, name, None)
        entry = self._settings.subscribers.entries.get(self.call.subscriber_id or "")
        threshold = entry.thresholds.get(name) if entry else None  # type: ignore[call-overload]
        if threshold is None:
            threshold = lane.stream.threshold
        if threshold is None:
            threshold = settings.threshold if settings else 0.5
        on_failure = settings.on_failure if settings else FailurePolicy.UNCERTAIN
        return TrackConfig(lane.spec, float(threshold), on_failure)
