"""Sliding analysis windows over a call's speech, sized by a detector's spec.

Speech pieces are concatenated across pauses, so a window holds ``window_s`` of net speech
and may span a pause; its ``start_s`` / ``end_s`` are the call times of its first and last
samples.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from callwarden.errors import AudioError
from callwarden.frames import AnalysisWindow, Samples


class _Run(NamedTuple):
    """A stretch of speech contiguous in call time: its first speech index and call time."""

    first: int
    start_s: float


class SlidingWindower:
    """Cuts speech into windows of ``window_s``, one every ``hop_s`` of speech.

    A window is emitted as soon as ``window_s`` of speech has accumulated past the previous
    window's start. ``flush`` ends the stream (and resets the windower): when no window was
    emitted but at least ``min_window_s`` of speech was pushed, it emits one shorter window
    holding all of it; otherwise, when more than ``hop_s / 2`` of speech arrived after the
    last window ended, it emits a final window of the last ``window_s`` of speech. Only the
    samples a future window can still need are kept.

    Args:
        sample_rate_hz: rate of the pushed samples.
        window_s: speech per window.
        hop_s: speech between the starts of consecutive windows.
        min_window_s: the least speech worth one short window at ``flush``.

    Raises:
        AudioError: for a non-positive rate, window or hop, or a negative minimum.
    """

    def __init__(
        self, sample_rate_hz: int, window_s: float, hop_s: float, min_window_s: float
    ) -> None:
        if sample_rate_hz <= 0 or window_s <= 0 or hop_s <= 0 or min_window_s < 0:
            raise AudioError(
                "windowing needs a positive rate, window_s and hop_s and min_window_s >= 0"
            )
        self.sample_rate_hz = sample_rate_hz
        self._window = max(1, round(window_s * sample_rate_hz))
        self._hop = max(1, round(hop_s * sample_rate_hz))
        self._min_window = round(min_window_s * sample_rate_hz)
        self._reset()

    def _reset(self) -> None:
        self._buf: Samples = np.zeros(0, dtype=np.float32)
        self._base = 0  # speech index of _buf[0]
        self._total = 0  # speech samples pushed
        self._next_start = 0  # speech index where the next window starts
        self._last: tuple[int, int] | None = None  # (start, end) of the last window
        self._runs: list[_Run] = []

    def push(self, samples: Samples, start_s: float) -> list[AnalysisWindow]:
        """Add speech and return the windows it completes.

        Args:
            samples: speech at ``sample_rate_hz``, shape ``(n,)``.
            start_s: call time of ``samples[0]``.

        Returns:
            Windows in order (possibly none).
        """
        x = np.asarray(samples, dtype=np.float32)
        if x.ndim != 1:
            raise AudioError(f"expected mono samples of shape (n,), got shape {x.shape}")
        if len(x) == 0:
            return []
        continues = self._runs and abs(self._time_of(self._total) - start_s) <= 0.5 / (
            self.sample_rate_hz
        )
        if not continues:
            self._runs.append(_Run(self._total, float(start_s)))
        self._buf = np.concatenate([self._buf, x])
        self._total += len(x)
        windows = []
        while self._next_start + self._window <= self._total:
            windows.append(self._cut(self._next_start, self._next_start + self._window))
            self._next_start += self._hop
        self._trim()
        return windows

    def flush(self) -> list[AnalysisWindow]:
        """End the stream: emit a short or a final window if one is due, then reset.

        Returns:
            At most one window.
        """
        out = []
        if self._last is None:
            if self._total > 0 and self._total >= self._min_window:
                out.append(self._cut(0, self._total))
        elif self._total - self._last[1] > self._hop / 2:
            out.append(self._cut(self._total - self._window, self._total))
        self._reset()
        return out

    def _cut(self, start: int, end: int) -> AnalysisWindow:
        self._last = (start, end)
        rate = self.sample_rate_hz
        return AnalysisWindow(
            samples=self._buf[start - self._base : end - self._base].copy(),
            sample_rate_hz=rate,
            start_s=self._time_of(start),
            end_s=self._time_of(end - 1) + 1 / rate,
            speech_s=end / rate,
        )

    def _time_of(self, index: int) -> float:
        """Call time of speech sample ``index`` (or of the sample after a run's end)."""
        run = next(r for r in reversed(self._runs) if r.first <= index)
        return run.start_s + (index - run.first) / self.sample_rate_hz

    def _trim(self) -> None:
        # A final window at flush starts at or after the last window's start.
        keep_from = self._next_start if self._last is None else min(self._last[0], self._next_start)
        drop = keep_from - self._base
        if drop > 0:
            self._buf = self._buf[drop:]
            self._base = keep_from
        while len(self._runs) > 1 and self._runs[1].first <= keep_from:
            self._runs.pop(0)
