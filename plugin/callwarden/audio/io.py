"""Reading recordings from disk and refusing ones no detector can use.

Every error is one line that names the file.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf

from callwarden.audio.pcm import alaw_decode, int16_to_float, ulaw_decode
from callwarden.errors import AudioError
from callwarden.frames import Samples

MIN_RATE_HZ = 8000
MIN_DURATION_S = 0.1
SILENT_PEAK_DBFS = -50.0
CLIP_LEVEL = 0.999
MAX_CLIPPED_FRACTION = 0.01

_G711_RATE_HZ = 8000
_ULAW_SUFFIXES = frozenset({".ulaw", ".ul", ".mulaw", ".pcmu"})
_ALAW_SUFFIXES = frozenset({".alaw", ".al", ".pcma"})
_GSM_SUFFIX = ".gsm"  # raw GSM 06.10 at 8 kHz, Asterisk's classic prompt format
_UNKNOWN_DATA_SIZES = (0, 0xFFFFFFFF)  # written by streaming recorders that never seek back


def read_audio(path: Path) -> tuple[Samples, int]:
    """Read a recording as float32 mono samples.

    WAV, FLAC and OGG (any sample format, rate and channel count; channels are averaged)
    are read with soundfile; ``.ulaw .ul .mulaw .pcmu`` and ``.alaw .al .pcma`` files are
    raw G.711 at 8 kHz; ``.gsm`` is raw GSM 06.10 at 8 kHz, decoded by sox.

    Args:
        path: the file.

    Returns:
        ``(samples, sample_rate_hz)`` with samples of shape ``(n,)``.

    Raises:
        AudioError: missing, empty, truncated, unreadable or below-8-kHz audio.
    """
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if not path.is_file():
        raise AudioError(f"{path}: not a file")
    try:
        size = path.stat().st_size
        if size == 0:
            raise AudioError(f"{path}: empty file (0 bytes)")
        suffix = path.suffix.lower()
        if suffix in _ULAW_SUFFIXES:
            return ulaw_decode(path.read_bytes()), _G711_RATE_HZ
        if suffix in _ALAW_SUFFIXES:
            return alaw_decode(path.read_bytes()), _G711_RATE_HZ
        if suffix == _GSM_SUFFIX:
            return _read_gsm(path), _G711_RATE_HZ
        _check_wav_complete(path, size)
        try:
            data, rate = sf.read(path, dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            raise AudioError(
                f"{path}: not a readable audio file (unknown format or corrupt header)"
            ) from exc
    except OSError as exc:
        raise AudioError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if data.shape[0] == 0:
        raise AudioError(f"{path}: empty: the file holds no audio samples")
    if rate < MIN_RATE_HZ:
        raise AudioError(f"{path}: sample rate {rate} Hz is too low (at least 8000 Hz needed)")
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1)
    return np.ascontiguousarray(mono, dtype=np.float32), int(rate)


def _read_gsm(path: Path) -> Samples:
    sox = shutil.which("sox")
    if sox is None:
        raise AudioError(f"{path}: reading raw GSM needs sox (apt-get install sox)")
    command = [sox, "-q", "-t", "gsm", str(path), "-t", "raw", "-e", "signed", "-b", "16", "-"]
    done = subprocess.run(command, capture_output=True, check=False, timeout=60)
    if done.returncode != 0 or not done.stdout:
        raise AudioError(f"{path}: not a readable GSM 06.10 file")
    return int16_to_float(np.frombuffer(done.stdout, dtype="<i2"))


def _check_wav_complete(path: Path, size: int) -> None:
    """Refuse a RIFF/WAVE file whose chunks (its audio, usually) run past the file's end.

    libsndfile reads such a file up to where it was cut and only warns, so a half-copied
    recording would otherwise pass as a shorter one.
    """
    with path.open("rb") as f:
        head = f.read(12)
        if head[:4] != b"RIFF":
            return
        if len(head) < 12:
            raise AudioError(f"{path}: truncated: the file ends inside its RIFF header")
        if head[8:12] != b"WAVE":
            return
        pos = 12
        while pos < size:
            f.seek(pos)
            chunk_head = f.read(8)
            if len(chunk_head) < 8:
                raise AudioError(f"{path}: truncated: the file ends inside a chunk header")
            chunk_id, chunk_size = struct.unpack("<4sI", chunk_head)
            present = size - pos - 8
            if chunk_id == b"data":
                if chunk_size not in _UNKNOWN_DATA_SIZES and chunk_size > present:
                    raise AudioError(
                        f"{path}: truncated: the header declares {chunk_size} bytes of audio"
                        f" but only {present} are present"
                    )
                return
            if chunk_size > present:
                name = chunk_id.decode("ascii", "replace").strip()
                raise AudioError(f"{path}: truncated: the file ends inside its '{name}' chunk")
            pos += 8 + chunk_size + (chunk_size & 1)


def check_usable(samples: Samples, sample_rate_hz: int, name: str) -> None:
    """Refuse audio that is too short, silent, clipped or not finite.

    Args:
        samples: float samples, shape ``(n,)``.
        sample_rate_hz: their rate.
        name: what to call the audio in the message (usually the file's path).

    Raises:
        AudioError: naming ``name`` and the problem in one line.
    """
    x = np.asarray(samples)
    if x.ndim != 1:
        raise AudioError(f"{name}: expected mono samples of shape (n,), got shape {x.shape}")
    if not np.isfinite(x).all():
        raise AudioError(f"{name}: corrupt samples: the audio contains NaN or infinite values")
    duration_s = len(x) / sample_rate_hz
    if duration_s < MIN_DURATION_S:
        raise AudioError(f"{name}: too short ({duration_s:.3f} s; at least 0.1 s is needed)")
    peak = float(np.max(np.abs(x)))
    if peak < 10 ** (SILENT_PEAK_DBFS / 20):
        level = f"{20 * np.log10(peak):.0f} dBFS" if peak > 0 else "digital silence"
        raise AudioError(f"{name}: no signal: the recording is silent (peak {level})")
    clipped = float(np.mean(np.abs(x) >= CLIP_LEVEL))
    if clipped > MAX_CLIPPED_FRACTION:
        raise AudioError(
            f"{name}: clipped: {clipped:.1%} of samples are at full scale;"
            " re-record at a lower input gain"
        )
