"""Pick among candidate deep-voice weights on dev: ``python scripts/select_deepvoice.py PT...``.

Scores the baseline (``--baseline``, the shipped weights by default) and every candidate
on the dev split only, never eval: dev EER at 2 and 4 s, and at 4 s on the TTS voices that
are only in dev and on the resyntheses of the real voices that never train. Prints the
table and the rule's pick (``corpus.selection``); score eval once, for the pick, with
``eval_deepvoice.py --model``. ``--breakdown`` adds, per model, dev EER at 4 s by system,
for the dev-only TTS voices, by the noise the channel added and for the never-trained dev
voices' resyntheses (in all and by noise): a diagnosis of where dev's errors are, not
part of the rule. After the table, each candidate's 4 s EERs minus the baseline's with a
95 % interval from paired resamples of dev's voices (``corpus.metrics.bootstrap_eers``):
how far apart dev can tell two networks, also not part of the rule.

``--ensembles N`` makes the candidates ensembles instead: the baseline with every one to N
of the listed networks, mean logit (fewer members first, in the order given), each network
scored once. Round 19 chose its distillation teachers this way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from corpus.build import griffin_lim_frames  # noqa: E402
from corpus.dataset import Split, added_noise, load_split  # noqa: E402
from corpus.metrics import paired_difference  # noqa: E402
from corpus.scoring import score_split  # noqa: E402
from corpus.selection import (  # noqa: E402
    DevScore,
    breakdown,
    dev_row,
    pick,
    proxies,
    qualifies,
)

Scores = dict[float, np.ndarray]


def ensembles(baseline: Path, pool: Sequence[Path], most: int) -> list[list[Path]]:
    """The baseline with every 1 to ``most`` of ``pool``: fewer members first, pool order."""
    return [
        [baseline, *members]
        for k in range(1, most + 1)
        for members in itertools.combinations(pool, k)
    ]


def dev_score(
    members: Sequence[Path], dev: Split, scored: dict[Path, Scores]
) -> tuple[DevScore, np.ndarray]:
    """One network's or ensemble's (mean logit) dev numbers and its dev scores at 4 s.

    Each network is scored once into ``scored`` and reused by every ensemble it is in.
    The unseen-TTS EER is NaN where dev has no TTS voices of its own (ASVspoof dev).
    """
    for path in members:
        if path not in scored:
            scored[path] = score_split(load_model(path), dev, (2.0, 4.0), torch.device("cpu"))
    s2, s4 = (np.mean([scored[p][d] for p in members], axis=0) for d in (2.0, 4.0))
    row = dev_row("+".join(str(p) for p in members), s2, s4, dev)
    return row, s4


def print_table(base: DevScore, rows: list[DevScore]) -> DevScore | None:
    """The rule's table, baseline first, and its pick (returned; None: keep the baseline)."""
    print(
        f"{'model':44s} {'dev 2 s':>8s} {'dev 4 s':>8s} {'unseen TTS 4 s':>15s} "
        f"{'unseen voices 4 s':>18s}  qualifies"
    )
    for row in (base, *rows):
        verdict = "baseline" if row is base else ("yes" if qualifies(row, base) else "no")
        print(
            f"{row.name[-44:]:44s} {100 * row.eer_2s:8.2f} {100 * row.eer_4s:8.2f} "
            f"{100 * row.unseen_tts_4s:15.2f} {100 * row.unseen_voices_4s:18.2f}  {verdict}"
        )
    chosen = pick(rows, base)
    print(f"pick: {chosen.name}" if chosen else "pick: none qualifies, keep the baseline")
    return chosen


def print_breakdown(names: list[str], tables: list[dict[str, float]]) -> None:
    """One row per model, one column per group (dev EER % at 4 s)."""
    groups = list(tables[0])
    print(
        "\ndev EER % at 4 s: all real clips against each group of spoof clips; 'unseen': "
        "the real clips of dev's never-trained voices against their resyntheses"
    )
    print(f"{'model':44s} " + " ".join(f"{g:>13s}" for g in groups))
    for name, table in zip(names, tables, strict=True):
        print(f"{name[-44:]:44s} " + " ".join(f"{100 * table[g]:13.2f}" for g in groups))


def print_paired(names: list[str], scores: list[np.ndarray], dev: Split) -> None:
    """Each candidate minus the baseline (first) at 4 s, EER points with a 95 % interval."""
    groups = proxies(dev)
    print("\npaired with the baseline: EER % at 4 s, candidate minus baseline (95 % interval)")
    print(f"{'model':44s} " + " ".join(f"{g:>22s}" for g in groups))
    for name, candidate in zip(names[1:], scores[1:], strict=True):
        cells = []
        for real, fake in groups.values():
            diff, lo, hi = paired_difference(candidate, scores[0], real, fake, dev.speakers, 500)
            cells.append(f"{diff:+.2f} ({lo:+.2f}..{hi:+.2f})")
        print(f"{name[-44:]:44s} " + " ".join(f"{c:>22s}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("candidates", type=Path, nargs="+", help="conservative ones first")
    ap.add_argument("--baseline", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--breakdown", action="store_true", help="dev EER by system, noise, Griffin-Lim frames"
    )
    ap.add_argument(
        "--json", type=Path, help="also write the table here (for scripts/plot_dev_trade.py)"
    )
    ap.add_argument(
        "--ensembles",
        type=int,
        default=0,
        help="candidates are the baseline averaged with every 1..N of the listed networks",
    )
    args = ap.parse_args(argv)
    if args.json:  # before the minutes of scoring, not after them
        args.json.parent.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.threads)
    dev = load_split(args.data, "dev", args.cache_dir)
    candidates = (
        ensembles(args.baseline, args.candidates, args.ensembles)
        if args.ensembles
        else [[c] for c in args.candidates]
    )
    cache: dict[Path, Scores] = {}
    scored = [
        dev_score(members, dev, cache)
        for members in tqdm([[args.baseline], *candidates], desc="scoring dev", unit="model")
    ]
    base, *rows = [row for row, _ in scored]
    chosen = print_table(base, rows)
    if args.json:
        table = {
            "baseline": asdict(base),
            "candidates": [asdict(row) | {"qualifies": qualifies(row, base)} for row in rows],
            "pick": chosen.name if chosen else None,
        }
        args.json.write_text(json.dumps(table, indent=1) + "\n")
    print_paired([row.name for row, _ in scored], [s for _, s in scored], dev)
    if args.breakdown:
        noise, frames = added_noise(args.data, dev), griffin_lim_frames(dev)
        print_breakdown(
            [row.name for row, _ in scored],
            [breakdown(s, dev, noise, frames) for _, s in scored],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
