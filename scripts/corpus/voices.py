"""The real voices: which recordings are installed, and whose they are (no jobs here).

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
heard, as a deployment's callers will be.

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

The wide eval's voices (``wide_sets``; ``plan.wide_jobs`` makes their clips) are Tux
Paint's ``WIDE_TUX`` languages (no KDE set of theirs trains or tunes) and Fish Fillets'
two Dutch leads: voices the default corpus never uses and that can be no training or dev
volunteer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
TEST_SPEAKERS = frozenset({"june", "menardi", "armelle", *(f"kde-{g}" for g in KDE_TEST)})
DEV_SPEAKERS = frozenset(
    {
        *(f"kde-{g}" for g in KDE_DEV),
        *(f"tux-{g}" for g in TUX_DEV),
        *(f"fillets-{ACTED_DEV_LANG}-{role}" for role in FILLETS_ROLES),
    }
)
AUDIO_SUFFIXES = (".wav", ".gsm", ".ogg")
SKIP_WORDS = ("beep", "tone", "silence", "ring")


def _duration_s(path: str) -> float:
    """A sound file's length (soundfile read here, so a GPU machine without it can import)."""
    import soundfile as sf

    return float(sf.info(path).duration)


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


def asterisk_sets() -> dict[str, VoiceSet]:
    """The Asterisk voice sets (``VOICE_SETS``), by set id."""
    return {
        k: VoiceSet(prompt_files(folder), speaker, lang)
        for k, (folder, speaker, lang) in VOICE_SETS.items()
    }


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
        if _duration_s(str(path)) >= 0.6:
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
        if sum(_duration_s(str(f)) for f in files) >= min_s:
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
            if sum(_duration_s(str(f)) for f in files) < min_s:
                continue
            lang = folder.name
            group = KDE_SAME_SPEAKER.get(lang, lang)
            out[f"kde_{package}_{lang}"] = (folder, f"kde-{group}", lang.split("_")[0])
    return out
