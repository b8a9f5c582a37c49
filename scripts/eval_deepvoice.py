"""Evaluate the deep-voice model: ``python scripts/eval_deepvoice.py [--model PT] [--data DIR]``.

EER and min t-DCF-style cost on the eval split, per condition (held-out generator family;
held-out speakers x voices of seen families; all) at 0.5, 1, 2 and 4 s of speech, scored as
the live stream scores a call. Then the operating point: the threshold is chosen on the dev
split (at most ``--max-fa`` false alarms at ``--fa-at-s`` seconds on the dev speakers that
training never saw, ``corpus.voices.DEV_SPEAKERS``; all dev bona fide where there are none,
as in ASVspoof) or given by ``--threshold``, and the eval false-alarm rate per real speaker
and miss rate per system are reported at it. Writes a DET curve and score histograms (PNG)
and ``results.json`` to ``--report``; prints the tables, the real-time factor on one core
and the command.

Each EER comes with a 95 % interval from resampling voices, then clips, within each class
(``corpus.metrics.bootstrap_eers``): eval has nine real speakers, and the interval says how
far their number alone limits what an EER can show. ``--against PT`` scores a second
model (or several) on the same clips and prints the paired difference per condition with
its interval. On a corpus built with ``--wide-eval`` (fifteen real speakers, not nine)
held-out speakers are also reported on eval's first nine and on the wide eval's alone,
each against its own real clips.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from corpus.dataset import Split, added_noise, load_split  # noqa: E402
from corpus.metrics import bootstrap_eers, eer, interval, min_tdcf, paired_difference  # noqa: E402
from corpus.operating import (  # noqa: E402
    format_rates,
    logit,
    probability,
    rates_at,
    threshold_at_fa,
)
from corpus.plan import HELD_OUT_FAMILIES, is_wide  # noqa: E402
from corpus.plots import plot_det, plot_histograms  # noqa: E402
from corpus.protocol import layout  # noqa: E402
from corpus.scoring import real_time_factor, score_split  # noqa: E402
from corpus.selection import NOISES, unseen_tts_eer  # noqa: E402
from corpus.voices import DEV_SPEAKERS  # noqa: E402


def noise_conditions(split: Split, noise: np.ndarray | None) -> dict[str, np.ndarray]:
    """Held-out speakers x voices, split by the noise the channel added.

    Noise hides the artefacts the model looks for (the card's "Noise hides the artefacts").
    """
    if noise is None:
        return {}
    held = split.is_spoof & ~np.isin(split.systems, sorted(HELD_OUT_FAMILIES))
    masks = {f"held-out speakers, {name}": held & (noise == k) for k, name in NOISES.items()}
    return {name: mask for name, mask in masks.items() if mask.any()}


def conditions(split: Split, corpus_layout: str) -> dict[str, np.ndarray]:
    """Masks of the spoof clips in each condition (bona fide clips are always all of them)."""
    held = np.isin(split.systems, sorted(HELD_OUT_FAMILIES))
    out = {"all": split.is_spoof}
    if corpus_layout == "callwarden":
        for family in HELD_OUT_FAMILIES:
            mask = split.is_spoof & (split.systems == family)
            if mask.any():  # gcloud is in the wide eval only
                out[f"held-out family ({family})"] = mask
        out["held-out speakers x voices"] = split.is_spoof & ~held
    return out


def wide_conditions(split: Split) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``(bona fide, spoof)`` masks of held-out speakers x voices, first nine and wide eval.

    Each part is scored against its own real clips; none without ``--wide-eval``.
    """
    wide = is_wide(split.utt_ids)
    if not wide.any():
        return {}
    held = split.is_spoof & ~np.isin(split.systems, sorted(HELD_OUT_FAMILIES))
    bona = ~split.is_spoof
    return {
        "held-out speakers, first nine": (bona & ~wide, held & ~wide),
        "held-out speakers, wide eval": (bona & wide, held & wide),
    }


def operating_point(
    model: torch.nn.Module,
    evaluation: tuple[Split, dict[float, np.ndarray]],
    args: argparse.Namespace,
) -> dict[str, object]:
    """Choose the threshold on dev (or take ``--threshold``); rates on dev and eval at it."""
    durations = sorted({*(d for d in args.durations if d >= 1.0), args.fa_at_s})
    dev = load_split(args.data, "dev", args.cache_dir, args.limit)
    dev_scores = score_split(model, dev, durations, torch.device("cpu"))
    if args.threshold is None:
        unseen = ~dev.is_spoof & np.isin(dev.speakers, sorted(DEV_SPEAKERS))
        calib = unseen if unseen.any() else ~dev.is_spoof
        t = threshold_at_fa(dev_scores[args.fa_at_s][calib], args.max_fa)
        who = "unseen dev speakers'" if unseen.any() else "dev bona fide"
        how = f"{who} false alarms <= {100 * args.max_fa:g} % at {args.fa_at_s:g} s"
    else:
        t, how = logit(args.threshold), "given by --threshold"
    dev_eer = {
        f"{d:g}": eer(dev_scores[d][~dev.is_spoof], dev_scores[d][dev.is_spoof])[0]
        for d in durations
    }
    unseen = {f"{d:g}": unseen_tts_eer(dev_scores[d], dev) for d in durations}
    dev_unseen_tts = {d: e for d, e in unseen.items() if not math.isnan(e)}
    split, scores = evaluation
    out = {
        "threshold": probability(t),
        "threshold_logit": t,
        "chosen_by": how,
        "dev_eer": dev_eer,
        "dev_eer_unseen_tts": dev_unseen_tts,
        "dev": rates_at(dev_scores, dev, t, durations),
        "eval": rates_at(scores, split, t, durations, by_voice=HELD_OUT_FAMILIES),
    }
    print(f"\noperating threshold {probability(t):.4f} (logit {t:.2f}), {how}")
    print("dev EER: " + ", ".join(f"{k} s {100 * v:.2f} %" for k, v in dev_eer.items()))
    if dev_unseen_tts:
        eers = ", ".join(f"{k} s {100 * v:.2f} %" for k, v in dev_unseen_tts.items())
        print(f"dev EER, TTS voices only in dev (never trained): {eers}")
    for name in ("dev", "eval"):
        print(f"{name} at the threshold (real: false alarms %, spoof: misses %):")
        print(format_rates(out[name], durations))  # type: ignore[arg-type]
    return out


def every_condition(split: Split, data: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``(bona fide, spoof)`` masks of every condition eval reports, in its order."""
    by_noise = noise_conditions(split, added_noise(data, split))
    every = {
        name: (~split.is_spoof, mask)
        for name, mask in {**conditions(split, layout(data)), **by_noise}.items()
    }
    every.update(wide_conditions(split))
    return every


def print_paired(
    other_name: object,
    other: np.ndarray,
    scores: np.ndarray,
    split: Split,
    every: dict[str, tuple[np.ndarray, np.ndarray]],
    d: float,
) -> None:
    """EER of ``scores`` minus ``other``'s (the same clips at ``d`` s), paired resamples."""
    print(f"\npaired with {other_name} at {d:g} s: EER % of this model minus that one's")
    print(f"{'condition':34s} {'this':>6s} {'that':>6s} {'diff':>6s} {'95 % interval':>14s}")
    for name, (bona, mask) in every.items():
        diff, lo, hi = paired_difference(scores, other, bona, mask, split.speakers)
        this = 100 * eer(scores[bona], scores[mask])[0]
        span = f"{lo:+.2f}..{hi:+.2f}"
        print(f"{name:34s} {this:6.2f} {this - diff:6.2f} {diff:+6.2f} {span:>14s}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--model", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    ap.add_argument("--report", type=Path, default=ROOT / "data/deepvoice/report")
    ap.add_argument("--durations", type=float, nargs="+", default=[0.5, 1.0, 2.0, 4.0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rtf-s", type=float, default=60.0, help="audio seconds for the RTF run")
    ap.add_argument("--max-fa", type=float, default=0.02, help="dev false-alarm target")
    ap.add_argument("--fa-at-s", type=float, default=4.0, help="speech at which it holds")
    ap.add_argument("--threshold", type=float, help="use this probability instead of dev's")
    ap.add_argument(
        "--against", type=Path, nargs="+", default=[], help="paired EER differences to these"
    )
    args = ap.parse_args(argv)
    model = load_model(args.model)
    split = load_split(args.data, "eval", args.cache_dir, args.limit)
    scores = score_split(model, split, args.durations, torch.device("cpu"))
    rows = []
    print(
        f"{'condition':34s} {'speech':>6s} {'bona':>5s} {'spoof':>5s} {'EER %':>7s} "
        f"{'95 % interval':>14s} {'minDCF':>7s}"
    )
    every = every_condition(split, args.data)
    for name, (bona, mask) in every.items():
        for d in args.durations:
            e, _ = eer(scores[d][bona], scores[d][mask])
            c = min_tdcf(scores[d][bona], scores[d][mask])
            lo, hi = interval(
                bootstrap_eers(
                    scores[d][bona], scores[d][mask], split.speakers[bona], split.speakers[mask]
                )[:, 0]
            )
            rows.append(
                {
                    "condition": name,
                    "speech_s": d,
                    "eer": e,
                    "eer_interval_95": [lo, hi],
                    "min_tdcf": c,
                    "n_bona": int(bona.sum()),
                    "n_spoof": int(mask.sum()),
                }
            )
            print(
                f"{name:34s} {d:6.1f} {bona.sum():5d} {mask.sum():5d} {100 * e:7.2f} "
                f"{f'{100 * lo:.2f}-{100 * hi:.2f}':>14s} {c:7.3f}"
            )
    for other in args.against:
        d = max(args.durations)
        theirs = score_split(load_model(other), split, (d,), torch.device("cpu"))[d]
        print_paired(other, theirs, scores[d], split, every, d)
    per_system = {}
    d = max(args.durations)
    bona = ~split.is_spoof
    for system in sorted(set(split.systems[split.is_spoof].tolist())):
        mask = split.systems == system
        per_system[system] = eer(scores[d][bona], scores[d][mask])[0]
    print(
        f"per system at {d:g} s: "
        + ", ".join(f"{k} {100 * v:.2f} %" for k, v in per_system.items())
    )
    operating = operating_point(model, (split, scores), args)
    rtf = real_time_factor(model, args.rtf_s)
    print(f"RTF on one core (1 s windows, 0.5 s hop): {rtf:.4f}")
    args.report.mkdir(parents=True, exist_ok=True)
    plot_det(scores, bona, conditions(split, layout(args.data)), args.report / "det.png")
    plot_histograms(scores, bona, split.is_spoof, args.report / "histograms.png")
    command = " ".join(["python scripts/eval_deepvoice.py", *(argv or sys.argv[1:])])
    (args.report / "results.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "per_system_eer": per_system,
                "operating": operating,
                "rtf": rtf,
                "command": command,
            },
            indent=1,
        )
    )
    print(f"wrote {args.report}/det.png, histograms.png, results.json\ncommand: {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
