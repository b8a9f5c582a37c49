"""The corpus plan: which utterances to make, from what, in which split (deterministic).

Bona fide speakers are the Asterisk voice sets (Allison speaks both en and es, so both sets
are one speaker): the 8 kHz WAV core sounds and two GSM 06.10 prompt packages, Colombian
Spanish (``es_co``, July E. Jiménez) and French (``armelle``, Armelle Desjardins).
``june``, ``menardi`` and ``armelle`` are held out for test; the other sets give train and
dev by a hash split of their prompt files. TTS voices are split the same way (some voices
only in test), and the whole ``piper`` family (neural VITS) appears only in test:
the threat that matters is an unseen neural TTS, and piper is the only neural voice we
have, so training on it would leave nothing to measure that with.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

SOUNDS_DIR = Path("/usr/share/asterisk/sounds")
VOICE_SETS = {  # set id (in utterance ids): (folder under SOUNDS_DIR, speaker, language)
    "en_US_f_Allison": ("en_US_f_Allison", "allison", "en"),
    "es_MX_f_Allison": ("es_MX_f_Allison", "allison", "es"),
    "fr_CA_f_June": ("fr_CA_f_June", "june", "fr"),
    "it_IT_f_Menardi": ("it_IT_f_Menardi", "menardi", "it"),
    "it_IT_m_Carlo": ("it_IT_m_Carlo", "carlo", "it"),
    "ru_RU_f_IvrvoiceRU": ("ru_RU_f_IvrvoiceRU", "ivrvoice_ru", "ru"),
    # Debian asterisk-prompt-es-co (GPL) and asterisk-prompt-fr-armelle (BSD-style): raw GSM
    "es_CO_f_Colombia": ("es", "es_co", "es"),
    "fr_FR_f_Armelle": ("fr", "armelle", "fr"),
}
# Armelle is French, like june: French bona fide stays test-only, so language is no cue
# (French espeak is test-only too); es_co trains, adding a second recording chain (GSM
# prompts from another studio) beside the core sounds' to the training speakers.
TEST_SPEAKERS = frozenset({"june", "menardi", "armelle"})
AUDIO_SUFFIXES = (".wav", ".gsm")
HELD_OUT_FAMILIES = frozenset({"piper"})
TTS_VOICES = {  # family: (train voices, test voices)
    "espeak": (("m1", "m2", "m3", "m4", "f1", "f2", "f3"), ("m7", "f4", "klatt2")),
    "flite": (("kal", "slt", "rms"), ("awb",)),
    "festival": (("kal", "slt_hts"), ("ked",)),
    "piper": ((), ("joe",)),
}
# utterances per (family, split): bona fide and resynthesis counts are per voice set
COUNTS = {
    "bonafide": {"train": 100, "dev": 14, "eval": 60},
    "world": {"train": 35, "dev": 6, "eval": 25},
    "griffinlim": {"train": 40, "dev": 6, "eval": 20},
    "espeak": {"train": 100, "dev": 20, "eval": 40},
    "flite": {"train": 80, "dev": 15, "eval": 30},
    "festival": {"train": 70, "dev": 14, "eval": 30},
    "piper": {"train": 0, "dev": 0, "eval": 120},
}
SKIP_WORDS = ("beep", "tone", "silence", "ring")


@dataclass(frozen=True)
class Job:
    """One utterance to make: from prompt files (real or resynthesised) or from texts."""

    utt_id: str
    speaker: str
    family: str  # "bonafide" or a spoof family
    voice: str
    split: str
    lang: str
    sources: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``bonafide`` or ``spoof``."""
        return "bonafide" if self.family == "bonafide" else "spoof"

    @property
    def seed_key(self) -> int:
        """A stable per-utterance key mixed into the corpus seed."""
        return zlib.crc32(self.utt_id.encode())


def prompt_files(folder: str) -> list[Path]:
    """The speech prompts (WAV or raw GSM) under ``folder`` at least 0.6 s long, sorted."""
    out = []
    for path in sorted((SOUNDS_DIR / folder).rglob("*")):
        if path.suffix not in AUDIO_SUFFIXES:
            continue
        if any(w in str(path.relative_to(SOUNDS_DIR)) for w in SKIP_WORDS):
            continue
        if sf.info(str(path)).duration >= 0.6:
            out.append(path)
    return out


def _source_split(path: Path, speaker: str, test_speakers: frozenset[str]) -> str:
    if speaker in test_speakers:
        return "eval"
    return "dev" if zlib.crc32(path.name.encode()) % 100 < 15 else "train"


def plan(
    seed: int,
    scale: float = 1.0,
    per_utt_sources: int = 12,
    test_speakers: frozenset[str] = TEST_SPEAKERS,
) -> list[Job]:
    """Every job of the corpus, in a fixed order; ``scale`` shrinks the counts (tests).

    ``test_speakers`` empty puts every real voice in train/dev (a deployment model, whose
    eval split then holds spoofs only).
    """
    from .texts import BY_LANGUAGE

    jobs: list[Job] = []
    for voice_set, (folder, speaker, lang) in VOICE_SETS.items():
        files = prompt_files(folder)
        for split in ("train", "dev", "eval"):
            pool = [str(p) for p in files if _source_split(p, speaker, test_speakers) == split]
            if not pool:
                continue
            for family in ("bonafide", "world", "griffinlim"):
                for i in range(_count(family, split, scale)):
                    utt = f"{family}_{voice_set}_{split}_{i:04d}"
                    picks = _rng(seed, utt).choice(
                        len(pool), min(per_utt_sources, len(pool)), False
                    )
                    sources = tuple(pool[k] for k in picks)
                    jobs.append(Job(utt, speaker, family, speaker, split, lang, sources=sources))
    for family, (train_voices, test_voices) in TTS_VOICES.items():
        for split in ("train", "dev", "eval"):
            voices = test_voices if split == "eval" else train_voices
            for i in range(_count(family, split, scale) if voices else 0):
                utt, voice = f"{family}_{split}_{i:04d}", voices[i % len(voices)]
                rng = _rng(seed, utt)
                lang = _tts_lang(family, split, rng)
                texts = tuple(
                    BY_LANGUAGE[lang][k] for k in rng.permutation(len(BY_LANGUAGE[lang]))[:4]
                )
                jobs.append(Job(utt, f"{family}-{voice}", family, voice, split, lang, texts=texts))
    return jobs


def _rng(seed: int, utt_id: str) -> np.random.Generator:
    """Each job's own generator, so changing one count leaves every other job as it was."""
    return np.random.default_rng([seed, zlib.crc32(utt_id.encode())])


def _count(family: str, split: str, scale: float) -> int:
    n = COUNTS[family][split]
    return 0 if n == 0 else max(1, round(n * scale))


def _tts_lang(family: str, split: str, rng: np.random.Generator) -> str:
    if family != "espeak":
        return "en"
    # French bona fide is test-only, so French espeak is too: language must not be a cue
    langs = ("en", "es", "fr", "it", "ru") if split == "eval" else ("en", "en", "es", "it", "ru")
    return str(rng.choice(langs))
