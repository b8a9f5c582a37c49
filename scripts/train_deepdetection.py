"""Train DeepDetection: ``python scripts/train_deepdetection.py [--data DIR] [--packed DIR]``.

Stage 1 trains the Conv1d autoencoder on 1000-sample slices (reconstruction loss); stage 2
freezes the encoder and trains the 1D-CNN on latent features only, classes = the corpus's
bona fide speakers + "deep_voice". Writes the encoder and the classifier to two separate
weights files (the tap side and the classifier side). Uses CUDA when available.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "scripts"))

from callwarden.detectors.deepdetection.model import Decoder, Encoder, LatentCnn  # noqa: E402
from corpus.dataset import Split, load_split, read_npz  # noqa: E402
from corpus.deepdetection_data import enrol_mask, labels_of, slice_batch, train_and_test  # noqa: E402


def train_autoencoder(
    split: Split,
    labels: np.ndarray,
    args: argparse.Namespace,
    rng: np.random.Generator,
    device: torch.device,
) -> Encoder:
    """Stage 1: reconstruct slices; returns the encoder (the decoder is dropped)."""
    encoder, decoder = Encoder().to(device), Decoder().to(device)
    opt = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=2e-3)
    for step in range(1, args.ae_steps + 1):
        x, _ = slice_batch(split, labels, args.windows, rng)
        xb = torch.from_numpy(x).unsqueeze(1).to(device)
        loss = nn.functional.mse_loss(decoder(encoder(xb)), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % max(1, args.ae_steps // 5) == 0:
            snr = 10 * np.log10(float(xb.pow(2).mean()) / float(loss.detach()))
            print(f"autoencoder step {step:5d} mse {float(loss.detach()):.5f} ({snr:.1f} dB SNR)")
    return encoder.eval()


def train_classifier(
    encoder: Encoder,
    split: Split,
    labels: np.ndarray,
    n_classes: int,
    args: argparse.Namespace,
    rng: np.random.Generator,
    device: torch.device,
) -> LatentCnn:
    """Stage 2: the classifier learns from latent features only (encoder frozen)."""
    model = LatentCnn(n_classes).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    for step in range(1, args.cls_steps + 1):
        x, y = slice_batch(split, labels, args.windows, rng)
        with torch.no_grad():
            z = encoder(torch.from_numpy(x).unsqueeze(1).to(device))
        loss = nn.functional.cross_entropy(model(z), torch.from_numpy(y).to(device))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % max(1, args.cls_steps // 10) == 0:
            print(f"classifier step {step:5d} loss {float(loss.detach()):.4f}")
    return model.eval()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data/deepvoice/corpus")
    ap.add_argument("--cache-dir", type=Path, default=ROOT / "data/deepvoice/cache")
    ap.add_argument("--packed", type=Path, help="train.npz, dev.npz, enrol.npz from --pack")
    ap.add_argument("--pack", type=Path, help="only write enrol.npz (held-out speakers' half)")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--ae-steps", type=int, default=1500)
    ap.add_argument("--cls-steps", type=int, default=3000)
    ap.add_argument("--windows", type=int, default=32, help="1 s windows per batch (x8 slices)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if args.packed:
        train, dev = read_npz(args.packed / "train.npz"), read_npz(args.packed / "dev.npz")
        evaluation, enrol = None, read_npz(args.packed / "enrol.npz")
    else:
        train = load_split(args.data, "train", args.cache_dir, args.limit)
        dev = load_split(args.data, "dev", args.cache_dir, args.limit)
        evaluation, enrol = load_split(args.data, "eval", args.cache_dir, args.limit), None
    if args.pack:
        assert evaluation is not None
        evaluation.subset(enrol_mask(evaluation)).cropped(4.0).save(args.pack / "enrol.npz", True)
        return 0
    training, _, classes = train_and_test(train, dev, evaluation, enrol)
    labels = labels_of(training, classes[:-1])
    print(f"device {device}; classes {classes}; {len(training)} training clips")
    encoder = train_autoencoder(training, labels, args, rng, device)
    classifier = train_classifier(encoder, training, labels, len(classes), args, rng, device)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    enc_state = {k: v.cpu() for k, v in encoder.state_dict().items()}
    cls_state = {k: v.cpu() for k, v in classifier.state_dict().items()}
    torch.save({"encoder": enc_state}, args.out_dir / "deepdetection_encoder.pt")
    torch.save(
        {"classifier": cls_state, "labels": list(classes)},
        args.out_dir / "deepdetection_classifier.pt",
    )
    print(f"saved {args.out_dir}/deepdetection_encoder.pt and deepdetection_classifier.pt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
