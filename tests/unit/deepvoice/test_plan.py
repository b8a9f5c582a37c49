"""The corpus plan: the GSM prompt packages join as one train and one held-out speaker."""

from pathlib import Path

import pytest

from corpus.plan import SOUNDS_DIR, TEST_SPEAKERS, VOICE_SETS, plan, prompt_files

GSM_SETS = {"es_CO_f_Colombia": "es_co", "fr_FR_f_Armelle": "armelle"}


def test_test_speakers_keep_two_unseen_voices_besides_the_new_ones() -> None:
    assert {"june", "menardi", "armelle"} <= TEST_SPEAKERS
    assert "es_co" not in TEST_SPEAKERS
    assert {VOICE_SETS[k][1] for k in GSM_SETS} == set(GSM_SETS.values())


@pytest.mark.skipif(
    not (SOUNDS_DIR / "es").is_dir() or not (SOUNDS_DIR / "fr").is_dir(),
    reason="asterisk-prompt-es-co / asterisk-prompt-fr-armelle not installed",
)
def test_gsm_prompts_are_planned_in_their_splits() -> None:
    files = prompt_files("fr")
    assert files and all(p.suffix == ".gsm" for p in files)
    assert not any("beep" in str(p) for p in files)
    jobs = plan(seed=1, scale=0.03)
    splits = {
        speaker: {j.split for j in jobs if j.speaker == speaker} for speaker in GSM_SETS.values()
    }
    assert splits == {"es_co": {"train", "dev"}, "armelle": {"eval"}}
    sources = [Path(s) for j in jobs if j.speaker == "armelle" for s in j.sources]
    assert sources and all(s.parent.parts[:6] == (SOUNDS_DIR / "fr").parts for s in sources)
