"""The corpus plan: which utterances to make, from what, in which split (deterministic).

Bona fide speakers are the Asterisk voice sets (Allison speaks both en and es, so both sets
are one speaker): the 8 kHz WAV core sounds and two GSM 06.10 prompt packages, Colombian
Spanish (``es_co``, July E. Jiménez) and French (``armelle``, Armelle Desjardins).
``june``, ``menardi`` and ``armelle`` are held out for test; the other sets give train and
dev by a hash split of their prompt files.

Far more real voices come from two KDE education packages whose words, letters and
syllables were recorded by volunteers, one set per language, on their own microphones
(``ktuberling-data``, ``klettres-data``): many people and recording chains, which the
Asterisk studio voices lack. The speakers are not named, so every set of one language is
taken to be one speaker (``kde-<lang>``; en and en_GB, pt and pt_BR count as one) and
stays within one split. Some of these speakers train, some are held out for test, and
some (``DEV_SPEAKERS``) are kept out of training and go whole to the dev split: the
operating threshold is chosen on them, so it is calibrated on voices the model never
heard, as a deployment's callers will be. TTS voices are split the same way (some voices
only in test), and the whole ``piper`` family (neural VITS) appears only in test:
the threat that matters is an unseen neural TTS. The one other neural TTS that installs
offline, ``hibari`` (a small network distilled from Kokoro-82M that predicts STFT frames,
decoded by an inverse STFT: no VITS, no HiFi-GAN), trains and is in dev, never in test.

With ``more_voices`` (``build.py --more-voices``; not in the shipped model's corpus, see
the model card's "Later work") two more packages bring more people.
``tuxpaint-stamps-default`` has each stamp's name and a short description spoken by
volunteers, one set per language (``tux-<lang>``, again one speaker per language;
byte-identical copies counted once; ``bg``, which the shipped model calls synthetic, is
left out). A language whose KDE set
is held out for test is left out (it may be the same volunteer), one whose KDE set is a
dev voice goes to dev too (``ca``), and ``be`` is a dev voice of its own; the rest train.
``fillets-ng-data-cs`` and ``-nl`` are the Czech and Dutch dialogue of the game Fish
Fillets, acted sentences by several voice actors per language; the Dutch (every role,
``fillets-nl``) trains. Neither package adds anything to the eval split, which stays
comparable. The shipped model, which never heard them, scores some of these sets as
synthetic (Tux Paint bg 90 % of clips, Fish Fillets nl 44 %): processed recordings,
perhaps, not verified.

Fish Fillets' two Czech leads (the small fish ``m`` and the big fish ``v``, one speaker
each) are dev voices in every corpus (``ACTED_DEV_LANG``): acted, expressive speech, which
no other dev voice is. Their other roles are used nowhere (they may be the same actors).

With ``wide_eval`` (``build.py --wide-eval``; the model card's "A wider eval") the eval
split gains the voices of those packages that the default corpus never uses and that can
be no training or dev volunteer: Tux Paint's ``WIDE_TUX`` languages (no KDE set of theirs
trains or tunes) and Fish Fillets' two Dutch leads, with their resyntheses and new texts
in eval's unseen TTS voices. Eval's nine real speakers become fifteen; the default clips
are unchanged (ids marked ``_wide_`` are the new ones). It cannot be combined with
``more_voices``, which trains on some of these voices.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import cache
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
KDE_DIRS = {
    "ktuberling": Path("/usr/share/ktuberling/sounds"),
    "klettres": Path("/usr/share/klettres"),
}
TUXPAINT_DIR = Path("/usr/share/tuxpaint/stamps")  # <stamp>_desc_<lang>.ogg; no suffix: en
FILLETS_DIR = Path("/usr/share/games/fillets-ng/sound")  # <level>/<lang>/<level>-<role>-*.ogg
FILLETS_LANGS = ("cs", "nl")
FILLETS_ROLES = ("m", "v")  # the two fish, the leading actors of each language
# Fish Fillets' Czech leads are dev voices (acted, expressive speech: a false-alarm risk
# read prompts and words cannot show; the card's "Dev gains acted speech"); the Dutch
# leads are the wide eval's
ACTED_DEV_LANG = "cs"
KDE_MIN_S = 40.0  # sets with less speech (several are a dozen words) are left out
KDE_SAME_SPEAKER = {"en_GB": "en", "pt_BR": "pt", "nb": "no", "nn": "no"}
# French bona fide stays test-only (see above); de and nds (Low German) may share a voice
KDE_TEST = frozenset({"fr", "de", "nds", "he", "nl", "tn"})
KDE_DEV = frozenset({"ca", "hu", "pt", "sl", "ar", "gl"})
TUX_DEV = frozenset({"ca", "be"})  # ca: as its KDE voice; be: a dev voice of its own
# left out of train: the shipped model flags 90 % of its clean train clips as synthetic
# (scripts/flag_voice_sets.py; the card's round 10): processed or synthetic, not verified
TUX_LEFT_OUT = frozenset({"bg"})
# the wide eval: the Tux Paint languages with 40 s or more whose KDE volunteer neither
# trains nor tunes (their KDE set is in eval, fr, or there is none; bg stays out, as above),
# and Fish Fillets' Dutch leads; the default corpus uses none of them
WIDE_TUX = frozenset({"be", "es", "fr", "ro"})
WIDE_MARK = "_wide_"  # in the utterance ids of the wide eval's clips
WIDE_COUNTS = {"bonafide": 25, "world": 10, "griffinlim": 10, "melgl": 5}  # per voice set
WIDE_TTS_COUNTS = {"espeak": 30, "flite": 24, "festival": 24}  # eval's unseen voices, new texts
TEST_SPEAKERS = frozenset({"june", "menardi", "armelle", *(f"kde-{g}" for g in KDE_TEST)})
DEV_SPEAKERS = frozenset(
    {
        *(f"kde-{g}" for g in KDE_DEV),
        *(f"tux-{g}" for g in TUX_DEV),
        *(f"fillets-{ACTED_DEV_LANG}-{role}" for role in FILLETS_ROLES),
    }
)
AUDIO_SUFFIXES = (".wav", ".gsm", ".ogg")
HELD_OUT_FAMILIES = frozenset({"piper"})
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
DEV_TTS_SPEAKERS = frozenset(f"{f}-{v}" for f, voices in DEV_TTS_VOICES.items() for v in voices)
TTS_LANGS = {"msu_ru": "ru"}  # voices that speak one language only
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
SKIP_WORDS = ("beep", "tone", "silence", "ring")


@dataclass(frozen=True)
class VoiceSet:
    """One set of real recordings: its files, the speaker group and language it counts as.

    ``words``: isolated words or short phrases (KDE, Tux Paint), so a clip joins more of
    them and the set takes the smaller ``KDE_COUNTS``.
    """

    files: tuple[Path, ...]
    speaker: str
    lang: str
    words: bool = False


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


@cache
def prompt_files(folder: str | Path) -> tuple[Path, ...]:
    """Speech files under ``folder`` (absolute, or under SOUNDS_DIR) of at least 0.6 s, sorted."""
    root = SOUNDS_DIR / folder
    return speech_files(root, tuple(sorted(root.rglob("*"))))


def speech_files(root: Path, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The audio files of ``paths`` of at least 0.6 s whose path below ``root`` names no tone."""
    out = []
    for path in paths:
        if path.suffix not in AUDIO_SUFFIXES:
            continue
        if any(w in str(path.relative_to(root)) for w in SKIP_WORDS):
            continue
        if sf.info(str(path)).duration >= 0.6:
            out.append(path)
    return tuple(out)


