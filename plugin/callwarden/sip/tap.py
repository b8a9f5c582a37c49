"""The per-call audio tap: an ``AudioMediaPort`` that copies each 20 ms frame and queues it.

``onFrameReceived`` runs on PJSIP's media clock thread and stalls every call while it runs,
so it only copies the frame and appends it to a bounded deque (drop-oldest, drops counted).
Everything else happens on the session's worker thread.
"""

from __future__ import annotations

import collections
from typing import Any

import pjsua2 as pj

from callwarden.sip.frame_reader import frame_reader

TAP_RATE_HZ = 8000
FRAME_MS = 20


def pcm_format(rate_hz: int = TAP_RATE_HZ, frame_ms: int = FRAME_MS) -> Any:
    """A 16-bit mono PCM ``MediaFormatAudio`` at ``rate_hz``."""
    fmt = pj.MediaFormatAudio()
    fmt.type = pj.PJMEDIA_TYPE_AUDIO
    fmt.id = pj.PJMEDIA_FORMAT_PCM
    fmt.clockRate = rate_hz
    fmt.channelCount = 1
    fmt.bitsPerSample = 16
    fmt.frameTimeUsec = frame_ms * 1000
    fmt.avgBps = fmt.maxBps = rate_hz * 16
    return fmt


class TapPort(pj.AudioMediaPort):  # type: ignore[misc]
    """Receives a call's decoded audio from the conference bridge.

    Attributes:
        frames: bounded queue of raw 16-bit little-endian PCM frames, oldest dropped first.
        dropped: frames dropped because the queue was full.
        received: audio frames copied so far.
    """

    def __init__(self, name: str, queue_frames: int, *, fast: bool = True) -> None:
        super().__init__()
        self.frames: collections.deque[bytes] = collections.deque(maxlen=queue_frames)
        self.capacity = queue_frames
        self.dropped = 0
        self.received = 0
        self._read = frame_reader(fast=fast)
        self.createPort(name, pcm_format())

    def onFrameReceived(self, frame: Any) -> None:
        """Copy, enqueue, return: nothing else may run on the media thread.

        A host that runs its own media clock keeps it running while a released tap is
        destroyed. Python clears the port's attributes just before the C++ port leaves the
        bridge, so a last frame can find them gone. That frame is dropped: an exception
        raised back into the media thread killed the host process (SIGSEGV).
        """
        try:
            read = self._read
        except AttributeError:  # being destroyed
            return
        data = read(frame)
        if data is None:
            return
        frames = self.frames
        if len(frames) >= self.capacity:
            self.dropped += 1
        frames.append(data)
        self.received += 1
