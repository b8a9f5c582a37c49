"""Enrolment: consent, feasibility, per-file embeddings, a calibrated threshold, one save.

Everything is computed before the store is touched, so a refused or failed enrolment
leaves an earlier voiceprint of the subscriber as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from callwarden.detectors.speaker.vectors import centroid, normalise
from callwarden.enrol.calibrate import (
    Consistency,
    calibrate_threshold,
    consistency,
    leave_one_out,
    outlier_gap,
)
from callwarden.enrol.consent import read_consent
from callwarden.enrol.report import EnrolmentReport, FileReport
from callwarden.enrol.speech import SpeechWindows, file_windows
from callwarden.enrol.store import Voiceprint, VoiceprintStore
from callwarden.errors import AudioError, EnrolmentError
from callwarden.frames import Samples
from callwarden.settings import Settings

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What enrolment needs of an encoder (``SpeakerEncoder`` or a test fake)."""

    sample_rate_hz: int
    version: str

    def embed(self, windows: Sequence[Samples]) -> npt.NDArray[np.float32]:
        """``(n, d)`` L2-normalised embeddings of ``n`` windows."""
        ...


def enroll(
    subscriber_id: str,
    consent_file: Path,
    wav_files: Sequence[Path],
    settings: Settings,
    encoder: Embedder,
    store: VoiceprintStore,
    *,
    calibrate: bool = False,
) -> EnrolmentReport:
    """Enrol (or re-enrol) a subscriber from recordings of their voice.

    Args:
        subscriber_id: the id calls will claim.
        consent_file: the signed opt-in (format in ``callwarden.enrol.consent``).
        wav_files: recordings of the subscriber alone (any rate; speech is VAD-gated).
        settings: the settings tree (VAD, speaker window, enrolment checks).
        encoder: the speaker encoder.
        store: where the voiceprint goes (replacing an earlier one atomically).
        calibrate: give the subscriber their own calibrated threshold; by default the
            configured threshold applies (it did better on held-out data, see
            ``models/speaker_ge2e.md``), and the calibrated one is only reported.

    Returns:
        What was measured: per-file speech and consistency, and the threshold.

    Raises:
        EnrolmentError: one readable reason the enrolment was refused.
    """
    if not subscriber_id.strip():
        raise EnrolmentError("a subscriber id is needed")
    consent = read_consent(consent_file, subscriber_id)
    paths, speech = _feasible_speech(wav_files, settings, encoder.sample_rate_hz)
    embeddings = np.stack([_file_embedding(encoder, s) for s in speech])
    alike, genuine = consistency(embeddings), leave_one_out(embeddings)
    default = settings.detectors.speaker.threshold
    min_consistency = settings.subscribers.enrolment.min_consistency
    max_gap = settings.subscribers.enrolment.outlier_gap
    _check_consistent(paths, alike, genuine, min_consistency, default, max_gap)
    calibrated = calibrate_threshold(genuine, default)
    voiceprint = Voiceprint(
        subscriber_id=subscriber_id,
        embeddings=embeddings,
        centroid=centroid(embeddings),
        threshold=calibrated if calibrate else None,
        consent=consent,
        model_version=encoder.version,
        speech_s=sum(s.speech_s for s in speech),
    )
    store.save(voiceprint)
    log.info("subscriber enrolled", extra={"subscriber_id": subscriber_id, "files": len(paths)})
    files = tuple(
        FileReport(str(p), s.speech_s, s.audio_s, len(s.windows), c, float(g))
        for p, s, c, g in zip(paths, speech, alike.per_file, genuine, strict=True)
    )
    return EnrolmentReport(
        subscriber_id, files, voiceprint.speech_s, alike.mean, voiceprint.threshold, calibrated,
        default, encoder.version, float(np.mean(genuine)), float(np.std(genuine)),
    )  # fmt: skip


def _feasible_speech(
    wav_files: Sequence[Path], settings: Settings, rate_hz: int
) -> tuple[list[Path], list[SpeechWindows]]:
    """The recordings and their speech windows, refusing too few files or too little speech."""
    rules = settings.subscribers.enrolment
    paths = _unique(wav_files)
    if len(paths) < rules.min_files:
        raise EnrolmentError(
            f"enrolment needs at least {rules.min_files} recordings, got {len(paths)}"
        )
    speech = [_speech(path, settings, rate_hz) for path in paths]
    total_s = sum(s.speech_s for s in speech)
    if total_s < rules.min_speech_s:
        raise EnrolmentError(
            f"not enough speech: {total_s:.1f} s across {len(paths)} recordings "
            f"(at least {rules.min_speech_s:.1f} s needed)"
        )
    return paths, speech


def _check_consistent(
    paths: Sequence[Path],
    alike: Consistency,
    genuine: npt.NDArray[np.float64],
    min_consistency: float,
    threshold: float,
    max_gap: float,
) -> None:
    """Refuse recordings that do not sound like one speaker, naming the odd one out."""
    worst = alike.odd_one_out
    if min(alike.mean, alike.per_file[worst]) < min_consistency:
        raise EnrolmentError(
            f"the recordings do not sound like one speaker (consistency {alike.mean:.2f}, "
            f"least like the others: {paths[worst]} at {alike.per_file[worst]:.2f}; "
            f"at least {min_consistency:.2f} needed)"
        )
    odd = int(np.argmin(genuine))
    if genuine[odd] < threshold:
        raise EnrolmentError(
            f"the recording {paths[odd]} does not verify against the others (score "
            f"{genuine[odd]:.2f}, threshold {threshold:.2f}): is it the same speaker alone?"
        )
    gap = outlier_gap(genuine)
    if gap > max_gap:
        raise EnrolmentError(
            f"the recording {paths[odd]} sounds unlike the others (its score "
            f"{genuine[odd]:.2f} is {gap:.2f} below theirs): is it the same speaker alone?"
        )


def _unique(paths: Sequence[Path]) -> list[Path]:
    """The recordings in order; one given twice is refused (it would fake consistency)."""
    seen: set[Path] = set()
    for path in paths:
        key = Path(path).resolve()
        if key in seen:
            raise EnrolmentError(f"the recording {path} is given twice")
        seen.add(key)
    return [Path(p) for p in paths]


def _speech(path: Path, settings: Settings, rate_hz: int) -> SpeechWindows:
    try:
        speech = file_windows(path, settings.detectors.speaker, settings.vad, rate_hz)
    except AudioError as exc:
        raise EnrolmentError(f"unusable recording: {exc}") from exc
    if not speech.windows:
        raise EnrolmentError(
            f"no usable speech in {path} ({speech.speech_s:.1f} s found; at least 0.5 s needed)"
        )
    return speech


def _file_embedding(encoder: Embedder, speech: SpeechWindows) -> npt.NDArray[np.float32]:
    """The file's embedding: its windows' embeddings averaged by duration, normalised."""
    per_window = encoder.embed(list(speech.windows))
    weights = np.array([len(w) for w in speech.windows], dtype=np.float64)
    return normalise(weights @ per_window.astype(np.float64))