def _unique(paths: list[Path]) -> tuple[Path, ...]:
    """``paths`` sorted, without byte-identical copies (the first name of each is kept)."""
    seen, out = set(), []
    for path in sorted(paths):
        digest = hashlib.sha1(path.read_bytes()).digest()
        if digest not in seen:
            seen.add(digest)
            out.append(path)
    return tuple(out)


@cache
def tux_languages(min_s: float = KDE_MIN_S) -> dict[str, tuple[Path, ...]]:
    """Tux Paint's spoken stamp descriptions per language with at least ``min_s`` of speech."""
    by_lang: dict[str, list[Path]] = {}
    if TUXPAINT_DIR.is_dir():
        for path in TUXPAINT_DIR.rglob("*_desc*.ogg"):
            lang = path.stem.split("_desc")[-1].lstrip("_") or "en"
            by_lang.setdefault(lang, []).append(path)
    out = {}
    for lang, paths in sorted(by_lang.items()):
        files = speech_files(TUXPAINT_DIR, _unique(paths))
        if sum(sf.info(str(f)).duration for f in files) >= min_s:
            out[lang] = files
    return out


def tuxpaint_sets() -> dict[str, VoiceSet]:
    """The Tux Paint languages ``more_voices`` uses, ``{"tux_<lang>": VoiceSet}``.

    Languages whose KDE voice is held out for test are left out (maybe the same person),
    and so are those in ``TUX_LEFT_OUT``; one whose KDE voice is a dev voice must be in
    ``TUX_DEV``.
    """
    return {
        f"tux_{lang}": VoiceSet(files, f"tux-{lang}", lang, words=True)
        for lang, files in tux_languages().items()
        if lang not in KDE_TEST and lang not in TUX_LEFT_OUT
    }


