"""Streaming WebRTC VAD framing with py-webrtcvad's padded ring buffer collector.

Every frame is classified by WebRTC VAD. Untriggered, the last ``padding_ms`` of frames sit
in a ring; once more than ``start_ratio`` of the ring is voiced (and at least
``min_speech_ms`` of it), the segmenter triggers and emits the ring as the segment's first
piece. While triggered, each frame is emitted as its own piece as soon as it is complete, so
live callers hear speech as it arrives; once more than ``end_ratio`` of the ring is unvoiced
the segment ends with an empty piece whose ``is_last`` is true.

Pieces are emitted live and cannot be retracted, so short segments are not dropped
afterwards: ``min_speech_ms`` is instead required of the ring before it may trigger.

Every piece is contiguous in call time. When a push states a ``start_s`` that breaks the
running clock (an RTP gap), the incomplete frame before the gap is dropped and an
untriggered ring is cleared; an open segment stays open across the gap, so its pieces'
times jump there.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil
from typing import NamedTuple

import numpy as np
import webrtcvad

from callwarden.audio.clock import SampleClock
from callwarden.audio.pcm import float_to_int16
from callwarden.errors import AudioError
from callwarden.frames import Samples, SpeechSegment
from callwarden.settings import VadSettings

logger = logging.getLogger(__name__)

VAD_RATES_HZ = (8000, 16000, 32000, 48000)
VAD_FRAMES_MS = (10, 20, 30)


@dataclass(frozen=True, slots=True)
class SpeechPiece:
    """Part of a speech segment, emitted as soon as the VAD has judged it.

    A segment is its pieces with one ``segment_index``, in order; the last is empty and has
    ``is_last`` set. ``start_s`` is the call time of the piece's first sample (for the empty
    last piece: the time just after the segment's last sample).
    """

    samples: Samples
    sample_rate_hz: int
    start_s: float
    segment_index: int
    is_last: bool


class _Frame(NamedTuple):
    samples: Samples
    start_s: float
    is_speech: bool


class VadSegmenter:
    """Cuts a stream of float samples into speech pieces, one frame at a time.

    Input may come in chunks of any size; the segmenter frames it itself. An incomplete
    frame at the end of the stream is dropped by ``flush``.

    Args:
        sample_rate_hz: 8000, 16000, 32000 or 48000 (what WebRTC VAD accepts).
        frame_ms: 10, 20 or 30.
        aggressiveness: WebRTC VAD mode, 0 (least) to 3 (most aggressive at rejecting).
        padding_ms: length of the ring buffer.
        start_ratio: voiced share of the ring that must be exceeded to trigger.
        end_ratio: unvoiced share of the ring that must be exceeded to end a segment.
        min_speech_ms: voiced audio the ring must hold to trigger (at most ``padding_ms``).

    Raises:
        AudioError: for an unsupported rate or frame length, or inconsistent parameters.
    """

    def __init__(
        self,
        sample_rate_hz: int,
        frame_ms: int = 20,
        aggressiveness: int = 2,
        padding_ms: int = 300,
        start_ratio: float = 0.6,
        end_ratio: float = 0.9,
        min_speech_ms: int = 200,
    ) -> None:
        _check(sample_rate_hz, frame_ms, aggressiveness, padding_ms, start_ratio, end_ratio)
        self.sample_rate_hz = sample_rate_hz
        self._frame_len = sample_rate_hz * frame_ms // 1000
        self._ring_len = padding_ms // frame_ms
        self._min_voiced = ceil(min_speech_ms / frame_ms)
        if self._min_voiced > self._ring_len:
            raise AudioError(
                f"VAD min_speech_ms {min_speech_ms} exceeds padding_ms {padding_ms}: "
                "it could never trigger"
            )
        self._start_ratio, self._end_ratio = start_ratio, end_ratio
        self._vad = webrtcvad.Vad(aggressiveness)
        self._ring: deque[_Frame] = deque(maxlen=self._ring_len)
        self._triggered = False
        self._segment_index = 0
        self._clock = SampleClock(sample_rate_hz)
        self._pending: Samples = np.zeros(0, dtype=np.float32)
        self._consumed = 0  # stream index of _pending[0]
        self._last_end_s = 0.0

    @classmethod
    def from_settings(cls, vad: VadSettings, sample_rate_hz: int) -> VadSegmenter:
        """Build a segmenter from the ``vad`` settings section."""
        return cls(
            sample_rate_hz,
            frame_ms=vad.frame_ms,
            aggressiveness=vad.aggressiveness,
            padding_ms=vad.padding_ms,
            start_ratio=vad.start_ratio,
            end_ratio=vad.end_ratio,
            min_speech_ms=vad.min_speech_ms,
        )

    def push(self, x: Samples, start_s: float | None = None) -> list[SpeechPiece]:
        """Add samples and return the speech pieces they complete.

        Args:
            x: float samples at ``sample_rate_hz``, shape ``(n,)``; ``n`` may be 0.
            start_s: call time of ``x[0]``; ``None`` continues the running clock (which
                starts at 0 s).

        Returns:
            Pieces in stream order (possibly none).
        """
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 1:
            raise AudioError(f"expected mono samples of shape (n,), got shape {x.shape}")
        if start_s is not None and self._is_gap(start_s):
            self._drop_pending()
            if not self._triggered:
                self._ring.clear()
        self._clock.advance(len(x), start_s)
        buffered = np.concatenate([self._pending, x])
        n_frames = len(buffered) // self._frame_len
        pieces: list[SpeechPiece] = []
        for i in range(n_frames):
            frame = buffered[i * self._frame_len : (i + 1) * self._frame_len]
            pieces.extend(self._on_frame(frame, self._clock.time_of(self._consumed)))
            self._consumed += self._frame_len
        self._pending = buffered[n_frames * self._frame_len :].copy()
        self._clock.forget_before(self._consumed)
        return pieces

    def flush(self) -> list[SpeechPiece]:
        """End the stream: close an open segment and drop an incomplete trailing frame.

        Returns:
            The closing empty piece of an open segment, or nothing.
        """
        self._drop_pending()
        closing = [self._close()] if self._triggered else []
        self._ring.clear()
        return closing

    def _is_gap(self, start_s: float) -> bool:
        """Whether ``start_s`` breaks the running clock by more than half a sample."""
        n_samples = self._clock.n_samples
        if n_samples == 0:
            return False
        expected_s = self._clock.time_of(n_samples)
        return abs(start_s - expected_s) > 0.5 / self.sample_rate_hz

    def _drop_pending(self) -> None:
        self._consumed += len(self._pending)
        self._pending = np.zeros(0, dtype=np.float32)

    def _on_frame(self, samples: Samples, start_s: float) -> list[SpeechPiece]:
        pcm = float_to_int16(samples).astype("<i2").tobytes()
        frame = _Frame(samples, start_s, bool(self._vad.is_speech(pcm, self.sample_rate_hz)))
        self._ring.append(frame)
        self._last_end_s = start_s + self._frame_len / self.sample_rate_hz
        if not self._triggered:
            voiced = sum(f.is_speech for f in self._ring)
            if voiced < self._min_voiced or not _exceeds(voiced, self._start_ratio, self._ring_len):
                return []
            self._triggered = True
            first = self._piece(np.concatenate([f.samples for f in self._ring]), self._ring[0])
            self._ring.clear()
            return [first]
        piece = self._piece(samples, frame)
        unvoiced = sum(not f.is_speech for f in self._ring)
        if _exceeds(unvoiced, self._end_ratio, self._ring_len):
            return [piece, self._close()]
        return [piece]

    def _piece(self, samples: Samples, first: _Frame) -> SpeechPiece:
        return SpeechPiece(samples, self.sample_rate_hz, first.start_s, self._segment_index, False)

    def _close(self) -> SpeechPiece:
        empty = np.zeros(0, dtype=np.float32)
        last = SpeechPiece(empty, self.sample_rate_hz, self._last_end_s, self._segment_index, True)
        logger.debug("speech segment ended", extra={"segment_index": self._segment_index})
        self._triggered = False
        self._ring.clear()
        self._segment_index += 1
        return last


def segments(pieces: Iterable[SpeechPiece]) -> list[SpeechSegment]:
    """Join pieces into one segment per ``segment_index``, in order of first appearance.

    Args:
        pieces: pieces from one ``VadSegmenter``, in the order it emitted them.

    Returns:
        Segments spanning from their first piece's start to just after their last sample
        (``end_s - start_s`` exceeds the samples' duration when a segment spans a gap).
    """
    grouped: dict[int, list[SpeechPiece]] = {}
    for piece in pieces:
        grouped.setdefault(piece.segment_index, []).append(piece)
    out = []
    for group in grouped.values():
        voiced = [p for p in group if len(p.samples)]
        if not voiced:
            continue
        last = voiced[-1]
        rate = last.sample_rate_hz
        end_s = last.start_s + len(last.samples) / rate
        samples = np.concatenate([p.samples for p in voiced]).astype(np.float32, copy=False)
        out.append(SpeechSegment(samples, rate, voiced[0].start_s, end_s))
    return out


def detect_segments(
    x: Samples, sample_rate_hz: int, vad: VadSettings | None = None
) -> list[SpeechSegment]:
    """Find the speech segments of a whole recording.

    Args:
        x: float samples, shape ``(n,)``.
        sample_rate_hz: 8000, 16000, 32000 or 48000.
        vad: VAD settings; the defaults when ``None``.

    Returns:
        Speech segments with times from the recording's start.
    """
    segmenter = VadSegmenter.from_settings(vad or VadSettings(), sample_rate_hz)
    return segments(segmenter.push(x) + segmenter.flush())


def _exceeds(count: int, ratio: float, total: int) -> bool:
    """More than ``ratio`` of ``total``, or all of it (so a ratio of 1 stays reachable)."""
    return count > ratio * total or count == total


def _check(
    sample_rate_hz: int,
    frame_ms: int,
    aggressiveness: int,
    padding_ms: int,
    start_ratio: float,
    end_ratio: float,
) -> None:
    if sample_rate_hz not in VAD_RATES_HZ:
        raise AudioError(f"VAD cannot run at {sample_rate_hz} Hz; supported: {VAD_RATES_HZ}")
    if frame_ms not in VAD_FRAMES_MS:
        raise AudioError(f"VAD frame_ms must be one of {VAD_FRAMES_MS}, got {frame_ms}")
    if aggressiveness not in range(4):
        raise AudioError(f"VAD aggressiveness must be 0 to 3, got {aggressiveness}")
    if padding_ms < frame_ms:
        raise AudioError(f"VAD padding_ms {padding_ms} is shorter than one frame ({frame_ms})")
    if not (0 < start_ratio <= 1 and 0 < end_ratio <= 1):
        raise AudioError("VAD start_ratio and end_ratio must be in (0, 1]")
