"""The deep-voice detector: the LCNN behind the detector contract.

A stream scores each analysis window and accumulates evidence over the call as the mean
of the windows' log-odds, so the score sharpens as speech accumulates; ``score`` is the
probability that the voice is synthetic.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from callwarden.detectors.base import CallContext, DetectorSpec, LoadContext
from callwarden.detectors.deep_voice.model import SAMPLE_RATE_HZ, CnnConfig, DeepVoiceCnn
from callwarden.errors import DetectorError, WeightsError
from callwarden.frames import AnalysisWindow, DetectorScore, Samples, VerdictKind
from callwarden.weights import resolve_weights, sha256_of

if TYPE_CHECKING:
    from callwarden.settings import DeepVoiceSettings

log = logging.getLogger(__name__)
NAME = "deep_voice"
MIN_SAMPLES = 2000  # 0.25 s: shorter windows are tiled up to this length


def load_model(path: Path) -> DeepVoiceCnn:
    """Build the network from a weights file written by ``scripts/train_deepvoice.py``.

    Raises:
        WeightsError: the file is not a deep-voice checkpoint.
    """
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        model = DeepVoiceCnn(CnnConfig(**blob["config"]))
        model.load_state_dict(blob["state_dict"])
    except (KeyError, TypeError, RuntimeError, OSError) as exc:
        raise WeightsError(f"{path} is not a deep-voice checkpoint: {exc}") from exc
    return model.eval()


def window_logit(model: DeepVoiceCnn, samples: Samples) -> float:
    """The model's log-odds (synthetic vs human) for one window of 8 kHz samples."""
    x = np.asarray(samples, dtype=np.float32)
    if len(x) == 0:
        raise DetectorError("deep_voice got an empty window")
    if len(x) < MIN_SAMPLES:
        x = np.tile(x, MIN_SAMPLES // len(x) + 1)
    with torch.inference_mode():
        return float(model(torch.from_numpy(x).unsqueeze(0))[0])


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass
class DeepVoiceStream:
    """One call's evidence: the running mean of window log-odds."""

    model: DeepVoiceCnn
    threshold: float | None = None
    _sum: float = field(default=0.0, init=False)
    _count: int = field(default=0, init=False)

    def push(self, window: AnalysisWindow) -> DetectorScore:
        """Score one window and return the accumulated probability that the voice is synthetic.

        Raises:
            DetectorError: the window is empty or not at 8 kHz.
        """
        if window.sample_rate_hz != SAMPLE_RATE_HZ:
            raise DetectorError(f"deep_voice needs {SAMPLE_RATE_HZ} Hz windows")
        logit = window_logit(self.model, window.samples)
        self._sum += logit
        self._count += 1
        mean = self._sum / self._count
        return DetectorScore(
            detector=NAME,
            score=_sigmoid(mean),
            start_s=window.start_s,
            end_s=window.end_s,
            speech_s=window.speech_s,
            detail={
                "window_score": _sigmoid(logit),
                "log_odds": mean,
                "windows": float(self._count),
            },
        )


@dataclass
class DeepVoiceDetector:
    """The loaded model, shared by every call."""

    spec: DetectorSpec
    model: DeepVoiceCnn

    def stream(self, call: CallContext) -> DeepVoiceStream:
        """Start scoring one call (needs no enrolment)."""
        return DeepVoiceStream(self.model)


def load(settings: DeepVoiceSettings, ctx: LoadContext) -> DeepVoiceDetector:
    """Load the weights named by ``settings.model`` (checked against the manifest).

    Raises:
        WeightsError: missing, corrupt or unreadable weights.
    """
    path = resolve_weights(ctx.models_dir, settings.model)
    model = load_model(path)
    spec = DetectorSpec(
        name=NAME,
        sample_rate_hz=SAMPLE_RATE_HZ,
        window_s=settings.window_s,
        hop_s=settings.hop_s,
        min_speech_s=settings.min_speech_s,
        labels=("bonafide", "spoof"),
        version=f"{settings.model}-{sha256_of(path)[:12]}",
        alarm=VerdictKind.SPOOF,
        alarm_below=False,
    )
    log.info("deep-voice model loaded", extra={"model": settings.model, "path": str(path)})
    return DeepVoiceDetector(spec, model)
