"""Sample formats: int16 PCM and ITU-T G.711 u-law / A-law, vectorised over numpy arrays.

The G.711 tables follow the reference ``g711.c`` (Sun Microsystems), the same code the
stdlib ``audioop`` module used, so encoded bytes match ``audioop`` bit for bit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from callwarden.errors import AudioError
from callwarden.frames import Samples

Int16Array = npt.NDArray[np.int16]

_SCALE = 32768.0
_ULAW_BIAS = 0x84
_ULAW_CLIP = 8159  # largest 14-bit magnitude u-law can code
_ULAW_SEG_END = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF], np.int32)
_ALAW_SEG_END = np.array([0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF], np.int32)


def int16_to_float(x: npt.NDArray[np.integer]) -> Samples:
    """Scale int16 PCM to float samples in [-1, 1).

    Args:
        x: int16 samples, shape ``(n,)``.

    Returns:
        float32 samples, ``x / 32768``.
    """
    return (np.asarray(x, dtype=np.float32) / np.float32(_SCALE)).astype(np.float32)


def float_to_int16(x: npt.ArrayLike) -> Int16Array:
    """Scale float samples to int16 PCM, rounding to nearest and clipping to the int16 range.

    Args:
        x: float samples in [-1, 1], shape ``(n,)``; values outside are clipped.

    Returns:
        int16 samples, shape ``(n,)``.

    Raises:
        AudioError: if the samples contain NaN.
    """
    arr = np.asarray(x, dtype=np.float64)
    if np.isnan(arr).any():
        raise AudioError("cannot convert to int16: the samples contain NaN")
    return np.clip(np.rint(arr * _SCALE), -32768, 32767).astype(np.int16)


def _ulaw_decode_table() -> Int16Array:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    t = ((codes & 0x0F) << 3) + _ULAW_BIAS
    t = t << ((codes & 0x70) >> 4)
    return np.where(codes & 0x80, _ULAW_BIAS - t, t - _ULAW_BIAS).astype(np.int16)


def _alaw_decode_table() -> Int16Array:
    codes = np.arange(256, dtype=np.int32) ^ 0x55
    seg = (codes & 0x70) >> 4
    t = ((codes & 0x0F) << 4) + np.where(seg == 0, 8, 0x108)
    t = np.where(seg > 1, t << np.maximum(seg - 1, 0), t)
    return np.where(codes & 0x80, t, -t).astype(np.int16)


_ULAW_TABLE = _ulaw_decode_table()
_ALAW_TABLE = _alaw_decode_table()


def ulaw_decode(data: bytes) -> Samples:
    """Decode G.711 u-law bytes (one sample per byte) to float samples.

    Args:
        data: u-law codes.

    Returns:
        float32 samples, shape ``(len(data),)``.
    """
    return int16_to_float(_ULAW_TABLE[np.frombuffer(data, dtype=np.uint8)])


def alaw_decode(data: bytes) -> Samples:
    """Decode G.711 A-law bytes (one sample per byte) to float samples.

    Args:
        data: A-law codes.

    Returns:
        float32 samples, shape ``(len(data),)``.
    """
    return int16_to_float(_ALAW_TABLE[np.frombuffer(data, dtype=np.uint8)])


def ulaw_encode(x: Samples) -> bytes:
    """Encode float samples as G.711 u-law (values outside [-1, 1] are clipped).

    Args:
        x: float samples, shape ``(n,)``.

    Returns:
        ``n`` u-law codes.
    """
    pcm = float_to_int16(_one_d(x)).astype(np.int32) >> 2  # 14-bit, as g711.c
    negative = pcm < 0
    mask = np.where(negative, 0x7F, 0xFF)
    mag = np.minimum(np.where(negative, -pcm, pcm), _ULAW_CLIP) + (_ULAW_BIAS >> 2)
    seg = np.searchsorted(_ULAW_SEG_END, mag, side="left")
    code = np.where(seg >= 8, 0x7F, (np.minimum(seg, 7) << 4) | ((mag >> (seg + 1)) & 0x0F))
    return _to_bytes(code ^ mask)


def alaw_encode(x: Samples) -> bytes:
    """Encode float samples as G.711 A-law (values outside [-1, 1] are clipped).

    Args:
        x: float samples, shape ``(n,)``.

    Returns:
        ``n`` A-law codes.
    """
    pcm = float_to_int16(_one_d(x)).astype(np.int32) >> 3  # 13-bit, as g711.c
    negative = pcm < 0
    mask = np.where(negative, 0x55, 0xD5)
    mag = np.where(negative, -pcm - 1, pcm)
    seg = np.searchsorted(_ALAW_SEG_END, mag, side="left")
    quant = np.where(seg < 2, mag >> 1, mag >> np.maximum(seg, 1)) & 0x0F
    code = np.where(seg >= 8, 0x7F, (np.minimum(seg, 7) << 4) | quant)
    return _to_bytes(code ^ mask)


def _to_bytes(codes: npt.NDArray[np.integer]) -> bytes:
    return bytes((codes & 0xFF).astype(np.uint8))


def _one_d(x: Samples) -> Samples:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise AudioError(f"expected mono samples of shape (n,), got shape {arr.shape}")
    return arr
