"""A recording's speech, cut into the same windows a live call's speaker stream scores.

The recording takes the live path: it is brought to the telephone band (8 kHz, what G.711
calls carry, so a wideband enrolment matches narrowband calls), gated by the VAD with the
configured settings, resampled to the detector's rate and cut by ``SlidingWindower`` with
the detector's window and hop.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from callwarden.audio.io import check_usable, read_audio
from callwarden.audio.resample import SUPPORTED_RATES_HZ, resample
from callwarden.audio.vad import detect_segments
from callwarden.audio.windows import SlidingWindower
from callwarden.frames import Samples
from callwarden.settings import SpeakerSettings, VadSettings

TELEPHONE_RATE_HZ = 8000
MIN_WINDOW_S = 0.5  # the pipeline's shortest window (min(hop_s, 0.5 s))


@dataclass(frozen=True, slots=True)
class SpeechWindows:
    """The windows of one recording's speech at the detector's rate.

    Attributes:
        windows: float32 arrays of up to ``window_s`` of speech each.
        speech_s: net speech the VAD found.
        audio_s: length of the recording.
    """

    windows: tuple[Samples, ...]
    speech_s: float
    audio_s: float


def to_rate(samples: Samples, from_rate_hz: int, to_rate_hz: int) -> Samples:
    """Resample with the pipeline's resampler, or a polyphase filter for other rates."""
    if from_rate_hz == to_rate_hz:
        return samples
    if from_rate_hz in SUPPORTED_RATES_HZ and to_rate_hz in SUPPORTED_RATES_HZ:
        return resample(samples, from_rate_hz, to_rate_hz)
    g = gcd(from_rate_hz, to_rate_hz)
    out = resample_poly(samples, to_rate_hz // g, from_rate_hz // g)
    return np.asarray(out, dtype=np.float32)


def speech_windows(
    samples: Samples,
    sample_rate_hz: int,
    speaker: SpeakerSettings,
    vad: VadSettings,
    detector_rate_hz: int,
) -> SpeechWindows:
    """VAD-gate a signal and cut its speech into the speaker stream's windows.

    Args:
        samples: ``(n,)`` float32 audio.
        sample_rate_hz: its rate (any; 8 kHz and up is sensible).
        speaker: gives ``window_s`` and ``hop_s``.
        vad: the VAD settings the live pipeline uses.
        detector_rate_hz: the rate of the returned windows (the encoder's).

    Returns:
        The windows (none when there is less than 0.5 s of speech) and durations.
    """
    narrow = to_rate(samples, sample_rate_hz, TELEPHONE_RATE_HZ)
    segments = detect_segments(narrow, TELEPHONE_RATE_HZ, vad)
    wide = to_rate(narrow, TELEPHONE_RATE_HZ, detector_rate_hz)
    windower = SlidingWindower(detector_rate_hz, speaker.window_s, speaker.hop_s, MIN_WINDOW_S)
    windows = []
    for segment in segments:
        start = round(segment.start_s * detector_rate_hz)
        stop = round(segment.end_s * detector_rate_hz)
        windows += windower.push(wide[start:stop], segment.start_s)
    windows += windower.flush()
    speech_s = sum(len(s.samples) / s.sample_rate_hz for s in segments)
    return SpeechWindows(
        windows=tuple(w.samples for w in windows),
        speech_s=speech_s,
        audio_s=len(samples) / sample_rate_hz,
    )


def file_windows(
    path: Path, speaker: SpeakerSettings, vad: VadSettings, detector_rate_hz: int
) -> SpeechWindows:
    """Read a recording, refuse an unusable one, and return its speech windows.

    Raises:
        AudioError: unreadable, too short, silent, clipped or corrupt audio (names the file).
    """
    samples, rate = read_audio(path)
    check_usable(samples, rate, str(path))
    return speech_windows(samples, rate, speaker, vad, detector_rate_hz)
