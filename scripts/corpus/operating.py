"""The operating threshold, chosen on the dev split, and the error rates it gives.

Scores here are clip log-odds (the stream's mean window logit); the detector's setting is
the probability ``sigmoid(logit)``. The threshold is the lowest one that keeps the dev
split's bona fide false-alarm rate at or below a target at one speech duration: never read
from the eval split, whose numbers it is then applied to.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from .dataset import Split


def threshold_at_fa(bona: np.ndarray, max_fa: float) -> float:
    """The lowest logit threshold with at most ``max_fa`` of ``bona`` above it.

    A clip alarms when its score is strictly above the threshold, so the threshold sits on
    a bona fide score (the ``floor(max_fa * n)``-th highest counts as passing).
    """
    ranked = np.sort(np.asarray(bona, np.float64))[::-1]
    allowed = math.floor(max_fa * len(ranked) + 1e-9)
    return float(ranked[min(allowed, len(ranked) - 1)])


def probability(logit: float) -> float:
    """The detector's score (probability synthetic) for a clip logit."""
    return 1.0 / (1.0 + math.exp(-logit))


def logit(p: float) -> float:
    """The clip logit for a detector score ``p`` in (0, 1)."""
    return math.log(p / (1.0 - p))


def rates_at(
    scores: Mapping[float, np.ndarray],
    split: Split,
    threshold: float,
    durations: Sequence[float],
    by_voice: Collection[str] = (),
) -> dict[str, dict[str, float]]:
    """Per group (``real <speaker>`` false alarms, ``spoof <system>`` misses) per duration.

    Systems in ``by_voice`` with more than one voice also get a row per voice
    (``spoof <speaker>``, as ``spoof gcloud-de``). Returns ``{group: {"n": clips, "<d>":
    rate at d seconds, ...}}``; a group without clips (``spoof, all`` for real clips
    alone) is left out.
    """
    groups: dict[str, np.ndarray] = {}
    for speaker in sorted(set(split.speakers[~split.is_spoof].tolist())):
        groups[f"real {speaker}"] = ~split.is_spoof & (split.speakers == speaker)
    groups["real, all"] = ~split.is_spoof
    for system in sorted(set(split.systems[split.is_spoof].tolist())):
        mask = split.is_spoof & (split.systems == system)
        groups[f"spoof {system}"] = mask
        voices = sorted(set(split.speakers[mask].tolist())) if system in by_voice else []
        for voice in voices if len(voices) > 1 else []:
            groups[f"spoof {voice}"] = split.is_spoof & (split.speakers == voice)
    groups["spoof, all"] = split.is_spoof
    out: dict[str, dict[str, float]] = {}
    for name, mask in groups.items():
        if not mask.any():
            continue
        row = {"n": float(mask.sum())}
        for d in durations:
            alarms = scores[d][mask] > threshold
            row[f"{d:g}"] = float(alarms.mean() if name.startswith("real") else 1 - alarms.mean())
        out[name] = row
    return out


def format_rates(rates: Mapping[str, Mapping[str, float]], durations: Sequence[float]) -> str:
    """A plain-text table: group, clips, then the rate in % at each duration."""
    head = f"{'group':26s} {'clips':>5s} " + " ".join(f"{f'{d:g} s':>7s}" for d in durations)
    lines = [head]
    for name, row in rates.items():
        cells = " ".join(f"{100 * row[f'{d:g}']:7.1f}" for d in durations)
        lines.append(f"{name:26s} {int(row['n']):5d} {cells}")
    return "\n".join(lines)
