"""The speaker detector and enrolment with the real GE2E weights on real speech."""

from pathlib import Path

import numpy as np
import pytest

from callwarden.analysis import analyze
from callwarden.app import build_app
from callwarden.detectors.base import CallContext, LoadContext
from callwarden.detectors.registry import REGISTRY
from callwarden.detectors.speaker import SpeakerDetector, SpeakerEncoder
from callwarden.enrol.enroll import enroll
from callwarden.enrol.speech import file_windows
from callwarden.enrol.store import VoiceprintStore
from callwarden.errors import EnrolmentError
from callwarden.frames import AnalysisWindow, VerdictKind
from callwarden.settings import AuditSettings, Settings, SubscribersSettings
from callwarden.weights import default_models_dir

ALLISON = ["allison-1", "allison-2", "allison-3"]


@pytest.fixture(scope="module")
def enrolled(
    ge2e: SpeakerEncoder, takes: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    folder = tmp_path_factory.mktemp("site")
    settings = Settings(
        subscribers=SubscribersSettings(store_path=folder / "cw.db"),
        audit=AuditSettings(path=folder / "audit.jsonl", fsync=False),
    )
    consent = folder / "consent.yaml"
    consent.write_text("subscriber: alice\nconsent: yes\nsigned_by: Alice\ndate: 2026-01-02\n")
    store = VoiceprintStore(settings.subscribers.store_path)
    enroll("alice", consent, [takes[n] for n in ALLISON], settings, ge2e, store)
    return settings


def scores(detector: SpeakerDetector, path: Path, settings: Settings) -> tuple[list, list]:
    speech = file_windows(path, settings.detectors.speaker, settings.vad, 16000)
    stream = detector.stream(CallContext("call-1", "alice"))
    out = [stream.push(AnalysisWindow(w, 16000, 0.0, 1.6, 1.6)) for w in speech.windows]
    return [s.score for s in out], [s.detail["window_cosine"] for s in out]


@pytest.fixture(scope="module")
def detector(enrolled: Settings) -> SpeakerDetector:
    store = VoiceprintStore(enrolled.subscribers.store_path)
    loaded = REGISTRY["speaker"](
        enrolled.detectors.speaker, LoadContext(default_models_dir(), store)
    )
    assert isinstance(loaded, SpeakerDetector)
    return loaded


def test_spec_comes_from_settings_and_manifest(detector: SpeakerDetector) -> None:
    spec = detector.spec
    assert (spec.name, spec.sample_rate_hz, spec.labels) == ("speaker", 16000, ("match",))
    assert (spec.window_s, spec.hop_s, spec.min_speech_s) == (1.6, 0.8, 4.0)
    assert spec.version == "ge2e-39373b86598f"
    assert spec.alarm is VerdictKind.MISMATCH and spec.alarm_below


def test_evidence_accumulates_toward_the_enrolled_voice(
    detector: SpeakerDetector, takes: dict[str, Path], enrolled: Settings
) -> None:
    accumulated, per_window = scores(detector, takes["allison-call"], enrolled)
    assert len(accumulated) >= 8
    assert accumulated[-1] > accumulated[0]
    assert accumulated[-1] > max(per_window)  # the call's mean beats any one window
    assert accumulated[-1] > 0.9


def test_other_speakers_score_lower_at_every_step(
    detector: SpeakerDetector, takes: dict[str, Path], enrolled: Settings
) -> None:
    genuine, _ = scores(detector, takes["allison-call"], enrolled)
    for other in ("june", "carlo"):
        impostor, _ = scores(detector, takes[other], enrolled)
        assert max(impostor) < min(genuine)
        assert impostor[-1] < genuine[-1] - 0.1


def test_another_voice_among_the_takes_is_refused(
    ge2e: SpeakerEncoder, takes: dict[str, Path], enrolled: Settings, tmp_path: Path
) -> None:
    consent = tmp_path / "consent.yaml"
    consent.write_text("subscriber: eve\nconsent: yes\nsigned_by: Eve\ndate: 2026-01-02\n")
    store = VoiceprintStore(tmp_path / "v.db")
    for intruder in ("june", "carlo"):
        wavs = [takes[n] for n in ALLISON] + [takes[intruder]]
        with pytest.raises(EnrolmentError, match=f"{intruder}.wav"):
            enroll("eve", consent, wavs, enrolled, ge2e, store)
    assert store.list() == []


def test_a_whole_recording_through_the_pipeline(enrolled: Settings, takes: dict[str, Path]) -> None:
    app = build_app(enrolled, strict=True)
    genuine = analyze(app, takes["allison-call"], "alice")
    impostor = analyze(app, takes["carlo"], "alice")
    assert genuine.verdict.kind is VerdictKind.CLEAR
    assert impostor.verdict.kind is VerdictKind.MISMATCH
    assert genuine.scores["speaker"] > impostor.scores["speaker"]
    assert np.isfinite(genuine.scores["speaker"])
