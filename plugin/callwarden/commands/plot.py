"""Draws an analysis's scores over time with each detector's threshold."""

from __future__ import annotations

from pathlib import Path

from callwarden.analysis import Analysis


def plot_timeline(result: Analysis, path: Path) -> None:
    """Write a PNG: one line per detector (score at each window's end), thresholds dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    for i, name in enumerate(sorted({s.detector for s in result.timeline})):
        points = [(s.end_s, s.score) for s in result.timeline if s.detector == name]
        color = f"C{i}"
        ax.plot(*zip(*points, strict=True), marker="o", color=color, label=name)
        if name in result.thresholds:
            ax.axhline(result.thresholds[name], color=color, linestyle="--", linewidth=1)
    ax.set_xlabel("call time (s)")
    ax.set_ylabel("score")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"{Path(result.file).name}: {result.verdict.kind.upper()}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
