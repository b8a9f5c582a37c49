"""Evaluate DeepDetection beside the paper and our LCNN: ``python scripts/eval_deepdetection.py``.

Test clips: the corpus's dev split (train speakers' unseen prompts, seen generators) plus
the eval split less the held-out speakers' enrolment half (unseen voices and the held-out
piper family). Each clip is scored as the live stream scores a call: 1 s windows every
0.5 s over its first N seconds, mean per-slice log-probability. Bona fide clips of speakers
who are not the classifier's users count for the deep-voice EER, not for user F1. The
operating threshold on P(deep voice) is chosen on the dev split alone (at most ``--max-fa``
dev bona fide false alarms at the longest duration) and the test rates at it are printed.
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
from callwarden.detectors.deepdetection import load_classifier, load_encoder  # noqa: E402
from corpus.dataset import Split, load_split  # noqa: E402
from corpus.deepdetection_data import labels_of, train_and_test  # noqa: E402
from corpus.metrics import eer  # noqa: E402
from corpus.operating import format_rates, probability, rates_at, threshold_at_fa  # noqa: E402
from corpus.plan import HELD_OUT_FAMILIES  # noqa: E402
from corpus.scoring import score_split, windows  # noqa: E402

PAPER = {"F1 deep voice": 1.0, "F1 users (macro)": 0.9905, "EER deep voice": float("nan")}


def clip_log_probs(tap: object, cls: object, split: Split, duration_s: float) -> np.ndarray:
    """Mean per-slice log-probabilities ``(clips, classes)`` over the first ``duration_s``."""
    out = []
    for i in range(len(split)):
        rows = [cls.classify(tap.encode(w)) for w in windows(split.clip(i), duration_s, 1.0, 0.5)]  # type: ignore[attr-defined]
        out.append(np.concatenate(rows).mean(axis=0))
    return np.array(out)


def f1(truth: np.ndarray, pred: np.ndarray, cls: int) -> float:
    """F1 of one class."""
    tp = float(np.sum((truth == cls) & (pred == cls)))
    fp, fn = (
        float(np.sum((truth != cls) & (pred == cls))),
        float(np.sum((truth == cls) & (pred != cls))),
    )
    return 2 * tp / max(2 * tp + fp + fn, 1.0)


def deep_logit(log_probs: np.ndarray) -> np.ndarray:
    """log-odds of deep voice against every user (the detector's score is its sigmoid)."""
    return np.asarray(log_probs[:, -1] - np.logaddexp.reduce(log_probs[:, :-1], axis=1))


def operating_point(
    tap: object, cls: object, dev: Split, test: Split, durations: list[float], max_fa: float
) -> float:
    """Print the dev-chosen threshold and the test rates at it; return the threshold."""
    d_max = max(durations)
    dev_scores = deep_logit(clip_log_probs(tap, cls, dev, d_max))
    t = threshold_at_fa(dev_scores[~dev.is_spoof], max_fa)
    scores = {d: deep_logit(clip_log_probs(tap, cls, test, d)) for d in durations}
    print(
        f"operating threshold {probability(t):.4f}: dev bona fide false alarms "
        f"<= {100 * max_fa:g} % at {d_max:g} s; test rates (real: false alarms %, spoof: misses %)"
    )
    print(format_rates(rates_at(scores, test, t, durations), durations))
    return probability(t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--durations", type=float, nargs="+", default=[1.0, 4.0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--max-fa", type=float, default=0.02, help="dev false-alarm target")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    tap = load_encoder(args.models_dir / "deepdetection_encoder.pt")
    cls = load_classifier(args.models_dir / "deepdetection_classifier.pt")
    splits = [
        load_split(args.data, s, args.cache_dir, args.limit) for s in ("train", "dev", "eval")
    ]
    _, all_test, _ = train_and_test(splits[0], splits[1], splits[2], None)
    assert all_test is not None
    operating_point(tap, cls, splits[1], all_test, args.durations, args.max_fa)
    test = all_test.subset(all_test.is_spoof | np.isin(all_test.speakers, cls.labels[:-1]))
    truth = labels_of(test, cls.labels[:-1])
    deep = len(cls.labels) - 1
    held = np.isin(test.systems, sorted(HELD_OUT_FAMILIES))
    lcnn_path = args.models_dir / "deepvoice_cnn.pt"
    lcnn = load_model(lcnn_path) if lcnn_path.exists() else None
    print(f"classes {cls.labels}; {len(test)} test clips ({int(test.is_spoof.sum())} spoof)")
    print(
        f"{'speech':>6s} {'F1 deep':>8s} {'F1 users':>9s} {'EER all':>8s} {'EER piper':>9s} "
        f"{'LCNN EER all':>12s} {'LCNN piper':>10s}"
    )
    for d in args.durations:
        lp = clip_log_probs(tap, cls, test, d)
        pred = lp.argmax(axis=1)
        users_f1 = np.mean([f1(truth, pred, c) for c in range(deep)])
        p_deep = deep_logit(lp)
        bona = ~test.is_spoof
        row = [
            f1(truth, pred, deep),
            users_f1,
            eer(p_deep[bona], p_deep[test.is_spoof])[0],
            eer(p_deep[bona], p_deep[held])[0],
        ]
        if lcnn is not None:
            s = score_split(lcnn, test, (d,), torch.device("cpu"))[d]
            row += [eer(s[bona], s[test.is_spoof])[0], eer(s[bona], s[held])[0]]
        print(f"{d:6.1f} " + " ".join(f"{100 * v:8.2f}%" for v in row))
    print("paper (ASVspoof 2019 LA, 16 kHz, closed set): F1 deep voice 100 %, F1 users 99.05 %")
    print("command: " + " ".join(["python scripts/eval_deepdetection.py", *(argv or sys.argv[1:])]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
