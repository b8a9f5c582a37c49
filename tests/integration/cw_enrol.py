"""Enrol a subscriber from real recordings (the enrolment API, the real GE2E encoder)."""

from __future__ import annotations

from pathlib import Path

from cw_calls import VOICES

from callwarden.settings import Settings, SubscribersSettings

ALLISON = "en_US_f_Allison"
# The same three recordings scripts/demo.sh enrols; calls use other clips.
ENROL_CLIPS = ("vm-options", "dir-intro", "vm-msginstruct")
CONSENT = """subscriber: {subscriber}
consent: yes
signed_by: Allison (test subscriber)
date: 2026-01-31
"""


def enrol(store_path: Path, subscriber: str, tmp: Path) -> None:
    """Enrol ``subscriber`` with Allison's voice into ``store_path``."""
    from callwarden.detectors.speaker import SpeakerEncoder
    from callwarden.enrol.enroll import enroll
    from callwarden.enrol.store import VoiceprintStore
    from callwarden.weights import default_models_dir

    consent = tmp / f"consent-{subscriber}.yaml"
    consent.write_text(CONSENT.format(subscriber=subscriber), encoding="utf-8")
    settings = Settings(subscribers=SubscribersSettings(store_path=store_path))
    wavs = [VOICES / ALLISON / f"{clip}.wav" for clip in ENROL_CLIPS]
    encoder = SpeakerEncoder.load(default_models_dir())
    store = VoiceprintStore(store_path)
    enroll(subscriber, consent, wavs, settings, encoder, store)
