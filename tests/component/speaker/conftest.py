"""Real GE2E weights (loaded once per session) and recordings made of Asterisk prompts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callwarden.detectors.speaker.encoder import SpeakerEncoder
from callwarden.weights import default_models_dir

SOUNDS = Path("/usr/share/asterisk/sounds")
# Each "recording" strings several prompts of one voice together (about 5-10 s of speech).
TAKES = {
    "allison-1": ("en_US_f_Allison", ["auth-thankyou", "vm-intro", "conf-getpin"]),
    "allison-2": ("en_US_f_Allison", ["vm-password", "call-waiting", "pbx-invalid"]),
    "allison-3": ("en_US_f_Allison", ["vm-goodbye", "vm-theperson", "vm-isunavail"]),
    "allison-call": ("en_US_f_Allison", ["vm-nomore", "vm-newuser", "privacy-prompt"]),
    "june": ("fr_CA_f_June", ["vm-intro", "vm-password", "vm-goodbye"]),
    "carlo": ("it_IT_m_Carlo", ["vm-intro", "vm-password", "vm-goodbye"]),
}


@pytest.fixture(scope="session")
def ge2e() -> SpeakerEncoder:
    return SpeakerEncoder.load(default_models_dir())


@pytest.fixture(scope="session")
def takes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not SOUNDS.is_dir():
        pytest.skip("the Asterisk prompt voices are not installed (scripts/setup.sh)")
    folder = tmp_path_factory.mktemp("takes")
    out = {}
    for name, (voice, prompts) in TAKES.items():
        parts = [sf.read(SOUNDS / voice / f"{p}.wav", dtype="float32")[0] for p in prompts]
        out[name] = folder / f"{name}.wav"
        sf.write(out[name], np.concatenate(parts), 8000)
    return out
