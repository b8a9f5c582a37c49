"""Round 32's cross-fitted comparison on dev: ``python scripts/crossfit_deepvoice.py``.

Dev's never-trained voices are dealt into folds (``corpus.crossfit``). ``--treated`` names
one seed's fold networks by a pattern with ``{k}`` for the fold; each trained on the dev
voices outside its fold (``train_deepvoice.py --dev-voices-train``). ``--controls`` trained
on none. Per fold, at 4 s: the fold's voices against their own resyntheses ("unseen
voices") and the thirteen-voice TTS guard; then each seed's mean over the folds, the pooled
cross-fitted EER and the rule's answer. ``--candidates``, networks trained on all the
voices (one per ``--treated`` seed, in the same order), are ranked against ``--baseline``
on dev less those voices, and the pick gets a cross-fitted threshold: at most 2 % false
alarms at 4 s on the voices' real clips, as its seed's fold networks scored them. Only
dev is read; eval is scored once, for a pick, with ``eval_deepvoice.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from callwarden.weights import sha256_of  # noqa: E402
from corpus.crossfit import answer, dev_voices, fold_eers, folds, pooled  # noqa: E402
from corpus.dataset import Split, load_split  # noqa: E402
from corpus.metrics import eer  # noqa: E402
from corpus.operating import probability, threshold_at_fa  # noqa: E402
from corpus.plan import DEV_TTS_SPEAKERS  # noqa: E402

Scores = dict[float, np.ndarray]


def scored(path: Path, dev: Split, cache: Path) -> Scores:
    """A network's dev scores at 2 and 4 s, kept under ``cache`` by the weights' digest."""
    digest = sha256_of(path)[:16]
    file = cache / f"{digest}_{len(dev)}.npz"
    if file.exists():
        with np.load(file) as data:
            return {2.0: data["s2"], 4.0: data["s4"]}
    from corpus.scoring import score_split

    out = score_split(load_model(path), dev, (2.0, 4.0), torch.device("cpu"))
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(file, s2=out[2.0], s4=out[4.0])
    return out


def pct(x: float | np.floating) -> str:
    return f"{100 * x:6.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--treated", nargs="+", required=True, help="one pattern per seed, {k}")
    ap.add_argument("--controls", type=Path, nargs="+", required=True)
    ap.add_argument("--candidates", type=Path, nargs="*", default=[])
    ap.add_argument("--baseline", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)
    if args.candidates and len(args.candidates) != len(args.treated):
        raise SystemExit("give one --candidates network per --treated seed, in the same order")
    torch.set_num_threads(args.threads)
    dev = load_split(args.data, "dev", args.cache_dir)
    voices = folds(dev)
    treated = [[Path(p.format(k=k)) for k in range(len(voices))] for p in args.treated]
    nets = [*(n for seed in treated for n in seed), *args.controls, *args.candidates, args.baseline]
    missing = [str(p) for p in nets if not p.exists()]
    if missing:
        raise SystemExit(f"missing networks: {', '.join(missing)}")
    cache = args.cache_dir / "crossfit"
    s = {p: scored(p, dev, cache) for p in tqdm(nets, desc="scoring dev", unit="model")}

    print("folds: " + " | ".join(", ".join(f) for f in voices))
    runs = [*zip(args.treated, treated, strict=True)]
    runs += [(str(c), [c] * len(voices)) for c in args.controls]
    rows = [(name, fold_eers([s[n][4.0] for n in members], dev, voices)) for name, members in runs]
    print(f"\n4 s EER %, per fold: unseen voices | TTS guard{'':8s}mean over folds")
    for name, r in rows:
        cells = " ".join(pct(x) for x in r["unseen voices"])
        guard = " ".join(pct(x) for x in r["unseen TTS"])
        means = f"{pct(np.mean(r['unseen voices']))} | {pct(np.mean(r['unseen TTS']))}"
        print(f"{name[-34:]:34s} {cells} | {guard}   {means}")
    n_treated = len(treated)
    seed_means = [float(np.mean(r["unseen voices"])) for _, r in rows]
    guard_means = [float(np.mean(r["unseen TTS"])) for _, r in rows]
    verdict = answer(
        seed_means[:n_treated],
        seed_means[n_treated:],
        guard_means[:n_treated],
        guard_means[n_treated:],
    )
    print(f"\nthe question: {verdict}")
    print("\npooled over the folds (each voice scored by a network that never heard it):")
    real_by_seed = []
    for name, members in runs:  # a control's members are itself, once per fold
        real, fake = pooled([s[n][4.0] for n in members], dev, voices)
        real_by_seed.append(real)
        print(f"{name[-34:]:34s} {pct(eer(real, fake)[0])}")
    held = np.isin(dev.speakers, dev_voices(dev))
    report: dict[str, object] = {"folds": voices, "rows": dict(rows), "answer": verdict}
    if args.candidates:
        report |= rank(args, s, dev, held, real_by_seed[:n_treated], verdict)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


def rank(
    args: argparse.Namespace,
    s: dict[Path, Scores],
    dev: Split,
    held: np.ndarray,
    real_by_seed: list[np.ndarray],
    verdict: str,
) -> dict[str, object]:
    """The candidates against the baseline on dev less the moved voices; pick, threshold."""
    kept = ~held
    real, spoof = kept & ~dev.is_spoof, kept & dev.is_spoof
    tts = np.isin(dev.speakers, sorted(DEV_TTS_SPEAKERS))
    print(f"\non dev less the moved voices ({kept.sum()} clips), EER %:")
    print(f"{'model':34s} {'2 s':>6s} {'4 s':>6s} {'TTS guard':>9s}  qualifies")
    table = {}
    for p in [args.baseline, *args.candidates]:
        row = [eer(s[p][d][real], s[p][d][spoof])[0] for d in (2.0, 4.0)]
        row.append(eer(s[p][4.0][real], s[p][4.0][tts])[0])
        table[p] = row
    base = table[args.baseline]
    ok = {p: r[0] < base[0] - 1e-9 and r[2] <= base[2] + 1e-9 for p, r in table.items()}
    for p, r in table.items():
        mark = "baseline" if p == args.baseline else ("yes" if ok[p] and verdict != "no" else "no")
        print(f"{str(p)[-34:]:34s} {pct(r[0])} {pct(r[1])} {pct(r[2]):>9s}  {mark}")
    ranked = [(table[p][0], i) for i, p in enumerate(args.candidates) if ok[p]]
    if verdict == "no" or not ranked:
        print("pick: none, keep the baseline")
        return {"candidates": {str(p): r for p, r in table.items()}, "pick": None}
    i = min(ranked)[1]
    threshold = threshold_at_fa(real_by_seed[i], 0.02)
    print(
        f"pick: {args.candidates[i]}; cross-fitted threshold: logit {threshold:.3f}, "
        f"probability {probability(threshold):.4f}"
    )
    return {
        "candidates": {str(p): r for p, r in table.items()},
        "pick": str(args.candidates[i]),
        "threshold_logit": threshold,
    }


if __name__ == "__main__":
    raise SystemExit(main())
