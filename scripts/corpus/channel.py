"""A random telephone channel: level, noise (white or hold music) and a codec round trip.

The same channel distribution is applied to both classes, so a detector cannot tell them
apart by bandwidth, codec or level.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MOH_DIR = Path("/usr/share/asterisk/moh")
RATE_HZ = 8000
CODECS = ("pcm", "ulaw", "alaw", "gsm", "amr-nb")
WHITE_SNR_DB = (25.0, 45.0)  # white noise, and hold music, mixed in at an SNR in these ranges
MOH_SNR_DB = (12.0, 25.0)
SOX_RAW = ["-t", "raw", "-r", str(RATE_HZ), "-e", "signed", "-b", "16", "-c", "1"]


@dataclass(frozen=True)
class Channel:
    """One drawn channel: target level, noise kind and SNR, codec and its bit-rate mode."""

    level_dbfs: float
    noise: str  # "none", "white" or "moh"
    snr_db: float
    codec: str
    amr_mode: int


def draw_channel(rng: np.random.Generator) -> Channel:
    """Draw a channel: -32..-14 dBFS, 40 % clean, 35 % white noise, 25 % hold music."""
    u = rng.random()
    noise = "none" if u < 0.4 else ("white" if u < 0.75 else "moh")
    snr = float(rng.uniform(*WHITE_SNR_DB) if noise == "white" else rng.uniform(*MOH_SNR_DB))
    return Channel(
        level_dbfs=float(rng.uniform(-32, -14)),
        noise=noise,
        snr_db=snr,
        codec=str(rng.choice(CODECS)),
        amr_mode=int(rng.integers(0, 8)),
    )


@cache
def moh_tracks() -> tuple[np.ndarray, ...]:
    """Asterisk's 8 kHz hold-music tracks as float32 (none when the package is missing)."""
    import soundfile as sf  # here, so training on a host without it can import this module

    tracks = []
    for path in sorted(MOH_DIR.glob("*.wav")):
        x, rate = sf.read(str(path), dtype="float32", always_2d=False)
        if int(rate) == RATE_HZ:
            tracks.append(np.asarray(x, dtype=np.float32))
    return tuple(tracks)


def rms(x: np.ndarray) -> float:
    """Root mean square (never zero: the noise mixes divide by it)."""
    return float(np.sqrt(np.mean(np.square(x), dtype=np.float64)) + 1e-9)


def add_at_snr(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``x`` with ``noise`` scaled to lie ``snr_db`` below it (both as RMS)."""
    return x + noise * (rms(x) / rms(noise) / 10 ** (snr_db / 20))


def _noise(n: int, ch: Channel, rng: np.random.Generator) -> np.ndarray:
    tracks = moh_tracks() if ch.noise == "moh" else ()
    if not tracks:
        return rng.standard_normal(n).astype(np.float32)
    track = tracks[int(rng.integers(len(tracks)))]
    start = int(rng.integers(0, max(1, len(track) - n)))
    return np.resize(track[start : start + n], n)


def codec_round_trip(x: np.ndarray, codec: str, amr_mode: int = 7) -> np.ndarray:
    """Encode and decode 8 kHz audio with sox (``pcm`` only quantises to 16 bits)."""
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    if codec != "pcm":
        enc = {"ulaw": ["-t", "ul"], "alaw": ["-t", "al"], "gsm": ["-t", "gsm"]}.get(
            codec, ["-t", "amr-nb", "-C", str(amr_mode)]
        )
        coded = _sox([*SOX_RAW, "-", *enc, "-"], pcm)
        pcm = _sox([*enc[:2], "-r", str(RATE_HZ), "-c", "1", "-", *SOX_RAW, "-"], coded)
    y = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return np.resize(y, len(x)) if len(y) != len(x) else y


def _sox(args: list[str], data: bytes) -> bytes:
    # -D: no dither (random, so not repeatable; and a G.711 encoder in a phone has none)
    done = subprocess.run(["sox", "-V1", "-D", *args], input=data, capture_output=True, check=True)
    return done.stdout


def apply_channel(x: np.ndarray, ch: Channel, rng: np.random.Generator) -> np.ndarray:
    """Set the level, add noise at the drawn SNR and pass through the codec."""
    y = x * (10 ** (ch.level_dbfs / 20) / rms(x))
    if ch.noise != "none":
        y = add_at_snr(y, _noise(len(y), ch, rng), ch.snr_db)
    return codec_round_trip(np.clip(y, -1, 1).astype(np.float32), ch.codec, ch.amr_mode)
