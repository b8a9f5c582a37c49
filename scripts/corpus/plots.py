"""DET curves and score histograms (matplotlib, written to PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import norm

from .metrics import error_rates

TICKS = [0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99]


def plot_det(
    scores: dict[float, np.ndarray], bona: np.ndarray, conditions: dict[str, np.ndarray], path: Path
) -> None:
    """One DET panel per condition, one curve per speech duration (normal-deviate axes)."""
    fig, axes = plt.subplots(1, len(conditions), figsize=(5 * len(conditions), 4.5), squeeze=False)
    for ax, (name, mask) in zip(axes[0], conditions.items(), strict=True):
        for d, s in scores.items():
            _, p_miss, p_fa = error_rates(s[bona], s[mask])
            clip = np.clip
            ax.plot(
                norm.ppf(clip(p_fa, 1e-4, 1 - 1e-4)),
                norm.ppf(clip(p_miss, 1e-4, 1 - 1e-4)),
                label=f"{d:g} s",
            )
        ax.set_xticks(norm.ppf(TICKS), [f"{100 * t:g}" for t in TICKS])
        ax.set_yticks(norm.ppf(TICKS), [f"{100 * t:g}" for t in TICKS])
        ax.set_xlabel("spoof accepted (%)")
        ax.set_ylabel("bona fide rejected (%)")
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_histograms(
    scores: dict[float, np.ndarray], bona: np.ndarray, spoof: np.ndarray, path: Path
) -> None:
    """Histograms of accumulated log-odds per duration, bona fide vs spoof."""
    fig, axes = plt.subplots(1, len(scores), figsize=(4 * len(scores), 3.5), squeeze=False)
    for ax, (d, s) in zip(axes[0], scores.items(), strict=True):
        bins = np.linspace(float(s.min()), float(s.max()) + 1e-6, 40)
        ax.hist(s[bona], bins=bins, alpha=0.6, label="bona fide")
        ax.hist(s[spoof], bins=bins, alpha=0.6, label="spoof")
        ax.set_title(f"{d:g} s of speech")
        ax.set_xlabel("log-odds synthetic")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_dev_trade(rounds: dict[str, dict[str, Any]], path: Path) -> None:
    """Dev's two never-trained proxies, one point per candidate, one colour per round.

    ``rounds`` maps a label to ``select_deepvoice.py --json``'s table. The baseline is the
    star; the dashed lines are its values, so a candidate the rule can accept lies in the
    lower-left box (and must also beat the baseline at 2 s: those are ringed).
    """
    fig, ax = plt.subplots(figsize=(6.5, 6))
    base = next(iter(rounds.values()))["baseline"]
    for label, table in rounds.items():
        rows = table["candidates"]
        x = [100 * r["unseen_voices_4s"] for r in rows]
        y = [100 * r["unseen_tts_4s"] for r in rows]
        ax.scatter(x, y, label=label, alpha=0.75)
        ok = [(a, b) for a, b, r in zip(x, y, rows, strict=True) if r["qualifies"]]
        if ok:
            ax.scatter(*zip(*ok, strict=True), s=160, facecolors="none", edgecolors="black")
    bx, by = 100 * base["unseen_voices_4s"], 100 * base["unseen_tts_4s"]
    ax.scatter([bx], [by], marker="*", s=260, color="black", label="baseline", zorder=3)
    ax.axvline(bx, color="black", ls="--", lw=0.8)
    ax.axhline(by, color="black", ls="--", lw=0.8)
    ax.set_xlabel("never-trained real voices vs their resyntheses: dev EER % at 4 s")
    ax.set_ylabel("TTS voices only in dev: dev EER % at 4 s")
    ax.set_title("Candidates on dev (ringed: the rule accepts)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_voice_curve(points: list[tuple[int, float, float]], path: Path) -> None:
    """Dev EERs against the number of real training voices (``--train-voices``), log scale.

    ``points`` holds (voices, never-trained real voices' EER, dev-only TTS EER), fractions,
    one per run; the lines join each count's mean.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    counts = sorted({n for n, _, _ in points})
    for k, (name, colour) in enumerate(
        (("never-trained real voices vs their resyntheses", "C0"), ("TTS voices only in dev", "C1"))
    ):
        ax.scatter([n for n, *_ in points], [100 * p[1 + k] for p in points], color=colour)
        means = [100 * np.mean([p[1 + k] for p in points if p[0] == n]) for n in counts]
        ax.plot(counts, means, color=colour, label=f"{name} (mean)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(counts, [str(n) for n in counts])
    ax.set_xlabel("real voices in training (with their resyntheses; every TTS voice)")
    ax.set_ylabel("dev EER % at 4 s")
    ax.set_title("From scratch on fewer voices: what more voices buy")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
