"""Training crops and their augmentation (``scripts/train_deepvoice.py``).

Which clips are cropped, speed changes, fresh noise, channel distortion and SpecAugment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .channel import MOH_DIR, MOH_SNR_DB, WHITE_SNR_DB, add_at_snr, moh_tracks
from .dataset import Split
from .protocol import TWIN_MARK


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


def voice_subset(split: Split, n: int, rng: np.random.Generator) -> tuple[Split, list[str]]:
    """The split with only ``n`` of its real voices, and their resyntheses; every TTS clip.

    The voices are drawn at random, each kind in proportion (the Asterisk voices, whose
    names have no ``-``, and the KDE volunteers, ``kde-...``): how the never-trained
    voices' EER grows with the number of training voices. Returns the kept voices too.
    """
    voices = sorted(set(split.speakers[~split.is_spoof].tolist()))
    if not 0 < n <= len(voices):
        raise SystemExit(f"--train-voices {n}: the train split has {len(voices)} real voices")
    kinds: dict[str, list[str]] = {}
    for v in voices:
        kinds.setdefault(v.split("-")[0] if "-" in v else "", []).append(v)
    quota = {k: n * len(vs) / len(voices) for k, vs in kinds.items()}
    take = {k: int(q) for k, q in quota.items()}
    for k in sorted(quota, key=lambda k: int(quota[k]) - quota[k])[: n - sum(take.values())]:
        take[k] += 1  # the largest remainders
    kept = sorted(str(v) for k, vs in kinds.items() for v in rng.choice(vs, take[k], replace=False))
    dropped = sorted(set(voices) - set(kept))
    return split.subset(~np.isin(split.speakers, dropped)), kept


def random_crops(
    split: Split,
    n: int,
    crop: int,
    rng: np.random.Generator,
    speed: float = 0.1,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` crops of ``crop`` samples from clips drawn by ``weights`` (``clip_weights``).

    Returns the crops and the index of each one's clip (its label, voice and system).

    Each crop is sped up or slowed down by up to ``speed`` (band-limited FFT resampling,
    which shifts pitch and formants but adds no artefact of its own): more voices.
    """
    p = clip_weights(split) if weights is None else weights
    picks = rng.choice(len(split), size=n, p=p)
    factors = _speed_factors(speed)
    pieces = []
    for i in picks:
        take = round(crop * float(rng.choice(factors)))
        x = _long_enough(split.clip(int(i)), take)
        start = int(rng.integers(0, len(x) - take + 1))
        pieces.append(x[start : start + take])
    return _resampled(pieces, crop), picks


def twin_pairs(split: Split) -> np.ndarray:
    """``(k, 2)`` clip indices: each resynthesis that has a bona fide twin, then the twin.

    Twins are ``build.py --twins``'s ``twin_<utt>`` clips: the real audio the resynthesis
    ``<utt>`` was made from, through the same channel, time-aligned with it.
    """
    index = {str(u): i for i, u in enumerate(split.utt_ids)}
    pairs = [
        (index[str(u).removeprefix(TWIN_MARK)], i)
        for i, u in enumerate(split.utt_ids)
        if str(u).startswith(TWIN_MARK) and str(u).removeprefix(TWIN_MARK) in index
    ]
    return np.array(pairs, np.int64).reshape(-1, 2)


