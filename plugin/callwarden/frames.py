"""Frozen data that flows through the pipeline: audio, speech, windows, scores, verdicts.

Samples are float32 mono in [-1, 1], shape ``(n,)``; times are seconds since the call
(or the recording) started.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class AudioChunk:
    """A piece of a call's audio as it arrived (e.g. one 20 ms RTP frame)."""

    samples: Samples
    sample_rate_hz: int
    start_s: float

    @property
    def duration_s(self) -> float:
        """Length of the chunk in seconds."""
        return len(self.samples) / self.sample_rate_hz


@dataclass(frozen=True, slots=True)
class SpeechSegment:
    """A contiguous stretch the VAD judged to be speech."""

    samples: Samples
    sample_rate_hz: int
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class AnalysisWindow:
    """A window of speech sized by a detector's spec, at the detector's sample rate.

    ``speech_s`` is the net speech the detector has seen up to the end of this window.
    """

    samples: Samples
    sample_rate_hz: int
    start_s: float
    end_s: float
    speech_s: float


class ScoreStatus(StrEnum):
    """Whether a score came from the model or stands in for a failure."""

    OK = "ok"
    FAILED = "failed"
    LATE = "late"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class DetectorScore:
    """One detector's score for one window, with the evidence accumulated so far.

    ``score`` is in [0, 1]: probability synthetic (deep voice), match score (speaker),
    fear probability (duress).
    """

    detector: str
    score: float
    start_s: float
    end_s: float
    speech_s: float
    status: ScoreStatus = ScoreStatus.OK
    detail: Mapping[str, float] = field(default_factory=dict)


class VerdictKind(StrEnum):
    """What the policy concluded about a call so far."""

    CLEAR = "clear"
    SPOOF = "spoof"
    MISMATCH = "mismatch"
    DURESS = "duress"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision with the reason a person can read and the scores behind it."""

    kind: VerdictKind
    reason: str
    at_s: float
    evidence: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action did (or why it did nothing)."""

    action: str
    ok: bool
    detail: str
    at_s: float
