"""Does the GE2E encoder's view tell synthetic speech? ``python scripts/probe_ge2e.py``.

Round 26 of ``models/deepvoice_cnn_history.md``. Fits a back end (``corpus.ge2e_view``)
per view and duration on the train split, then ranks the round's candidates on dev by the
card's selection rule against the CNN alone (``--model``, the shipped weights): the CNN
fused with each back end, ``z(cnn) + w * z(back end)`` for w = 0.5, 1, 2, view ``dvec``
then ``lstm``, then each back end alone (``z``: standardised over the train split).
``--eval`` then scores the rule's pick, and only a pick, on the eval split: EER at 4 s per
condition beside the CNN alone, with the paired difference (``eval_deepvoice``'s table).
Features and CNN scores are cached under ``--cache-dir``; the first run takes minutes on 2
cores.
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
from callwarden.weights import sha256_of  # noqa: E402
from corpus.dataset import Split, cached_by_clip, load_split  # noqa: E402
from corpus.ge2e_view import VIEWS, back_end, cached_views, standardise  # noqa: E402
from corpus.scoring import score_split  # noqa: E402
from corpus.selection import DevScore, dev_row  # noqa: E402
from eval_deepvoice import every_condition  # noqa: E402
from eval_deepvoice import print_paired as print_eval  # noqa: E402
from select_deepvoice import print_paired, print_table  # noqa: E402

DURATIONS_S = (2.0, 4.0)
WEIGHTS = (0.5, 1.0, 2.0)
Scores = dict[float, np.ndarray]


def cnn_scores(model_path: Path, split: Split, path: Path) -> Scores:
    """The CNN's accumulated logits at 2 and 4 s, scored once into ``path`` (npz)."""

    def compute() -> dict[str, np.ndarray]:
        scores = score_split(load_model(model_path), split, DURATIONS_S, torch.device("cpu"))
        return {f"s{d:g}": scores[d] for d in DURATIONS_S}

    cached = cached_by_clip(path, split, compute)
    return {d: cached[f"s{d:g}"] for d in DURATIONS_S}


def candidates(
    cnn: tuple[Scores, Scores], backs: tuple[dict[str, Scores], dict[str, Scores]]
) -> dict[str, Scores]:
    """The round's candidates on the scored split, in the history's order.

    Args:
        cnn: the CNN's (train, scored split) scores.
        backs: the back ends' (train, scored split) scores, per view.
    """
    (cnn_train, cnn_split), (back_train, back_split), out = cnn, backs, {}
    for view in VIEWS:
        for w in WEIGHTS:
            out[f"stage + {w:g} x {view}"] = {
                d: standardise(cnn_split[d], cnn_train[d])
                + w * standardise(back_split[view][d], back_train[view][d])
                for d in DURATIONS_S
            }
    for view in VIEWS:
        out[f"{view} alone"] = back_split[view]
    return out


def fit_back_ends(train: Split, feats: list[dict[str, np.ndarray]]) -> list[dict[str, Scores]]:
    """Per split (train's first), each view's back-end scores at 2 and 4 s, fit on train."""
    out: list[dict[str, Scores]] = [{v: {} for v in VIEWS} for _ in feats]
    for view in VIEWS:
        for d in DURATIONS_S:
            key = f"{view}_{d:g}"
            model = back_end().fit(feats[0][key], train.is_spoof)
            for scores, split_feats in zip(out, feats, strict=True):
                scores[view][d] = model.decision_function(split_feats[key])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus_g")
    ap.add_argument("--model", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models", help="GE2E weights")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval", action="store_true", help="score the pick on eval (a look)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    names = ["train", "dev", *(["eval"] if args.eval else [])]
    splits = [load_split(args.data, s, args.cache_dir) for s in names]
    stem = args.cache_dir / "ge2e" / args.data.name
    stem.parent.mkdir(parents=True, exist_ok=True)
    tag = sha256_of(args.model)[:12]
    cnn = [
        cnn_scores(args.model, s, Path(f"{stem}_{n}_cnn_{tag}.npz"))
        for n, s in zip(names, splits, strict=True)
    ]
    feats = [
        cached_views(args.models_dir, s, DURATIONS_S, Path(f"{stem}_{n}_views.npz"))
        for n, s in zip(names, splits, strict=True)
    ]
    backs = fit_back_ends(splits[0], feats)
    dev = splits[1]
    on_dev = candidates((cnn[0], cnn[1]), (backs[0], backs[1]))
    base = dev_row(str(args.model), cnn[1][2.0], cnn[1][4.0], dev)
    rows: list[DevScore] = [dev_row(n, s[2.0], s[4.0], dev) for n, s in on_dev.items()]
    chosen = print_table(base, rows)
    print_paired([base.name, *on_dev], [cnn[1][4.0], *(s[4.0] for s in on_dev.values())], dev)
    if args.eval and chosen is not None:
        fused = candidates((cnn[0], cnn[2]), (backs[0], backs[2]))[chosen.name][4.0]
        every = every_condition(splits[2], args.data)
        print_eval("the CNN alone", cnn[2][4.0], fused, splits[2], every, 4.0)
    elif args.eval:
        print("no pick: eval not looked at")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
