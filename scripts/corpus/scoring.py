"""Score clips the way the live detector does: sliding windows, mean of window logits.

For ``d`` seconds of speech the windows are ``min(window_s, d)`` long, every ``hop_s``,
over the clip's first ``d`` seconds; the clip's score is the mean logit (the stream's
accumulated evidence after ``d`` seconds).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import torch

from .dataset import Split

RATE_HZ = 8000


def windows(x: np.ndarray, duration_s: float, window_s: float, hop_s: float) -> np.ndarray:
    """``(n_windows, window)`` views over the first ``duration_s`` of ``x``."""
    x = x[: int(duration_s * RATE_HZ)]
    win = min(int(window_s * RATE_HZ), len(x))
    hop = int(hop_s * RATE_HZ)
    starts = range(0, len(x) - win + 1, hop)
    return np.stack([x[s : s + win] for s in starts])


def score_split(
    model: torch.nn.Module,
    split: Split,
    durations_s: Sequence[float],
    device: torch.device,
    window_s: float = 1.0,
    hop_s: float = 0.5,
    batch: int = 256,
) -> dict[float, np.ndarray]:
    """Accumulated logit per clip for each speech duration (higher = more synthetic)."""
    model.eval()
    out: dict[float, np.ndarray] = {}
    with torch.inference_mode():
        for d in durations_s:
            groups: dict[int, list[tuple[int, np.ndarray]]] = {}
            for i in range(len(split)):
                w = windows(split.clip(i), d, window_s, hop_s)
                groups.setdefault(w.shape[1], []).append((i, w))
            scores = np.zeros(len(split), np.float64)
            for group in groups.values():
                stacked = np.concatenate([w for _, w in group])
                logits = np.concatenate(
                    [
                        model(torch.from_numpy(stacked[k : k + batch]).to(device)).cpu().numpy()
                        for k in range(0, len(stacked), batch)
                    ]
                )
                pos = 0
                for i, w in group:
                    scores[i] = logits[pos : pos + len(w)].mean()
                    pos += len(w)
            out[d] = scores
    return out


def real_time_factor(model: torch.nn.Module, seconds: float = 60.0) -> float:
    """Seconds of compute per second of audio for the live stream (1 s windows, 0.5 s hop).

    One torch thread, and freed memory kept in the process, as ``callwarden run`` has it.
    """
    from callwarden.allocator import keep_freed_memory
    from callwarden.detectors.deep_voice import DeepVoiceStream
    from callwarden.frames import AnalysisWindow

    torch.set_num_threads(1)
    keep_freed_memory()
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(int(seconds * 8000)) * 0.1).astype(np.float32)
    stream = DeepVoiceStream(model)  # type: ignore[arg-type]
    start = time.perf_counter()
    for s in range(0, len(audio) - 8000 + 1, 4000):
        stream.push(AnalysisWindow(audio[s : s + 8000], 8000, s / 8000, s / 8000 + 1, s / 8000 + 1))
    return (time.perf_counter() - start) / seconds