def paired_crops(
    split: Split,
    pairs: np.ndarray,
    n: int,
    crop: int,
    rng: np.random.Generator,
    speed: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """``2 n`` crops of ``n`` random ``twin_pairs``: the resyntheses, then their twins.

    Both crops of a pair are cut from the same place at the same speed, so they hold the
    same words of the same voice; returns the crops and each one's clip index.
    """
    rows = pairs[rng.integers(0, len(pairs), n)]
    factors = _speed_factors(speed)
    firsts, seconds = [], []
    for spoof, twin in rows:
        take = round(crop * float(rng.choice(factors)))
        a, b = split.clip(int(spoof)), split.clip(int(twin))
        m = min(len(a), len(b))
        a, b = _long_enough(a[:m], take), _long_enough(b[:m], take)
        start = int(rng.integers(0, len(a) - take + 1))
        firsts.append(a[start : start + take])
        seconds.append(b[start : start + take])
    return _resampled(firsts + seconds, crop), np.concatenate([rows[:, 0], rows[:, 1]])


def _speed_factors(speed: float) -> np.ndarray:
    """The speed changes a crop draws from: nine steps within ``1 ± speed`` (none at 0)."""
    return np.linspace(1 - speed, 1 + speed, 9) if speed else np.ones(1)


def _long_enough(x: np.ndarray, take: int) -> np.ndarray:
    """``x``, repeated when shorter than ``take`` samples."""
    return np.tile(x, take // max(len(x), 1) + 1) if len(x) < take else x


def _resampled(pieces: list[np.ndarray], crop: int) -> np.ndarray:
    """Each piece resampled to ``crop`` samples (a row each; equal lengths in one batch)."""
    out = np.empty((len(pieces), crop), np.float32)
    groups: dict[int, list[int]] = {}
    for row, piece in enumerate(pieces):
        groups.setdefault(len(piece), []).append(row)
    for take, rows in groups.items():
        stacked = np.stack([pieces[r] for r in rows])
        out[rows] = fft_resample(stacked, crop) if take != crop else stacked
    return out


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


def mix_pair_noise(
    x: np.ndarray, share: float, rng: np.random.Generator, music: np.ndarray
) -> np.ndarray:
    """``mix_noise`` for ``paired_crops`` (in place): both crops of a pair get the same noise.

    The noise is drawn for the resynthesis (first half of the rows) at its SNR and the
    same samples are added to its twin, whose level is the same (the corpus channel set
    both): fresh noise does not tell a pair apart.
    """
    n = len(x) // 2
    clean = x[:n].copy()
    x[:n] = mix_noise(x[:n], share, rng, music)
    x[n:] += x[:n] - clean
    return x


MAX_TAPS = 99  # the longest random filter; shorter ones are centred in this many taps


def random_firs(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random linear-phase FIR filters, ``(n, MAX_TAPS)``, unit gain at their peaks.

    Each is 9-99 taps long (centred, zeros around), and its response is flat but for one
    to five bands, each lifted or cut by up to 20 dB (a handset's, a room's or a cheap
    codec's colour, or a notch), smoothed over 9 of 129 frequency points, then windowed.
    """
    grid = np.linspace(0.0, 1.0, 129)  # 0 .. Nyquist
    centre, width = rng.uniform(0.02, 0.98, (n, 5, 1)), rng.uniform(0.02, 0.3, (n, 5, 1))
    used = np.arange(5)[None, :, None] < rng.integers(1, 6, (n, 1, 1))
    lift = rng.uniform(-20.0, 6.0, (n, 5, 1)) * used
    gain_db = (lift * (np.abs(grid - centre) < width / 2)).sum(axis=1)
    smooth = np.hanning(11)[1:-1] / np.hanning(11).sum()
    padded = np.pad(gain_db, ((0, 0), (4, 4)), mode="edge")
    gain_db = np.lib.stride_tricks.sliding_window_view(padded, 9, axis=1) @ smooth
    impulse = np.fft.irfft(10 ** (gain_db / 20), axis=1)  # zero phase, 256 points
    half = MAX_TAPS // 2
    h = np.concatenate([impulse[:, -half:], impulse[:, : half + 1]], axis=1)
    keep = np.abs(np.arange(-half, half + 1))[None, :] <= rng.integers(4, half + 1, (n, 1))
    taps = keep.sum(axis=1, keepdims=True)
    h = h * keep * (0.54 + 0.46 * np.cos(np.pi * np.arange(-half, half + 1) / ((taps + 1) / 2)))
    return (h / np.abs(np.fft.rfft(h, 512, axis=1)).max(axis=1, keepdims=True)).astype(np.float32)


def _through_random_filters(u: np.ndarray, rng: np.random.Generator, k: int) -> list[np.ndarray]:
    """``k`` versions of the rows of ``u``, each row through a ``random_firs`` filter of its own."""
    n, half = u.shape[1], MAX_TAPS // 2
    size = 1 << (n + MAX_TAPS).bit_length()
    spectrum = np.fft.rfft(u, size)
    out = []
    for _ in range(k):
        full = np.fft.irfft(spectrum * np.fft.rfft(random_firs(rng, len(u)), size), size)
        out.append(full[:, half : half + n])
    return out


def distort(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Crops (rows) through random channels: coloured, bent, then crackled (``--rawboost``).

    After RawBoost (Tak et al., ICASSP 2022), series of its first two kinds: the sum of
    the crop through a random filter and, weaker, the square and cube of the crop through
    two more (a linear colour plus the harmonics a cheap amplifier or microphone adds);
    then impulsive noise proportional to the signal at up to 5 % of samples (clicks,
    packet errors). Each row keeps its level (RMS). Real and synthetic crops alike.
    """
    level = np.sqrt(np.mean(x**2, axis=1, keepdims=True)) + 1e-8
    u = x / (np.abs(x).max(axis=1, keepdims=True) + 1e-8)
    y, square, cube = _through_random_filters(u, rng, 3)
    for bent, power in ((square, 2), (cube, 3)):
        y += rng.uniform(0.0, 0.3, (len(u), 1)) * bent**power
    hits = rng.random(y.shape) < rng.uniform(0.0, 0.05, (len(u), 1))
    y += hits * y * rng.uniform(-1.0, 1.0, y.shape) * rng.uniform(0.1, 1.0, (len(u), 1))
    y -= y.mean(axis=1, keepdims=True)
    return (y * level / (np.sqrt(np.mean(y**2, axis=1, keepdims=True)) + 1e-8)).astype(np.float32)


def rawboost(x: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Pass a ``share`` of crops (rows of ``x``, in place) through ``distort``'s channels."""
    rows = np.flatnonzero(rng.random(len(x)) < share)
    if rows.size:
        x[rows] = distort(x[rows], rng)
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