def _fillets_files(lang: str) -> list[Path]:
    """One language's acted dialogue (sound effects, ``-x-``, left out)."""
    return sorted(p for p in FILLETS_DIR.glob(f"*/{lang}/*.ogg") if "-x-" not in p.name)


@cache
def fillets_sets() -> dict[str, VoiceSet]:
    """Fish Fillets' acted dialogue per language, every role together (``more_voices``).

    Not the Czech, whose leads are dev voices (its other roles may be the same actors).
    """
    out = {}
    for lang in FILLETS_LANGS:
        if lang != ACTED_DEV_LANG and (paths := _fillets_files(lang)):
            files = speech_files(FILLETS_DIR, tuple(paths))
            out[f"fillets_{lang}"] = VoiceSet(files, f"fillets-{lang}", lang)
    return out


@cache
def fillets_leads(lang: str) -> dict[str, VoiceSet]:
    """One language's two leading actors, one voice set each: ``{"fillets_<lang>_<role>": ...}``."""
    out = {}
    for role in FILLETS_ROLES:  # file names <level>-<role>-<line>.ogg
        paths = [p for p in _fillets_files(lang) if p.stem.split("-")[1:2] == [role]]
        if paths:
            files = speech_files(FILLETS_DIR, tuple(paths))
            out[f"fillets_{lang}_{role}"] = VoiceSet(files, f"fillets-{lang}-{role}", lang)
    return out


@cache
def wide_sets() -> dict[str, VoiceSet]:
    """The wide eval's real voices: ``WIDE_TUX`` and Fish Fillets' leading roles, by set id."""
    tux = tux_languages()
    out = {
        f"wide_tux_{lang}": VoiceSet(tux[lang], f"tux-{lang}", lang, words=True)
        for lang in sorted(WIDE_TUX)
        if lang in tux
    }
    for lang in FILLETS_LANGS:
        if lang != ACTED_DEV_LANG:
            out.update({f"wide_{k}": vs for k, vs in fillets_leads(lang).items()})
    return out


def is_wide(utt_ids: np.ndarray) -> np.ndarray:
    """Which utterances belong to the wide eval (``build.py --wide-eval``), as a bool mask."""
    return np.char.find(utt_ids.astype(str), WIDE_MARK) >= 0


def volunteer_sets(more_voices: bool = False) -> dict[str, VoiceSet]:
    """The real voice sets beyond the Asterisk ones: KDE and Fish Fillets' dev leads.

    With ``more_voices`` also Tux Paint and the rest of Fish Fillets' dialogue.
    """
    kde = {
        k: VoiceSet(prompt_files(folder), speaker, lang, words=True)
        for k, (folder, speaker, lang) in kde_sets().items()
    }
    acted = fillets_leads(ACTED_DEV_LANG)
    return {**kde, **acted, **tuxpaint_sets(), **fillets_sets()} if more_voices else kde | acted


