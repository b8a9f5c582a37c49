"""Benchmark: the deep-voice detector's cost relative to real time, on one CPU core.

Streams --seconds of audio through the detector's live stream (1 s windows every 0.5 s,
as on a call) --runs times after model load, and prints the median, fastest and slowest
real-time factor (RTF = compute seconds / audio seconds; target <= 0.02) per model.

    .venv/bin/python scripts/bench_deepvoice.py [--seconds 60] [--runs 5] [MODEL.pt ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from corpus.scoring import real_time_factor  # noqa: E402

TARGET_RTF = 0.02


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", type=Path, default=[ROOT / "models/deepvoice_cnn.pt"])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    print(f"{'model':28s} {'params':>7s} {'runs':>4s} {'median':>7s} {'min':>7s} {'max':>7s}")
    for path in args.models:
        model = load_model(path)
        params = sum(p.numel() for p in model.parameters())
        rtfs = [real_time_factor(model, args.seconds) for _ in range(args.runs)]
        print(
            f"{path.name:28s} {params:7d} {args.runs:4d} {statistics.median(rtfs):7.4f} "
            f"{min(rtfs):7.4f} {max(rtfs):7.4f}  (RTF; target <= {TARGET_RTF})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
