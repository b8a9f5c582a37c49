"""Choosing among candidate weights on dev alone (the card's rule, fixed before its runs).

A candidate qualifies when it beats the baseline's dev EER at 2 s (what early stopping
watches) without losing ground on the TTS voices that are only in dev (never trained: the
proxy for voices nobody has heard). The lowest dev EER at 2 s wins; ties go to dev EER at
4 s, then to the earlier candidate, so list the more conservative ones first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .dataset import Split
from .metrics import eer
from .plan import DEV_TTS_SPEAKERS


@dataclass(frozen=True)
class DevScore:
    """One model's dev numbers (EERs as fractions)."""

    name: str
    eer_2s: float
    eer_4s: float
    unseen_tts_4s: float


def unseen_tts_eer(scores: np.ndarray, dev: Split) -> float:
    """Dev EER of the real clips against the TTS voices only in dev (NaN when it has none)."""
    never_heard = np.isin(dev.speakers, sorted(DEV_TTS_SPEAKERS))
    if not never_heard.any():
        return float("nan")
    return eer(scores[~dev.is_spoof], scores[never_heard])[0]


def _r(x: float) -> float:
    return round(x, 9)  # equal error counts give equal EERs up to float noise


def qualifies(candidate: DevScore, baseline: DevScore) -> bool:
    """Better at 2 s, and no worse on the TTS voices only in dev.

    Where dev has no such voices (an ASVspoof dev split), their EER is NaN and dev EER
    alone decides.
    """
    no_proxy = math.isnan(baseline.unseen_tts_4s)
    keeps = no_proxy or _r(candidate.unseen_tts_4s) <= _r(baseline.unseen_tts_4s)
    return _r(candidate.eer_2s) < _r(baseline.eer_2s) and keeps


def pick(candidates: Sequence[DevScore], baseline: DevScore) -> DevScore | None:
    """The rule's choice, or None when no candidate qualifies (keep the baseline)."""
    ranked = [
        (_r(c.eer_2s), _r(c.eer_4s), i) for i, c in enumerate(candidates) if qualifies(c, baseline)
    ]
    return candidates[min(ranked)[2]] if ranked else None
