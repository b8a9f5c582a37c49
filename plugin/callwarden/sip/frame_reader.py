"""Reads a pjsua2 ``MediaFrame``'s samples straight from memory (the tap's fast path).

``bytes(frame.buf)`` walks the SWIG vector element by element under the GIL (~200-900 µs
per 20 ms frame measured here). The fast path reads the ``std::vector``'s begin/end
pointers at a fixed offset inside the C++ ``MediaFrame`` and copies the block with one
``string_at``, touching no SWIG wrapper (~25 µs cold in the media thread, ~2 µs warm).
The offset is measured once against a frame we fill ourselves; if the layout does not
match, ``frame_reader`` falls back to ``bytes()``.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

import pjsua2 as pj

log = logging.getLogger(__name__)

AUDIO_FRAME_TYPE = 1  # PJMEDIA_FRAME_TYPE_AUDIO


class _FrameLayout(ctypes.Structure):
    """``pj::MediaFrame`` on 64-bit libstdc++: {type, std::vector<char> buf, size}."""

    _fields_ = (
        ("type", ctypes.c_int),
        ("begin", ctypes.c_void_p),
        ("end", ctypes.c_void_p),
        ("capacity", ctypes.c_void_p),
        ("size", ctypes.c_uint),
    )


def _address(obj: Any) -> int:
    return int(obj.this)


@cache
def _layout_matches() -> bool:
    probe = pj.MediaFrame()
    probe.type = AUDIO_FRAME_TYPE
    probe.buf = pj.ByteVector(list(range(1, 101)))
    probe.size = 100
    try:
        raw = _FrameLayout.from_address(_address(probe))
        same_type = raw.type == AUDIO_FRAME_TYPE and raw.size == 100
        data = ctypes.string_at(raw.begin, 100) if raw.begin else b""
    except (AttributeError, TypeError, ValueError, OSError):
        return False
    return same_type and data == bytes(range(1, 101))


def frame_reader(*, fast: bool = True) -> Callable[[Any], bytes | None]:
    """The tap's copy function: the fast path only where the frame layout was verified."""
    if fast and not _layout_matches():
        log.warning("pjsua2 frame layout not recognised; the tap uses the slow path")
        return read_slow
    return read_fast if fast else read_slow


def read_fast(frame: Any) -> bytes | None:
    """Fast path: one ``string_at`` over the vector's memory."""
    raw = _FrameLayout.from_address(int(frame.this))
    begin, end = raw.begin, raw.end
    if raw.type != AUDIO_FRAME_TYPE or not begin or not end or end <= begin:
        return None
    return ctypes.string_at(begin, end - begin)


def read_slow(frame: Any) -> bytes | None:
    """Reference path: ``bytes(frame.buf)`` through the SWIG wrapper."""
    if frame.type != AUDIO_FRAME_TYPE or frame.size == 0:
        return None
    data = bytes(frame.buf)
    return data or None
