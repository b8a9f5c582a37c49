"""What an enrolment measured, as readable text or a JSON-ready dict."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FileReport:
    """One enrolment recording.

    Attributes:
        path: the file.
        speech_s: net speech the VAD found.
        audio_s: length of the recording.
        windows: speaker windows cut from its speech.
        consistency: mean cosine of its embedding with the other files' embeddings.
        genuine_score: cosine with the centroid of the other files (leave-one-out).
    """

    path: str
    speech_s: float
    audio_s: float
    windows: int
    consistency: float
    genuine_score: float


@dataclass(frozen=True, slots=True)
class EnrolmentReport:
    """The outcome of a successful enrolment.

    Attributes:
        subscriber_id: who was enrolled.
        files: one report per recording, in the order given.
        speech_s: net speech across the recordings.
        consistency: mean pairwise cosine between the files' embeddings.
        threshold: the subscriber's own threshold, or None when the configured one applies.
        calibrated_threshold: what calibration gives (kept only when asked for).
        configured_threshold: the configured speaker threshold at enrolment.
        model_version: the encoder that made the voiceprint.
        genuine_mean: mean of the leave-one-out genuine scores.
        genuine_std: their standard deviation.
    """

    subscriber_id: str
    files: tuple[FileReport, ...]
    speech_s: float
    consistency: float
    threshold: float | None
    calibrated_threshold: float
    configured_threshold: float
    model_version: str
    genuine_mean: float
    genuine_std: float

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (files as a list of dicts)."""
        return asdict(self)

    def render(self) -> str:
        """The report as lines a person reads."""
        lines = [
            f"enrolled {self.subscriber_id!r} with {len(self.files)} recordings, "
            f"{self.speech_s:.1f} s of speech (model {self.model_version})",
            f"  {'speech':>8} {'windows':>7} {'consistency':>11} {'genuine':>8}  file",
        ]
        for f in self.files:
            lines.append(
                f"  {f.speech_s:7.1f}s {f.windows:7d} {f.consistency:11.3f} "
                f"{f.genuine_score:8.3f}  {f.path}"
            )
        if self.threshold is None:
            threshold = (
                f"threshold: the configured {self.configured_threshold:.3f} "
                f"(calibrated would be {self.calibrated_threshold:.3f})"
            )
        else:
            threshold = f"threshold: calibrated {self.threshold:.3f}"
        lines.append(
            f"consistency {self.consistency:.3f}; genuine scores {self.genuine_mean:.3f} "
            f"± {self.genuine_std:.3f}; {threshold}"
        )
        return "\n".join(lines)
