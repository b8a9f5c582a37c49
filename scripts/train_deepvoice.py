"""Train the deep-voice LCNN: ``python scripts/train_deepvoice.py [--data DIR] [--out PT]``.

Reads the corpus (or an ASVspoof 2019 LA root) through compact int16 caches, trains on
random 1 s crops of the train split, stops early on the dev split's EER (never the eval
split) and saves the best weights with their config. Uses CUDA when available.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deep_voice import load_model  # noqa: E402
from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn  # noqa: E402
from corpus.adversary import VoiceAdversary, named_voices  # noqa: E402
from corpus.augment import (  # noqa: E402
    clip_weights,
    hold_music,
    mix_noise,
    mix_pair_noise,
    paired_crops,
    random_crops,
    rawboost,
    twin_pairs,
    voice_subset,
)
from corpus.channel import moh_tracks  # noqa: E402
from corpus.crossfit import move_voices  # noqa: E402
from corpus.dataset import RATE_HZ, Split, concat, load_split, read_npz  # noqa: E402
from corpus.grafts import grafted  # noqa: E402
from corpus.losses import step_loss  # noqa: E402
from corpus.metrics import eer  # noqa: E402
from corpus.scoring import score_split  # noqa: E402
from corpus.sharpness import sam_gradients  # noqa: E402


def train_epoch(
    model: DeepVoiceCnn,
    opt: torch.optim.Optimizer,
    split: Split,
    args: argparse.Namespace,
    rng: np.random.Generator,
    device: torch.device,
) -> float:
    model.train()
    losses = []
    weights = clip_weights(split, args.balance)
    teachers = getattr(args, "teachers_loaded", None)
    pairs = getattr(args, "twin_pairs", None)
    n_pairs = args.pairs if pairs is not None else 0
    sam = getattr(args, "sam", 0.0)
    for _ in range(args.steps):
        crop = int(args.crop_s * RATE_HZ)
        x, picks = random_crops(split, args.batch, crop, rng, args.speed * args.augment, weights)
        if n_pairs:
            xp, pp = paired_crops(split, pairs, n_pairs, crop, rng, args.speed * args.augment)
            x, picks = np.concatenate([x, xp]), np.concatenate([picks, pp])
        y = split.is_spoof[picks].astype(np.float32)
        before = x.copy() if teachers else x  # mix_noise works in place
        if args.rawboost:  # the usual crops only: a pair's two crops would get two channels
            x[: args.batch] = rawboost(x[: args.batch], args.rawboost, rng)
        if args.noise:
            x[: args.batch] = mix_noise(x[: args.batch], args.noise, rng, args.music_audio)
            if n_pairs:
                x[args.batch :] = mix_pair_noise(x[args.batch :], args.noise, rng, args.music_audio)
        gain = rng.uniform(0.3, 1.5, size=(len(x), 1)).astype(np.float32)
        if n_pairs:
            gain[args.batch + n_pairs :] = gain[args.batch : args.batch + n_pairs]
        masks = int(rng.integers(2**62)) if sam else rng  # --sam scores a batch twice
        batch = (x * gain, y, before, split.speakers[picks])
        loss_of = partial(step_loss, model, args, batch, masks, device)
        opt.zero_grad()
        loss = loss_of()
        loss.backward()
        if sam:
            params = [p for group in opt.param_groups for p in group["params"]]
            sam_gradients(model, params, sam, loss_of)
        opt.step()
        losses.append(float(loss.detach()))
    return float(np.mean(losses))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--out", type=Path, default=ROOT / "models/deepvoice_cnn.pt")
    # defaults: the shipped model's recipe (models/deepvoice_cnn.md), before its fine-tune
    ap.add_argument("--epochs", type=int, default=120)
    ap.add_argument("--steps", type=int, default=100, help="batches per epoch")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--crop-s", type=float, default=1.0)
    ap.add_argument("--patience", type=int, default=25)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--n-fft", type=int, default=256)
    ap.add_argument("--hop-length", type=int, default=40, help="STFT hop in samples")
    ap.add_argument("--win-length", type=int, default=200, help="STFT window in samples")
    ap.add_argument("--no-cmn", dest="cmn", action="store_false", help="keep the bins' means")
    ap.add_argument(
        "--no-phase", dest="phase", action="store_false", help="no phase-deviation channel"
    )
    ap.add_argument(
        "--group-delay", action="store_true", help="add a group-delay-deviation channel"
    )
    ap.add_argument(
        "--long-window",
        type=int,
        default=0,
        help="add log power and phase channels from this longer STFT (samples; 0 = none)",
    )
    ap.add_argument("--first-kernel", type=int, default=5, help="the first convolution's size")
    ap.add_argument("--attention", action="store_true", help="pool time by a learnt weighted mean")
    ap.add_argument("--no-augment", dest="augment", action="store_false")
    ap.add_argument(
        "--speed", type=float, default=0.1, help="crops sped up or slowed by up to this"
    )
    ap.add_argument(
        "--noise", type=float, default=0.0, help="share of crops given fresh noise (0 = none)"
    )
    ap.add_argument("--music", type=Path, help="hold music for --noise (a packed music.npz)")
    ap.add_argument(
        "--rawboost",
        type=float,
        default=0.0,
        help="share of crops passed through a random filter, bend and clicks (0 = none)",
    )
    ap.add_argument(
        "--anchor",
        type=float,
        default=0.0,
        help="weight of a pull towards the --init network's outputs on the crops before "
        "fresh noise (0 = none; needs --init or --teachers)",
    )
    ap.add_argument(
        "--teachers",
        type=Path,
        nargs="+",
        help="for --anchor: these networks' mean logit is the target, not --init's",
    )
    ap.add_argument(
        "--adversary",
        type=float,
        default=0.0,
        help="how hard the network is pushed to hide which training voice it hears "
        "(corpus.adversary; 0 = not at all)",
    )
    ap.add_argument(
        "--adversary-on",
        choices=("all", "real"),
        default="all",
        help="the voices the adversary names: every train voice, or the real ones only",
    )
    ap.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="add this many resynthesis/real-twin pairs to each batch, ranked by a pairwise "
        "loss (needs a corpus built with build.py --twins; 0 = none)",
    )
    ap.add_argument("--pair-weight", type=float, default=1.0, help="the --pairs loss's weight")
    ap.add_argument(
        "--sam", type=float, default=0.0, help="sharpness-aware minimisation's radius (0 = off)"
    )
    ap.add_argument(
        "--train-voices",
        type=int,
        default=0,
        help="train on only this many real voices (drawn by --seed, with their resyntheses; "
        "every TTS clip stays): a learning curve over voices (0 = all)",
    )
    ap.add_argument(
        "--balance",
        choices=("clip", "sqrt", "family"),
        default="clip",
        help="spoof crops: every clip alike, every system (family) alike, or in between",
    )
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--limit", type=int, default=0, help="use at most this many clips per split")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pack", type=Path, help="only write train/dev caches, cut short, here")
    ap.add_argument(
        "--pack-s", type=float, nargs=2, default=(2.0, 2.0), help="train, dev seconds kept"
    )
    ap.add_argument("--pack-train-start-s", type=float, default=0.0, help="train slice start")
    ap.add_argument(
        "--pack-parts",
        type=int,
        default=1,
        help="split train into this many folders (p0 has dev too), each carried on its own",
    )
    ap.add_argument(
        "--packed", type=Path, nargs="+", help="train from the folders written by --pack"
    )
    ap.add_argument(
        "--cosine-head",
        action="store_true",
        help="a one-class cosine head with OC-softmax's margins (round 31); with --init, "
        "its last layer's weight becomes the head's direction",
    )
    ap.add_argument(
        "--dev-voices-train",
        nargs="+",
        default=[],
        help="move these never-trained dev voices into train (round 32's cross-fitting)",
    )
    ap.add_argument("--init", type=Path, help="start from this checkpoint (its config wins)")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads (shared hosts)")
    ap.add_argument("--time-limit-min", type=float, default=0.0, help="stop after (0 = none)")
    ap.add_argument(
        "--stop-epoch", type=int, default=0, help="stop after this epoch, schedule unchanged"
    )
    return ap.parse_args(argv)


def load_data(args: argparse.Namespace) -> tuple[Split, Split]:
    """(train, dev) from packed caches or from the corpus (building its caches)."""
    if args.packed:
        parts = [read_npz(folder / "train.npz") for folder in args.packed]
        return concat(parts), read_npz(args.packed[0] / "dev.npz")
    train = load_split(args.data, "train", args.cache_dir, args.limit)
    return train, load_split(args.data, "dev", args.cache_dir, args.limit)


def corpus_name(args: argparse.Namespace) -> str:
    """The corpus folder's name: ``--data``'s, or the one ``--packed`` was cut from."""
    source = args.packed[0] / "corpus.txt" if args.packed else None
    if source is not None and source.exists():
        return source.read_text().strip()
    return "packed" if args.packed else str(args.data.name)


def collapsed(scores: np.ndarray) -> bool:
    """Whether a network gives (nearly) one score to every clip: a constant, useless output.

    Its dev EER is 50 % (``corpus.metrics``), so early stopping never keeps such an epoch;
    training says so, since a run that stays collapsed is wasted.
    """
    return bool(np.ptp(scores) < 1e-4) if len(scores) else False


def fit(
    model: DeepVoiceCnn, train: Split, dev: Split, args: argparse.Namespace, device: torch.device
) -> tuple[dict[str, torch.Tensor], float]:
    """Train with early stopping on dev EER at 2 s; (best state, its dev EER).

    Ties on EER go to the more confident epoch (larger mean absolute dev log-odds).
    """
    rng = np.random.default_rng(args.seed)
    head = getattr(args, "adversary_head", None)
    params = [*model.parameters(), *(head.parameters() if head is not None else ())]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    best, best_state, stale = (2.0, 0.0), dict(model.state_dict()), 0
    deadline = time.monotonic() + 60 * args.time_limit_min if args.time_limit_min else None
    for epoch in range(1, args.epochs + 1):
        if deadline is not None and time.monotonic() > deadline:
            print(f"time limit reached before epoch {epoch}")
            break
        if args.stop_epoch and epoch > args.stop_epoch:
            break
        start = time.monotonic()
        loss = train_epoch(model, opt, train, args, rng, device)
        sched.step()
        scores = score_split(model, dev, durations_s=(2.0,), device=device)[2.0]
        dev_eer, _ = eer(scores[~dev.is_spoof], scores[dev.is_spoof])
        key = (dev_eer, -float(np.abs(scores).mean()))
        print(
            f"epoch {epoch:2d} loss {loss:.4f} dev EER(2 s) {100 * dev_eer:5.2f} % "
            f"({time.monotonic() - start:.0f} s)"
        )
        if collapsed(scores):
            print(f"warning: epoch {epoch} scores every dev clip alike: the network collapsed")
        if key < best:
            best, stale = key, 0
            best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        elif (stale := stale + 1) >= args.patience:
            break
    return best_state, best[0]


def write_pack(train: Split, dev: Split, args: argparse.Namespace) -> None:
    """Cut caches to carry: ``--pack`` itself, or ``--pack``/p0 ... when in parts.

    Parts take every n-th clip, so each holds both classes and every system.
    """
    train = train.cropped(args.pack_s[0], args.pack_train_start_s)
    n = args.pack_parts
    folders = [args.pack] if n == 1 else [args.pack / f"p{k}" for k in range(n)]
    for k, folder in enumerate(folders):
        train.subset(np.arange(len(train)) % n == k).save(folder / "train.npz", compressed=True)
    dev.cropped(args.pack_s[1]).save(folders[0] / "dev.npz", compressed=True)
    (folders[0] / "corpus.txt").write_text(args.data.resolve().name)  # for the weights' meta
    if moh_tracks():  # for --noise on the machine the folders are carried to
        np.savez(args.pack / "music.npz", audio=hold_music(None))
    sizes = ", ".join(
        f"{f}: {sum(p.stat().st_size for p in f.iterdir()) >> 20} MiB" for f in folders
    )
    print(f"packed {len(train)} train and {len(dev)} dev clips ({sizes})")


def build_model(args: argparse.Namespace) -> DeepVoiceCnn:
    """A fresh network from the flags, or the ``--init`` checkpoint's (fine-tuning).

    ``--group-delay``, ``--long-window`` or ``--attention`` with an ``--init`` network that
    lacks it grafts it on (``grafted``); ``--cosine-head`` reads its head as cosines (round
    31). The checkpoint's other config wins.
    """
    if args.init:
        init = grafted(load_model(args.init), args.group_delay, args.attention, args.long_window)
        if args.cosine_head and not init.config.cosine_head:  # the same weights, read as cosines
            cosine = DeepVoiceCnn(replace(init.config, cosine_head=True))
            cosine.load_state_dict(init.state_dict())
            init = cosine
        return init.train()
    return DeepVoiceCnn(
        CnnConfig(
            args.n_fft,
            args.win_length,
            args.hop_length,
            args.width,
            args.cmn,
            args.phase,
            args.group_delay,
            args.first_kernel,
            args.attention,
            args.long_window,
            args.cosine_head,
        )
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.anchor and not (args.init or args.teachers):
        raise SystemExit("--anchor pulls towards the --init network or --teachers: give one")
    if args.teachers and not args.anchor:
        raise SystemExit("--teachers are heard only through --anchor: give --anchor W")
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train, dev = load_data(args)
    if args.pack:
        write_pack(train, dev, args)
        return 0
    if args.dev_voices_train:
        train, dev = move_voices(train, dev, args.dev_voices_train)
        print(f"dev voices moved to train: {', '.join(sorted(args.dev_voices_train))}")
    if args.train_voices:
        train, kept = voice_subset(train, args.train_voices, np.random.default_rng(args.seed))
        print(f"real voices kept: {', '.join(kept)}")
    args.music_audio = hold_music(args.music) if args.noise else None
    if args.pairs:
        args.twin_pairs = twin_pairs(train)
        if not len(args.twin_pairs):
            raise SystemExit(
                "--pairs needs twins in the train split: build the corpus with "
                "scripts/corpus/build.py --twins"
            )
        print(f"{len(args.twin_pairs)} resynthesis/twin pairs, {args.pairs} a batch")
    teachers = args.teachers or ([args.init] if args.anchor else [])
    args.teachers_loaded = [load_model(t).to(device) for t in teachers]
    model = build_model(args)
    config = model.config
    if args.adversary:
        width = model.head[0].in_features
        voices = named_voices(train, args.adversary_on)
        args.adversary_head = VoiceAdversary(width, voices).to(device)
    print(f"device {device}; train {len(train)} clips, dev {len(dev)} clips")
    state, dev_eer = fit(model.to(device), train, dev, args, device)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "command": " ".join(["python scripts/train_deepvoice.py", *(argv or sys.argv[1:])]),
        "dev_eer_2s": dev_eer,
        "train_clips": len(train),
        "data": corpus_name(args),
    }
    torch.save({"config": config.to_dict(), "state_dict": state, "meta": meta}, args.out)
    print(f"saved {args.out} (dev EER {100 * dev_eer:.2f} %) meta {json.dumps(meta)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
