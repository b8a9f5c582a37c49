"""A commercial TTS no other source gives: Google Cloud Text-to-Speech, pre-rendered.

Debian's ``qabcs-data`` (the children's alphabet game qABCs) ships each language's words
and letters as Ogg files its authors rendered with Google Cloud Text-to-Speech: the
upstream's ``scripts/google.sh`` names one "Standard" voice per language
(``GCLOUD_VOICES``), and its CONTRIBUTORS file credits google.com for the speech. Nothing
here calls Google; the files are read as installed, like the real voices' recordings.

Only the languages whose voice that script names are used. ``be`` and ``en_gb`` (no
voice named) are left out, since their origin is not documented. That the files are
synthetic was not checked by ear: it rests on the upstream's script and credit.

The family, ``gcloud``, is a second held-out family beside piper. It is only in the
wide eval (``plan.wide_jobs``), never trained on or tuned on, so it measures a commercial
TTS nothing was chosen for. Round 24's corpus (``build.py --gcloud-train``), on which
the shipped stage 7 was fine-tuned, is the one exception: there ``GCLOUD_TRAIN``'s three
voices train, and the wide eval keeps the other three, unseen voices of a family the
model has heard.
"""

from __future__ import annotations

from pathlib import Path

QABCS_DIR = Path("/usr/share/qabcs/abcs")  # <lang>/sounds/{words,alpha}/*.ogg
GCLOUD_VOICES = {  # language folder: the voice upstream's google.sh renders it with
    "de": "de-DE-Standard-B",
    "en": "en-US-Standard-E",
    "fr": "fr-FR-Standard-C",
    "pl": "pl-PL-Standard-E",
    "ru": "ru-RU-Standard-A",
    "uk": "uk-UA-Standard-A",
}
GCLOUD_TRAIN = ("de", "pl", "uk")  # round 24 only: the male voice and two others train


def gcloud_files(lang: str, root: Path = QABCS_DIR) -> tuple[Path, ...]:
    """One language's rendered words and letters, sorted; empty if not installed."""
    folder = root / lang / "sounds"
    return tuple(sorted(p for sub in ("words", "alpha") for p in (folder / sub).glob("*.ogg")))
