"""How often a model calls each real voice set synthetic: ``python scripts/flag_voice_sets.py``.

A check on data, not on a model: real recordings that a trained detector flags in most
clips may be processed (noise suppression, pitch effects) or synthetic, and teaching a
model that they are real would cost it. For each real speaker of one split (``--split``,
train by default) it prints the share of clips, and of clean clips (the channel added no
noise), whose probability at ``--seconds`` of speech is above ``--threshold`` (the shipped
weights' by default).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from callwarden.settings import DeepVoiceSettings  # noqa: E402
from corpus.dataset import added_noise, load_split  # noqa: E402
from corpus.scoring import score_split  # noqa: E402


def flag_shares(
    probs: np.ndarray, speakers: np.ndarray, clean: np.ndarray, threshold: float
) -> dict[str, tuple[int, float, float]]:
    """Per speaker: clips, share flagged, share of clean clips flagged (NaN: none clean)."""
    out = {}
    for speaker in sorted(set(speakers.tolist())):
        mine = speakers == speaker
        flagged = probs[mine] > threshold
        clean_flagged = probs[mine & clean] > threshold
        share_clean = float(clean_flagged.mean()) if clean_flagged.size else float("nan")
        out[speaker] = (int(mine.sum()), float(flagged.mean()), share_clean)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--split", default="train", choices=("train", "dev", "eval"))
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--threshold", type=float, help="probability (default: the shipped one)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    threshold = DeepVoiceSettings().threshold if args.threshold is None else args.threshold
    split = load_split(args.data, args.split, args.cache_dir)
    real = split.subset(~split.is_spoof)
    logits = score_split(load_model(args.model), real, (args.seconds,), torch.device("cpu"))
    probs = 1 / (1 + np.exp(-logits[args.seconds]))
    noise = added_noise(args.data, real)
    clean = noise == "none" if noise is not None else np.zeros(len(real), bool)
    print(f"real voices of {args.split}, flagged above {threshold:.3f} at {args.seconds:g} s")
    print(f"{'speaker':24s} {'clips':>6s} {'flagged':>8s} {'clean flagged':>14s}")
    for speaker, (n, share, share_clean) in flag_shares(
        probs, real.speakers, clean, threshold
    ).items():
        print(f"{speaker:24s} {n:6d} {100 * share:7.1f}% {100 * share_clean:13.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
