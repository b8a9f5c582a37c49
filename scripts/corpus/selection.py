"""Choosing among candidate weights on dev alone (the card's rule, fixed before its runs).

A candidate qualifies when it beats the baseline's dev EER at 2 s (what early stopping
watches) without losing ground at 4 s on the TTS voices that are only in dev (never
trained: the proxy for voices nobody has heard) or on the resyntheses of dev's real
voices that never train (``DEV_SPEAKERS``: the proxy for eval's held-out speakers). The
lowest dev EER at 2 s wins; ties go to dev EER at 4 s, then to the earlier candidate, so
list the more conservative ones first. A proxy dev lacks (ASVspoof) is NaN and not asked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .dataset import RATE_HZ, Split
from .metrics import eer
from .plan import DEV_TTS_ADDED, DEV_TTS_FIRST, DEV_TTS_SPEAKERS
from .voices import DEV_SPEAKERS

# the noise a corpus channel adds (``Channel.noise``), as the reports name it
NOISES = {"none": "no added noise", "white": "white noise", "moh": "hold music"}


@dataclass(frozen=True)
class DevScore:
    """One model's dev numbers (EERs as fractions)."""

    name: str
    eer_2s: float
    eer_4s: float
    unseen_tts_4s: float
    unseen_voices_4s: float = math.nan


def proxies(dev: Split) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(real, spoof) masks of the rule's 4 s comparisons, where dev has the clips.

    All of dev; the dev-only TTS voices against all real clips; the never-trained voices
    (``DEV_SPEAKERS``) against their resyntheses.
    """
    bona, only_dev = ~dev.is_spoof, np.isin(dev.speakers, sorted(DEV_TTS_SPEAKERS))
    unseen = np.isin(dev.speakers, sorted(DEV_SPEAKERS))
    out = {
        "dev 4 s": (bona, dev.is_spoof),
        "unseen TTS 4 s": (bona, only_dev),
        "unseen voices 4 s": (unseen & bona, unseen & dev.is_spoof),
    }
    return {k: (real, fake) for k, (real, fake) in out.items() if real.any() and fake.any()}


def _proxy_eer(scores: np.ndarray, dev: Split, name: str) -> float:
    groups = proxies(dev)
    if name not in groups:
        return float("nan")
    real, fake = groups[name]
    return eer(scores[real], scores[fake])[0]


def unseen_tts_eer(scores: np.ndarray, dev: Split) -> float:
    """Dev EER of the real clips against the TTS voices only in dev (NaN when it has none)."""
    return _proxy_eer(scores, dev, "unseen TTS 4 s")


def unseen_voices_eer(scores: np.ndarray, dev: Split) -> float:
    """Dev EER of the never-trained real voices against their resyntheses (NaN: none)."""
    return _proxy_eer(scores, dev, "unseen voices 4 s")


def _r(x: float) -> float:
    return round(x, 9)  # equal error counts give equal EERs up to float noise


def _keeps(candidate: float, baseline: float) -> bool:
    return math.isnan(baseline) or _r(candidate) <= _r(baseline)


def dev_row(name: str, s2: np.ndarray, s4: np.ndarray, dev: Split) -> DevScore:
    """A model's dev numbers from its dev scores at 2 and 4 s (NaN for a proxy dev lacks)."""
    bona, spoof = ~dev.is_spoof, dev.is_spoof
    return DevScore(
        name,
        eer(s2[bona], s2[spoof])[0],
        eer(s4[bona], s4[spoof])[0],
        unseen_tts_eer(s4, dev),
        unseen_voices_eer(s4, dev),
    )


def qualifies(candidate: DevScore, baseline: DevScore) -> bool:
    """Better at 2 s, and no worse on the dev-only TTS voices or the unseen voices.

    Where dev has no such clips (an ASVspoof dev split), their EER is NaN and dev EER
    alone decides.
    """
    keeps = _keeps(candidate.unseen_tts_4s, baseline.unseen_tts_4s) and _keeps(
        candidate.unseen_voices_4s, baseline.unseen_voices_4s
    )
    return _r(candidate.eer_2s) < _r(baseline.eer_2s) and keeps


def pick(candidates: Sequence[DevScore], baseline: DevScore) -> DevScore | None:
    """The rule's choice, or None when no candidate qualifies (keep the baseline)."""
    ranked = [
        (_r(c.eer_2s), _r(c.eer_4s), i) for i, c in enumerate(candidates) if qualifies(c, baseline)
    ]
    return candidates[min(ranked)[2]] if ranked else None


def breakdown(
    scores: np.ndarray, dev: Split, noise: np.ndarray | None, frames: np.ndarray | None = None
) -> dict[str, float]:
    """Dev EER of real clips against each group of spoof clips (a diagnosis, no rule).

    Against all real clips: each system's clips from voices that also train, the TTS voices
    only in dev (all; the first four voices; the nine round 30 added), and (with the corpus
    metadata, ``added_noise``) the noise each clip's channel added. Then eval's hard
    condition, voices never trained: the real clips of dev's unseen speakers
    (``DEV_SPEAKERS``) against their resyntheses, in all, (with the metadata) by noise,
    and (with ``frames``, each clip's Griffin-Lim STFT size in samples,
    ``corpus.build.griffin_lim_frames``) their Griffin-Lim clips by frame length.
    """
    bona, only_dev = ~dev.is_spoof, np.isin(dev.speakers, sorted(DEV_TTS_SPEAKERS))
    systems = sorted(set(dev.systems[dev.is_spoof].tolist()))
    groups = {s: (bona, dev.is_spoof & (dev.systems == s) & ~only_dev) for s in systems}
    groups["dev-only TTS"] = (bona, only_dev)
    for name, voices in (("first four", DEV_TTS_FIRST), ("nine added", DEV_TTS_ADDED)):
        groups[f"dev-only TTS, {name}"] = (bona, np.isin(dev.speakers, sorted(voices)))
    unseen = np.isin(dev.speakers, sorted(DEV_SPEAKERS))
    unseen_real, unseen_spoof = unseen & bona, unseen & dev.is_spoof
    groups["unseen voices"] = (unseen_real, unseen_spoof)
    if noise is not None:
        for k in NOISES:
            groups[f"noise {k}"] = (bona, dev.is_spoof & (noise == k))
        for k in NOISES:
            groups[f"unseen {k}"] = (unseen_real, unseen_spoof & (noise == k))
    sizes = set(frames.tolist()) - {0} if frames is not None else set()
    for n in sorted(sizes):
        groups[f"unseen GL {1000 * n // RATE_HZ} ms"] = (unseen_real, unseen_spoof & (frames == n))
    return {
        name: eer(scores[real], scores[fake])[0]
        for name, (real, fake) in groups.items()
        if real.any() and fake.any()
    }
