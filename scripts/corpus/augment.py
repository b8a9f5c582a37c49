"""Training crops and their augmentation (``scripts/train_deepvoice.py``).

Which clips are cropped, speed changes, fresh noise and SpecAugment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .channel import MOH_DIR, MOH_SNR_DB, WHITE_SNR_DB, add_at_snr, moh_tracks
from .dataset import Split


def clip_weights(split: Split, balance: str = "clip") -> np.ndarray:
    """How likely each clip is to be cropped (both classes equally likely).

    Within spoof, every clip alike (``clip``), every system alike (``family``: a family
    with many clips, Griffin-Lim, does not crowd out one with few, the neural TTS) or in
    between (``sqrt``: a system's share grows with the square root of its clips).
    """
    spoof = split.is_spoof
    weights = np.where(spoof, 0.5 / spoof.sum(), 0.5 / (~spoof).sum())
    if balance != "clip":
        _, index, counts = np.unique(split.systems, return_inverse=True, return_counts=True)
        per_clip = 1 / counts[index] if balance == "family" else 1 / np.sqrt(counts[index])
        weights = np.where(spoof, 0.5 * per_clip / per_clip[spoof].sum(), weights)
    return weights / weights.sum()


def random_crops(
    split: Split,
    n: int,
    crop: int,
    rng: np.random.Generator,
    speed: float = 0.1,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` crops of ``crop`` samples from clips drawn by ``weights`` (``clip_weights``).

    Each crop is sped up or slowed down by up to ``speed`` (band-limited FFT resampling,
    which shifts pitch and formants but adds no artefact of its own): more voices.
    """
    p = clip_weights(split) if weights is None else weights
    picks = rng.choice(len(split), size=n, p=p)
    factors = np.linspace(1 - speed, 1 + speed, 9) if speed else np.ones(1)
    groups: dict[int, list[tuple[int, np.ndarray]]] = {}
    for row, i in enumerate(picks):
        take = round(crop * float(rng.choice(factors)))
        x = split.clip(int(i))
        if len(x) < take:
            x = np.tile(x, take // max(len(x), 1) + 1)
        start = int(rng.integers(0, len(x) - take + 1))
        groups.setdefault(take, []).append((row, x[start : start + take]))
    out = np.empty((n, crop), np.float32)
    for take, members in groups.items():
        rows = [r for r, _ in members]
        out[rows] = (
            fft_resample(np.stack([x for _, x in members]), crop)
            if take != crop
            else [x for _, x in members]
        )
    return out, split.is_spoof[picks].astype(np.float32)


def fft_resample(x: np.ndarray, length: int) -> np.ndarray:
    """Band-limited resampling of rows ``(n, m)`` to ``(n, length)`` (as scipy's resample)."""
    spec = torch.fft.rfft(torch.from_numpy(x), dim=1)
    bins = length // 2 + 1
    if spec.shape[1] >= bins:
        spec = spec[:, :bins]
    else:
        spec = torch.nn.functional.pad(spec, (0, bins - spec.shape[1]))
    return (torch.fft.irfft(spec, n=length, dim=1) * (length / x.shape[1])).numpy()


def mix_noise(
    x: np.ndarray, share: float, rng: np.random.Generator, music: np.ndarray
) -> np.ndarray:
    """Add noise to a ``share`` of crops (rows of ``x``, in place), real and synthetic alike.

    Half get white noise at 25-45 dB SNR, half hold music (int16 ``music``) at 12-25 dB:
    the corpus channel's two kinds and ranges, drawn afresh for every crop. Noise masks
    the artefacts the model looks for (eval's misses are mostly clips under hold music),
    so more noisy views of the same clips may teach it to look past the noise.
    """
    for row in np.flatnonzero(rng.random(len(x)) < share):
        n = x.shape[1]
        if rng.random() < 0.5:
            start = int(rng.integers(0, len(music) - n))
            noise, snr_db = music[start : start + n].astype(np.float32), rng.uniform(*MOH_SNR_DB)
        else:
            noise, snr_db = rng.standard_normal(n).astype(np.float32), rng.uniform(*WHITE_SNR_DB)
        x[row] = add_at_snr(x[row], noise, snr_db)
    return x


def hold_music(path: Path | None) -> np.ndarray:
    """Hold music for ``--noise``: int16 8 kHz from ``path`` (``music.npz``) or Asterisk's."""
    if path is not None:
        return np.load(path)["audio"]
    tracks = moh_tracks()
    if not tracks:
        raise SystemExit(
            f"--noise needs hold music: none at {MOH_DIR} (install asterisk-moh-opsound-wav) "
            "and no --music file given"
        )
    return (np.concatenate(tracks) * 32767).astype(np.int16)


def spec_augment(spec: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """Zero one random band of up to 16 bins and one stretch of up to 10 frames per batch."""
    spec = spec.clone()
    f0, t0 = int(rng.integers(0, spec.shape[2] - 16)), int(rng.integers(0, spec.shape[3] - 10))
    spec[:, :1, f0 : f0 + int(rng.integers(0, 16)), :] = 0
    spec[:, :1, :, t0 : t0 + int(rng.integers(0, 10))] = 0
    return spec
