"""A call's audio at one detector's rate, from which the VAD's speech intervals are cut.

The whole input is resampled as one continuous stream (no edge effects between speech
pieces), buffered by absolute sample index, and sliced by the VAD's times.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from callwarden.audio.resample import StreamResampler
from callwarden.frames import Samples

# Audio older than this behind the newest sample can no longer be asked for: the VAD's
# ring buffer reaches back at most its padding (2 s at most in settings).
_KEEP_S = 3.0


class RateTrack:
    """Resamples a stream to ``to_rate_hz`` and yields the speech intervals selected on it."""

    def __init__(self, from_rate_hz: int, to_rate_hz: int, t0_s: float) -> None:
        self.rate_hz = to_rate_hz
        self._resampler = StreamResampler(from_rate_hz, to_rate_hz)
        self._t0_s = t0_s
        self._buffer: Samples = np.zeros(0, dtype=np.float32)
        self._base = 0  # absolute index of self._buffer[0]
        self._wanted: deque[tuple[int, int]] = deque()

    def push(self, samples: Samples) -> None:
        """Append input audio (at the input rate)."""
        self._append(self._resampler.push(samples))

    def flush(self) -> None:
        """Append the resampler's tail at the end of the stream."""
        self._append(self._resampler.flush())

    def select(self, start_s: float, duration_s: float) -> None:
        """Ask for the interval [start_s, start_s + duration_s) of call time."""
        start = max(0, round((start_s - self._t0_s) * self.rate_hz))
        stop = round((start_s + duration_s - self._t0_s) * self.rate_hz)
        if stop > start:
            self._wanted.append((start, stop))

    def ready(self, *, final: bool = False) -> list[tuple[Samples, float]]:
        """Selected intervals whose audio has arrived, as (samples, call start time)."""
        out = []
        end = self._base + len(self._buffer)
        while self._wanted and (final or self._wanted[0][1] <= end):
            start, stop = self._wanted.popleft()
            start = max(start, self._base)
            stop = min(stop, end)
            if stop > start:
                piece: Samples = self._buffer[start - self._base : stop - self._base].copy()
                out.append((piece, self._t0_s + start / self.rate_hz))
        self._trim()
        return out

    def _append(self, samples: Samples) -> None:
        if len(samples):
            # No trimming here: the VAD's pieces for this audio are selected after the push.
            self._buffer = np.concatenate([self._buffer, samples.astype(np.float32, copy=False)])

    def _trim(self) -> None:
        end = self._base + len(self._buffer)
        keep_from = end - int(_KEEP_S * self.rate_hz)
        if self._wanted:
            keep_from = min(keep_from, self._wanted[0][0])
        drop = keep_from - self._base
        if drop > 0:
            self._buffer = self._buffer[drop:]
            self._base += drop
