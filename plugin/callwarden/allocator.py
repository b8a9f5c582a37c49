"""Keep freed memory in the process, so inference does not page-fault on every window.

glibc's malloc hands large blocks (the tensors of a 1 s window run to megabytes) back to
the kernel when they are freed and maps them afresh on the next window; the fresh pages
then fault in one by one. On one CPU core that cost the deep-voice network about 40 %
of its time (``scripts/bench_deepvoice.py``: 1.7x). Raising the mmap and trim thresholds keeps
those blocks in the heap for the next window, at the price of the process holding on to
its peak working set. Only glibc has ``mallopt``; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 64 << 20
TRIM_THRESHOLD_BYTES = 256 << 20


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process.

    Returns:
        True if both were set (glibc), False where the C library has no ``mallopt``.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
        and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    )
