"""The corpus plan: which utterances to make, from what, in which split (deterministic).

The real voices and their roles are ``corpus.voices``'s. Real recordings give bona fide
clips and their resyntheses (WORLD, Griffin-Lim, mel inversion) in the split of their
speaker; training speakers' prompt files go to train or dev by a hash. TTS voices are split
the same way (some voices only in test), and the whole ``piper`` family (neural VITS)
appears only in test: the threat that matters is an unseen neural TTS. The one other neural
TTS that installs offline, ``hibari`` (a small network distilled from Kokoro-82M that
predicts STFT frames, decoded by an inverse STFT: no VITS, no HiFi-GAN), trains and is in
dev, never in test.

With ``wide_eval`` (``build.py --wide-eval``; the model card's "A wider eval") the eval
split gains ``corpus.voices.wide_sets``: real voices the default corpus never uses and that
can be no training or dev volunteer, with their resyntheses and new texts in eval's unseen
TTS voices. Eval's nine real speakers become fifteen; the default clips are unchanged (ids
marked ``_wide_`` are the new ones). It cannot be combined with ``more_voices``, which
trains on some of these voices. The wide eval also holds a second held-out family,
``gcloud``: Google Cloud TTS voices in six languages, pre-rendered (``corpus.gcloud``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .gcloud import GCLOUD_TRAIN, GCLOUD_VOICES, gcloud_files
from .voices import DEV_SPEAKERS, TEST_SPEAKERS, VoiceSet, asterisk_sets, volunteer_sets, wide_sets

WIDE_MARK = "_wide_"  # in the utterance ids of the wide eval's clips
WIDE_COUNTS = {"bonafide": 25, "world": 10, "griffinlim": 10, "melgl": 5}  # per voice set
WIDE_TTS_COUNTS = {"espeak": 30, "flite": 24, "festival": 24}  # eval's unseen voices, new texts
WIDE_GCLOUD_COUNT = 20  # per Google voice: six voices, 120 clips, as many as piper's
GCLOUD_TRAIN_COUNT = 60  # per trained Google voice with --gcloud-train (round 24)
HELD_OUT_FAMILIES = ("piper", "gcloud")  # in report order; gcloud: in the wide eval only
TTS_VOICES = {  # family: (train voices, test voices)
    "espeak": (("m1", "m2", "m3", "m4", "f1", "f2", "f3"), ("m7", "f4", "klatt2")),
    "flite": (("kal", "slt", "rms"), ("awb",)),
    "festival": (("kal", "slt_hts"), ("ked",)),
    "piper": ((), ("joe",)),
    "hibari": (("heart",), ()),  # one voice in its wheel: train and dev only
}
# TTS voices only in dev, never trained or tested: dev then also ranks models on voices they
# never heard (eval's "unseen voices of seen families"), not only on their training voices
DEV_TTS_VOICES = {"espeak": ("m5", "f5", "klatt3"), "festival": ("msu_ru",)}
DEV_TTS_COUNT = 30  # clips per family
# round 30: nine more Festival voices only in dev (ids <family>_devmore_<i>), so the rule's
# guard on unheard TTS rests on thirteen voices rather than four; the clips above are kept
DEV_TTS_MORE = {
    "festival": (
        "cs_dita",
        "cs_krb",
        "cs_machac",
        "cs_ph",
        "ca_ona_hts",
        "fi_mv",
        "fi_lj",
        "it_lp",
        "it_pc",
    )
}
DEV_TTS_MORE_COUNT = 12  # clips per voice
DEV_TTS_FIRST = frozenset(f"{f}-{v}" for f, voices in DEV_TTS_VOICES.items() for v in voices)
DEV_TTS_ADDED = frozenset(f"{f}-{v}" for f, voices in DEV_TTS_MORE.items() for v in voices)
DEV_TTS_SPEAKERS = DEV_TTS_FIRST | DEV_TTS_ADDED
# the language each voice that reads only one (or reads one well) is given: the Czech
# voices read English, the Catalan one Spanish, the Finnish ones Italian (both spell as
# they sound); every other voice reads its family's languages (``_tts_lang``)
TTS_LANGS = {
    "msu_ru": "ru",
    **dict.fromkeys(("cs_dita", "cs_krb", "cs_machac", "cs_ph"), "en"),
    "ca_ona_hts": "es",
    **dict.fromkeys(("fi_mv", "fi_lj", "it_lp", "it_pc"), "it"),
}
# utterances per (family, split): bona fide and resynthesis counts are per voice set
COUNTS = {
    "bonafide": {"train": 100, "dev": 14, "eval": 60},
    "world": {"train": 35, "dev": 6, "eval": 25},
    "griffinlim": {"train": 60, "dev": 6, "eval": 20},  # train 40 in the previous corpus
    "melgl": {"train": 35, "dev": 4, "eval": 10},
    "espeak": {"train": 100, "dev": 20, "eval": 40},
    "flite": {"train": 80, "dev": 15, "eval": 30},
    "festival": {"train": 70, "dev": 14, "eval": 30},
    "piper": {"train": 0, "dev": 0, "eval": 120},
    "hibari": {"train": 160, "dev": 30, "eval": 0},
}
# the corpus before the KDE voices, melgl and hibari: its families and counts only
PREVIOUS_COUNTS = {
    **{f: COUNTS[f] for f in ("bonafide", "world", "espeak", "flite", "festival", "piper")},
    "griffinlim": {"train": 40, "dev": 6, "eval": 20},
}
# the same per KDE set (a few minutes of words each); "unseen" = a DEV_SPEAKERS set, whose
# resyntheses are twice eval's per set, so dev holds eval's hard condition (voices never
# trained, resynthesised, under every channel) in numbers that can rank models
KDE_COUNTS = {
    "bonafide": {"train": 30, "dev": 4, "unseen": 20, "eval": 20},
    "world": {"train": 10, "dev": 1, "unseen": 12, "eval": 6},
    "griffinlim": {"train": 30, "dev": 1, "unseen": 12, "eval": 6},
    "melgl": {"train": 15, "dev": 1, "unseen": 8, "eval": 4},
}
RESYNTH_FAMILIES = ("bonafide", "world", "griffinlim", "melgl")
# copy-synthesis through telephone-band vocoders, train only (build.py --vocoders, round 25):
# clips per family and train voice set, prompt sets and word sets
VOCODER_FAMILIES = ("lpc10", "codec2")
VOCODER_COUNTS = {"prompts": 30, "words": 10}
# the families whose pieces are recordings (real, or Google's pre-rendered words)
FROM_RECORDINGS = frozenset({*RESYNTH_FAMILIES, *VOCODER_FAMILIES, "gcloud"})


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


def is_wide(utt_ids: np.ndarray) -> np.ndarray:
    """Which utterances belong to the wide eval (``build.py --wide-eval``), as a bool mask."""
    return np.char.find(utt_ids.astype(str), WIDE_MARK) >= 0


def _source_split(path: Path, speaker: str, test_speakers: frozenset[str]) -> str:
    role = _role(speaker, test_speakers)
    if role != "train":
        return role
    return "dev" if zlib.crc32(path.name.encode()) % 100 < 15 else "train"


def plan(
    seed: int,
    scale: float = 1.0,
    per_utt_sources: int = 12,
    test_speakers: frozenset[str] = TEST_SPEAKERS,
    previous: bool = False,
    more_voices: bool = False,
    wide_eval: bool = False,
    gcloud_train: bool = False,
    vocoders: bool = False,
) -> list[Job]:
    """Every job of the corpus, in a fixed order; ``scale`` shrinks the counts (tests).

    ``test_speakers`` empty puts every real voice in train/dev (a deployment model, whose
    eval split then holds spoofs only). ``previous`` plans only the corpus from before the
    KDE voices, the mel generator and hibari (its clips are unchanged, bit for bit);
    ``more_voices`` adds the Tux Paint and Fish Fillets voices to train and dev;
    ``wide_eval`` adds the wide eval's voices to eval (``wide_jobs``); ``gcloud_train``
    (round 24) trains on three Google voices and keeps the other three for the wide eval;
    ``vocoders`` (round 25) adds ``VOCODER_FAMILIES`` resyntheses of the train voices.
    """
    if wide_eval and (more_voices or previous):
        raise ValueError("the wide eval holds voices --more-voices trains on; use one or the other")
    jobs: list[Job] = []
    counts = PREVIOUS_COUNTS if previous else COUNTS
    sets = asterisk_sets()
    more = {} if previous else volunteer_sets(more_voices)
    families = [f for f in RESYNTH_FAMILIES if f in counts]
    if scale < 1:  # a small corpus (tests): one KDE set per role is enough
        kde = [(k, v) for k, v in more.items() if k.startswith("kde_")]
        roles = {_role(v.speaker, test_speakers): k for k, v in reversed(kde)}
        more = {k: more[k] for k in sorted(roles.values())}
    for voice_set, vs in {**sets, **more}.items():
        speaker = vs.speaker
        for split in ("train", "dev", "eval"):
            pool = [str(p) for p in vs.files if _source_split(p, speaker, test_speakers) == split]
            if not pool:
                continue
            unseen = speaker in DEV_SPEAKERS
            n = {f: _count(counts, f, split, scale, vs.words, unseen) for f in families}
            jobs += _source_jobs(seed, f"{voice_set}_{split}", vs, split, pool, n, per_utt_sources)
    for family, (train_voices, test_voices) in TTS_VOICES.items():
        if family not in counts:
            continue
        for split in ("train", "dev", "eval"):
            voices = test_voices if split == "eval" else train_voices
            n = _count(counts, family, split, scale) if voices else 0
            jobs += _tts_jobs(seed, family, voices, n, split, split)
    for family, voices in {} if previous else DEV_TTS_VOICES.items():
        n = max(1, round(DEV_TTS_COUNT * scale))
        jobs += _tts_jobs(seed, family, voices, n, "devunseen", "dev")
    for family, voices in {} if previous else DEV_TTS_MORE.items():
        n = len(voices) * max(1, round(DEV_TTS_MORE_COUNT * scale))
        jobs += _tts_jobs(seed, family, voices, n, "devmore", "dev")
    if gcloud_train:
        jobs += gcloud_train_jobs(seed, scale)
    if vocoders:
        jobs += vocoder_jobs(seed, {**sets, **more}, test_speakers, scale, per_utt_sources)
    return jobs + wide_jobs(seed, scale, gcloud_train) if wide_eval else jobs


def vocoder_jobs(
    seed: int,
    sets: dict[str, VoiceSet],
    test_speakers: frozenset[str],
    scale: float = 1.0,
    per_utt_sources: int = 12,
) -> list[Job]:
    """Round 25's ``--vocoders``: LPC-10 and Codec 2 copies of the train voices' train prompts.

    Ids ``<family>_<set>_train_<i>``; dev and eval are left as they are.
    """
    jobs = []
    for voice_set, vs in sets.items():
        pool = [str(p) for p in vs.files if _source_split(p, vs.speaker, test_speakers) == "train"]
        if pool:
            k = max(1, round(VOCODER_COUNTS["words" if vs.words else "prompts"] * scale))
            n = dict.fromkeys(VOCODER_FAMILIES, k)
            jobs += _source_jobs(seed, f"{voice_set}_train", vs, "train", pool, n, per_utt_sources)
    return jobs


def _source_jobs(
    seed: int,
    tag: str,
    vs: VoiceSet,
    split: str,
    pool: list[str],
    counts: dict[str, int],
    per_utt_sources: int = 12,
) -> list[Job]:
    """One voice set's jobs: ``counts[family]`` per family (bona fide and resyntheses).

    Ids ``<family>_<tag>_<i>``; each joins up to ``per_utt_sources`` recordings of ``pool``
    (20 of a set of words), drawn by its own generator.
    """
    jobs = []
    for family, n in counts.items():
        for i in range(n):
            utt = f"{family}_{tag}_{i:04d}"
            take = min(20 if vs.words else per_utt_sources, len(pool))
            picks = _rng(seed, utt).choice(len(pool), take, False)
            sources = tuple(pool[k] for k in picks)
            jobs.append(Job(utt, vs.speaker, family, vs.speaker, split, vs.lang, sources))
    return jobs


def _tts_jobs(
    seed: int, family: str, voices: tuple[str, ...], n: int, tag: str, split: str
) -> list[Job]:
    """``n`` jobs of one TTS family taking its ``voices`` in turn, ids ``<family>_<tag>_<i>``."""
    return [
        _tts_job(f"{family}_{tag}_{i:04d}", family, voices[i % len(voices)], split, seed)
        for i in range(n)
    ]


def wide_jobs(seed: int, scale: float = 1.0, gcloud_train: bool = False) -> list[Job]:
    """The wide eval's jobs: ``wide_sets`` and their resyntheses, and eval's unseen TTS voices.

    Every voice set gives ``WIDE_COUNTS`` whatever its kind, so each new speaker weighs the
    same; the TTS clips keep eval's share of TTS among held-out-speaker spoofs.
    """
    sets = wide_sets()
    if scale < 1:  # a small corpus (tests): one Tux Paint and one Fish Fillets voice
        sets = {k: sets[k] for k in sorted(sets) if k in ("wide_tux_es", "wide_fillets_nl_m")}
    n = {family: max(1, round(count * scale)) for family, count in WIDE_COUNTS.items()}
    jobs = []
    for voice_set, vs in sets.items():
        jobs += _source_jobs(seed, f"{voice_set}_eval", vs, "eval", [str(p) for p in vs.files], n)
    for family, count in WIDE_TTS_COUNTS.items():
        tts = max(1, round(count * scale))  # ids <family>_wide_eval_<i>: WIDE_MARK
        jobs += _tts_jobs(seed, family, TTS_VOICES[family][1], tts, "wide_eval", "eval")
    return jobs + gcloud_jobs(seed, scale, gcloud_train)


def gcloud_jobs(seed: int, scale: float = 1.0, trained: bool = False) -> list[Job]:
    """The held-out ``gcloud`` family: each installed voice's words, joined as KDE's are.

    Ids ``gcloud_<lang>_wide_eval_<i>`` (``WIDE_MARK``); the speaker is ``gcloud-<lang>``.
    ``trained`` (round 24's corpus) leaves out the ``GCLOUD_TRAIN`` voices, which train
    there. A small corpus (tests) takes the English voice only.
    """
    langs = [g for g in sorted(GCLOUD_VOICES) if not (trained and g in GCLOUD_TRAIN)]
    return _gcloud(seed, langs if scale >= 1 else ["en"], "eval", WIDE_GCLOUD_COUNT, scale)


def gcloud_train_jobs(seed: int, scale: float = 1.0) -> list[Job]:
    """Round 24's ``build.py --gcloud-train``: ``GCLOUD_TRAIN``'s voices in train only.

    Dev is left as it is, so models trained with and without them rank on the same dev.
    """
    langs = list(GCLOUD_TRAIN) if scale >= 1 else [GCLOUD_TRAIN[0]]
    return _gcloud(seed, langs, "train", GCLOUD_TRAIN_COUNT, scale)


def _gcloud(seed: int, langs: list[str], split: str, count: int, scale: float) -> list[Job]:
    tag = "wide_eval" if split == "eval" else split
    n = {"gcloud": max(1, round(count * scale))}
    jobs = []
    for lang in langs:
        files = gcloud_files(lang)
        if files:
            vs = VoiceSet(files, f"gcloud-{lang}", lang, words=True)
            jobs += _source_jobs(seed, f"{lang}_{tag}", vs, split, [str(f) for f in files], n)
    return jobs


def _tts_job(utt: str, family: str, voice: str, split: str, seed: int) -> Job:
    """A TTS utterance: four texts in the voice's language (or one drawn for the family)."""
    from .texts import BY_LANGUAGE

    rng = _rng(seed, utt)
    lang = TTS_LANGS.get(voice) or _tts_lang(family, split, rng)
    texts = tuple(BY_LANGUAGE[lang][k] for k in rng.permutation(len(BY_LANGUAGE[lang]))[:4])
    return Job(utt, f"{family}-{voice}", family, voice, split, lang, texts=texts)


def _role(speaker: str, test_speakers: frozenset[str]) -> str:
    return "eval" if speaker in test_speakers else "dev" if speaker in DEV_SPEAKERS else "train"


def _rng(seed: int, utt_id: str) -> np.random.Generator:
    """Each job's own generator, so changing one count leaves every other job as it was."""
    return np.random.default_rng([seed, zlib.crc32(utt_id.encode())])


def _count(
    counts: dict[str, dict[str, int]],
    family: str,
    split: str,
    scale: float,
    words: bool = False,
    unseen: bool = False,
) -> int:
    if unseen:  # a dev voice training never hears: eval's hard condition, in numbers
        n = KDE_COUNTS[family]["unseen"]
    else:
        n = KDE_COUNTS[family][split] if words else counts[family][split]
    return 0 if n == 0 else max(1, round(n * scale))


def _tts_lang(family: str, split: str, rng: np.random.Generator) -> str:
    if family != "espeak":
        return "en"
    # French bona fide is test-only, so French espeak is too: language must not be a cue
    langs = ("en", "es", "fr", "it", "ru") if split == "eval" else ("en", "en", "es", "it", "ru")
    return str(rng.choice(langs))
