"""How often a model calls each real voice set synthetic: ``python scripts/flag_voice_sets.py``.

A check on data, not on a model: real recordings that a trained detector flags in most
clips may be processed (noise suppression, pitch effects) or synthetic, and teaching a
model that they are real would cost it. For each real speaker of one split (``--split``,
train by default) it prints the share of clips, and of clean clips (the channel added no
noise), whose probability at ``--seconds`` of speech is above ``--threshold`` (the shipped
weights' by default): ``corpus.operating``'s false-alarm table, on real clips only.
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
from corpus.dataset import Split, added_noise, load_split  # noqa: E402
from corpus.operating import format_rates, logit, rates_at  # noqa: E402
from corpus.scoring import score_split  # noqa: E402


def flag_rates(
    logits: np.ndarray, real: Split, clean: np.ndarray, threshold: float, seconds: float
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Per real speaker, the share of clips flagged above ``threshold`` (a probability).

    Two tables: all clips, then clean clips only (a speaker without any is not in it).
    """
    t = logit(threshold)
    every = rates_at({seconds: logits}, real, t, (seconds,))
    only_clean = rates_at({seconds: logits[clean]}, real.subset(clean), t, (seconds,))
    return every, only_clean


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
    scores = score_split(load_model(args.model), real, (args.seconds,), torch.device("cpu"))
    noise = added_noise(args.data, real)
    clean = noise == "none" if noise is not None else np.zeros(len(real), bool)
    every, only_clean = flag_rates(scores[args.seconds], real, clean, threshold, args.seconds)
    where = f"above {threshold:.3f} at {args.seconds:g} s of speech"
    print(f"real voices of {args.split}: share of clips flagged {where}")
    print(format_rates(every, (args.seconds,)))
    print(f"\nclean flagged (no added noise), {where}")
    print(format_rates(only_clean, (args.seconds,)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
