from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callwarden.enrol.enroll import enroll
from callwarden.enrol.store import VoiceprintStore
from callwarden.errors import EnrolmentError
from callwarden.settings import Settings

Writer = Callable[..., Path]


def three_takes(voice_wav: Writer, f0_hz: float = 140.0) -> list[Path]:
    return [voice_wav(f"take{i}", f0_hz=f0_hz, seed=i) for i in range(3)]


def test_enrolment_stores_a_voiceprint_and_reports(
    voice_wav: Writer, consent: Writer, encoder, store: VoiceprintStore
) -> None:
    wavs = three_takes(voice_wav)
    report = enroll("alice", consent(), wavs, Settings(), encoder, store)
    vp = store.get("alice")
    assert vp.embeddings.shape == (3, 256) and vp.model_version == "fake-spectrum-1"
    assert vp.threshold is None  # the configured threshold applies unless asked
    assert vp.consent.signed_by == "Alice Example"
    assert [f.path for f in report.files] == [str(w) for w in wavs]
    assert all(f.speech_s > 2.0 and f.windows >= 2 for f in report.files)
    assert report.speech_s == pytest.approx(vp.speech_s)
    assert report.consistency > 0.99
    assert "threshold: the configured 0.830" in report.render()
    assert report.to_json()["files"][0]["path"] == str(wavs[0])


def test_calibrated_threshold_on_request(
    voice_wav: Writer, consent: Writer, encoder, store: VoiceprintStore
) -> None:
    report = enroll(
        "alice", consent(), three_takes(voice_wav), Settings(), encoder, store, calibrate=True
    )
    assert store.get("alice").threshold == report.threshold == pytest.approx(0.87)


def test_too_few_files(voice_wav: Writer, consent: Writer, encoder, store) -> None:
    with pytest.raises(EnrolmentError, match="at least 3 recordings, got 2"):
        enroll("alice", consent(), three_takes(voice_wav)[:2], Settings(), encoder, store)


def test_same_file_twice(voice_wav: Writer, consent: Writer, encoder, store) -> None:
    wavs = three_takes(voice_wav)
    with pytest.raises(EnrolmentError, match="given twice"):
        enroll("alice", consent(), [*wavs[:2], wavs[0]], Settings(), encoder, store)


def test_silent_file_is_refused_by_name(
    voice_wav: Writer, consent: Writer, encoder, store, tmp_path: Path
) -> None:
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(16000, dtype=np.float32), 8000)
    with pytest.raises(EnrolmentError, match=r"silent\.wav.*silent"):
        enroll("alice", consent(), [*three_takes(voice_wav), silent], Settings(), encoder, store)


def test_noise_without_speech_is_refused_by_name(
    voice_wav: Writer, consent: Writer, encoder, store, tmp_path: Path
) -> None:
    hiss = tmp_path / "hiss.wav"
    sf.write(hiss, np.random.default_rng(0).normal(0, 0.003, 16000).astype(np.float32), 8000)
    with pytest.raises(EnrolmentError, match=r"no usable speech in .*hiss\.wav"):
        enroll("alice", consent(), [*three_takes(voice_wav), hiss], Settings(), encoder, store)


def test_not_enough_speech(voice_wav: Writer, consent: Writer, encoder, store) -> None:
    short = [voice_wav(f"s{i}", duration_s=1.0, seed=i) for i in range(3)]
    with pytest.raises(EnrolmentError, match=r"not enough speech: 3\.0 s .* 4\.0 s needed"):
        enroll("alice", consent(), short, Settings(), encoder, store)


def test_another_voice_among_the_takes_is_named(
    voice_wav: Writer, consent: Writer, encoder, store
) -> None:
    intruder = voice_wav("intruder", f0_hz=220.0, seed=9)
    with pytest.raises(EnrolmentError, match=r"intruder\.wav"):
        enroll("alice", consent(), [*three_takes(voice_wav), intruder], Settings(), encoder, store)


def test_no_consent_no_enrolment(voice_wav: Writer, consent: Writer, encoder, store) -> None:
    with pytest.raises(EnrolmentError, match="consent: yes"):
        enroll("alice", consent(consent="no"), three_takes(voice_wav), Settings(), encoder, store)
    assert encoder.calls == 0
    assert store.list() == []


def test_failed_reenrolment_leaves_the_old_voiceprint(
    voice_wav: Writer, consent: Writer, encoder, store: VoiceprintStore
) -> None:
    enroll("alice", consent(), three_takes(voice_wav), Settings(), encoder, store)
    before = store.get("alice")
    takes = [*three_takes(voice_wav, f0_hz=150.0)[:2], voice_wav("other", f0_hz=230.0)]
    with pytest.raises(EnrolmentError):
        enroll("alice", consent(), takes, Settings(), encoder, store)
    after = store.get("alice")
    np.testing.assert_array_equal(after.embeddings, before.embeddings)
    assert after.updated_at == before.updated_at
