"""Plot a learning curve over training voices: ``plot_voice_curve.py SELECT.json --out PNG``.

``SELECT.json`` is a ``select_deepvoice.py --json`` table of networks trained with
``train_deepvoice.py --train-voices N``; each network's N is read from its weights. Prints
the mean EERs by N and draws them (``corpus.plots.plot_voice_curve``).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus.plots import plot_voice_curve  # noqa: E402


def train_voices(weights: Path) -> int:
    """The ``--train-voices N`` a network was trained with (its weights' command line)."""
    words = shlex.split(torch.load(weights, weights_only=False)["meta"]["command"])
    if "--train-voices" not in words:
        raise SystemExit(f"{weights} was not trained with --train-voices N")
    return int(words[words.index("--train-voices") + 1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", type=Path, help="a select_deepvoice.py --json file")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    rows = json.loads(args.table.read_text())["candidates"]
    points = [
        (train_voices(Path(r["name"])), r["unseen_voices_4s"], r["unseen_tts_4s"]) for r in rows
    ]
    print("voices  runs  unseen voices 4 s  dev-only TTS 4 s  (dev EER %, means)")
    for n in sorted({p[0] for p in points}):
        mine = [p for p in points if p[0] == n]
        voices, tts = (100 * np.mean([p[k] for p in mine]) for k in (1, 2))
        print(f"{n:6d}  {len(mine):4d}  {voices:17.2f}  {tts:16.2f}")
    plot_voice_curve(points, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
