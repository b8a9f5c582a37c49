"""Streaming rational resampling between telephony rates with a polyphase FIR.

The filter is a linear-phase Kaiser-window low-pass (``scipy.signal.firwin``) designed once
per rate pair: flat to 87.5 % of the lower Nyquist frequency (3.5 kHz when 8 kHz is
involved) and 70 dB down from the lower Nyquist frequency on. Its group delay is
compensated, so output sample ``k`` is the signal at input time ``k / to_rate_hz``, and the
output does not depend on how the input was chunked.
"""

from __future__ import annotations

from functools import cache
from math import ceil, gcd

import numpy as np
import numpy.typing as npt
from scipy import signal

from callwarden.errors import AudioError
from callwarden.frames import Samples

SUPPORTED_RATES_HZ = (8000, 16000, 32000, 48000)

_PASS_EDGE = 0.875  # fraction of the lower Nyquist frequency kept flat
_STOP_ATTENUATION_DB = 70.0
_BLOCK_OUTPUTS = 4096  # outputs per vectorised step, to bound temporary memory

FloatArray = npt.NDArray[np.float64]


@cache
def _polyphase_bank(from_rate_hz: int, to_rate_hz: int) -> tuple[FloatArray, int]:
    """Design the low-pass for one rate pair and split it into polyphase rows.

    Returns:
        ``(bank, delay)``: a read-only array of shape ``(up, taps_per_phase)`` whose row
        ``p`` holds ``h[p + m * up]``, and the filter's group delay in upsampled samples.
    """
    g = gcd(from_rate_hz, to_rate_hz)
    up = to_rate_hz // g
    upsampled_nyquist_hz = from_rate_hz * up / 2
    low_nyquist_hz = min(from_rate_hz, to_rate_hz) / 2
    width = (1 - _PASS_EDGE) * low_nyquist_hz / upsampled_nyquist_hz
    cutoff = (1 + _PASS_EDGE) / 2 * low_nyquist_hz / upsampled_nyquist_hz
    numtaps, beta = signal.kaiserord(_STOP_ATTENUATION_DB, width)
    numtaps |= 1  # odd length: an integer group delay
    taps = signal.firwin(numtaps, cutoff, window=("kaiser", beta)) * up
    per_phase = ceil(numtaps / up)
    padded = np.zeros(per_phase * up)
    padded[:numtaps] = taps
    bank = padded.reshape(per_phase, up).T.copy()
    bank.flags.writeable = False
    return bank, (numtaps - 1) // 2


class StreamResampler:
    """Resamples one stream chunk by chunk, carrying filter state between chunks.

    Output sample ``k`` corresponds to input time ``k / to_rate_hz``; after ``flush()`` the
    stream has produced ``ceil(n_in * to_rate_hz / from_rate_hz)`` samples in all. When the
    two rates are equal, ``push`` returns its input unchanged.

    Args:
        from_rate_hz: input rate, one of 8000, 16000, 32000, 48000.
        to_rate_hz: output rate, one of the same.

    Raises:
        AudioError: for any other rate.
    """

    def __init__(self, from_rate_hz: int, to_rate_hz: int) -> None:
        for rate in (from_rate_hz, to_rate_hz):
            if rate not in SUPPORTED_RATES_HZ:
                raise AudioError(f"cannot resample at {rate} Hz; supported: {SUPPORTED_RATES_HZ}")
        self.from_rate_hz = from_rate_hz
        self.to_rate_hz = to_rate_hz
        g = gcd(from_rate_hz, to_rate_hz)
        self._up, self._down = to_rate_hz // g, from_rate_hz // g
        self._bank, self._delay = _polyphase_bank(from_rate_hz, to_rate_hz)
        self._reset()

    def _reset(self) -> None:
        taps_per_phase = self._bank.shape[1]
        # Global input index of _buf[0]; the zeros stand for the signal before it started.
        self._buf_start = -(taps_per_phase - 1)
        self._buf: Samples = np.zeros(taps_per_phase - 1, dtype=np.float32)
        self._n_in = 0
        self._next_out = 0

    def push(self, x: Samples) -> Samples:
        """Add input samples and return every output sample they complete.

        Args:
            x: float samples at ``from_rate_hz``, shape ``(n,)``; ``n`` may be 0.

        Returns:
            float32 samples at ``to_rate_hz`` (possibly none).
        """
        x = _mono(x)
        if self._up == self._down:
            return x
        self._buf = np.concatenate([self._buf, x])
        self._n_in += len(x)
        # Output k needs input up to index (k * down + delay) // up.
        ready = (self._up * self._n_in - 1 - self._delay) // self._down + 1
        return self._emit(ready)

    def flush(self) -> Samples:
        """Finish the stream: emit the tail (the input is taken as zero past its end).

        The resampler is then reset and can start a new stream.

        Returns:
            The remaining float32 samples at ``to_rate_hz``.
        """
        if self._up == self._down:
            return np.zeros(0, dtype=np.float32)
        total = ceil(self._n_in * self._up / self._down)
        if total > self._next_out:
            last_needed = ((total - 1) * self._down + self._delay) // self._up
            pad = last_needed + 1 - (self._buf_start + len(self._buf))
            self._buf = np.concatenate([self._buf, np.zeros(max(pad, 0), np.float32)])
        out = self._emit(total)
        self._reset()
        return out

    def _emit(self, end: int) -> Samples:
        """Compute outputs ``[next_out, end)`` and drop input no later output needs."""
        blocks = [
            self._compute(k, min(k + _BLOCK_OUTPUTS, end))
            for k in range(self._next_out, end, _BLOCK_OUTPUTS)
        ]
        self._next_out = max(self._next_out, end)
        first_needed = (self._next_out * self._down + self._delay) // self._up
        drop = first_needed - (self._bank.shape[1] - 1) - self._buf_start
        if drop > 0:
            self._buf = self._buf[drop:]
            self._buf_start += drop
        if not blocks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(blocks).astype(np.float32)

    def _compute(self, start: int, end: int) -> FloatArray:
        t = np.arange(start, end, dtype=np.int64) * self._down + self._delay
        phase, newest = t % self._up, t // self._up
        taps = np.arange(self._bank.shape[1])
        window = self._buf[(newest - self._buf_start)[:, None] - taps[None, :]]
        result: FloatArray = np.einsum("ij,ij->i", self._bank[phase], window)
        return result


def resample(x: Samples, from_rate_hz: int, to_rate_hz: int) -> Samples:
    """Resample a whole signal (one ``push`` and ``flush`` of a new ``StreamResampler``).

    Args:
        x: float samples at ``from_rate_hz``, shape ``(n,)``.
        from_rate_hz: input rate, one of 8000, 16000, 32000, 48000.
        to_rate_hz: output rate, one of the same.

    Returns:
        float32 samples at ``to_rate_hz``, ``ceil(n * to_rate_hz / from_rate_hz)`` of them.
    """
    stream = StreamResampler(from_rate_hz, to_rate_hz)
    head = stream.push(x)
    return np.concatenate([head, stream.flush()])


def _mono(x: Samples) -> Samples:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise AudioError(f"expected mono samples of shape (n,), got shape {arr.shape}")
    return arr.astype(np.float32, copy=False)