@cache
def kde_sets(min_s: float = KDE_MIN_S) -> dict[str, tuple[Path, str, str]]:
    """The KDE voice sets installed here with at least ``min_s`` of speech, by set id.

    ``{"kde_<package>_<lang>": (folder, "kde-<language group>", lang)}``; the Serbian
    script variants (``sr@latin`` ...) are copies of ``sr`` and are skipped.
    """
    out = {}
    for package, root in KDE_DIRS.items():
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and "@" not in p.name):
            files = prompt_files(folder)
            if sum(sf.info(str(f)).duration for f in files) < min_s:
                continue
            lang = folder.name
            group = KDE_SAME_SPEAKER.get(lang, lang)
            out[f"kde_{package}_{lang}"] = (folder, f"kde-{group}", lang.split("_")[0])
    return out


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
) -> list[Job]:
    """Every job of the corpus, in a fixed order; ``scale`` shrinks the counts (tests).

    ``test_speakers`` empty puts every real voice in train/dev (a deployment model, whose
    eval split then holds spoofs only). ``previous`` plans only the corpus from before the
    KDE voices, the mel generator and hibari (its clips are unchanged, bit for bit);
    ``more_voices`` adds the Tux Paint and Fish Fillets voices to train and dev;
    ``wide_eval`` adds the wide eval's voices to eval (``wide_jobs``).
    """
    if wide_eval and (more_voices or previous):
        raise ValueError("the wide eval holds voices --more-voices trains on; use one or the other")
    jobs: list[Job] = []
    counts = PREVIOUS_COUNTS if previous else COUNTS
    sets = {
        k: VoiceSet(prompt_files(folder), speaker, lang)
        for k, (folder, speaker, lang) in VOICE_SETS.items()
    }
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
            for family in families:
                n = _count(counts, family, split, scale, vs.words, speaker in DEV_SPEAKERS)
                for i in range(n):
                    utt = f"{family}_{voice_set}_{split}_{i:04d}"
                    take = min(20 if vs.words else per_utt_sources, len(pool))
                    picks = _rng(seed, utt).choice(len(pool), take, False)
                    sources = tuple(pool[k] for k in picks)
                    jobs.append(Job(utt, speaker, family, speaker, split, vs.lang, sources=sources))
    for family, (train_voices, test_voices) in TTS_VOICES.items():
        if family not in counts:
            continue
        for split in ("train", "dev", "eval"):
            voices = test_voices if split == "eval" else train_voices
            for i in range(_count(counts, family, split, scale) if voices else 0):
                utt, voice = f"{family}_{split}_{i:04d}", voices[i % len(voices)]
                jobs.append(_tts_job(utt, family, voice, split, seed))
    for family, voices in {} if previous else DEV_TTS_VOICES.items():
        for i in range(max(1, round(DEV_TTS_COUNT * scale))):
            utt, voice = f"{family}_devunseen_{i:04d}", voices[i % len(voices)]
            jobs.append(_tts_job(utt, family, voice, "dev", seed))
    return jobs + wide_jobs(seed, scale) if wide_eval else jobs


def wide_jobs(seed: int, scale: float = 1.0) -> list[Job]:
    """The wide eval's jobs: ``wide_sets`` and their resyntheses, and eval's unseen TTS voices.

    Every voice set gives ``WIDE_COUNTS`` whatever its kind, so each new speaker weighs the
    same; the TTS clips keep eval's share of TTS among held-out-speaker spoofs.
    """
    sets = wide_sets()
    if scale < 1:  # a small corpus (tests): one Tux Paint and one Fish Fillets voice
        sets = {k: sets[k] for k in sorted(sets) if k in ("wide_tux_es", "wide_fillets_nl_m")}
    jobs = []
    for voice_set, vs in sets.items():
        pool = [str(p) for p in vs.files]
        for family, count in WIDE_COUNTS.items():
            for i in range(max(1, round(count * scale))):
                utt = f"{family}_{voice_set}_eval_{i:04d}"
                take = min(20 if vs.words else 12, len(pool))
                picks = _rng(seed, utt).choice(len(pool), take, False)
                sources = tuple(pool[k] for k in picks)
                jobs.append(Job(utt, vs.speaker, family, vs.speaker, "eval", vs.lang, sources))
    for family, count in WIDE_TTS_COUNTS.items():
        voices = TTS_VOICES[family][1]
        for i in range(max(1, round(count * scale))):
            utt = f"{family}{WIDE_MARK}eval_{i:04d}"
            jobs.append(_tts_job(utt, family, voices[i % len(voices)], "eval", seed))
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
