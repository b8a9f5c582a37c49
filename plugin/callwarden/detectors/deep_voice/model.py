"""A light CNN (LCNN, max-feature-map) over log-power linear spectra of 8 kHz speech.

Linear frequency bins keep the 2-4 kHz band, where vocoder and concatenation artefacts
show, at full resolution (mel would squeeze it). The front end is part of the module, so
the weights file is the whole model and features cannot drift between training and use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

SAMPLE_RATE_HZ = 8000


@dataclass(frozen=True)
class CnnConfig:
    """Front end and width of the network (stored beside the weights)."""

    n_fft: int = 256
    win_length: int = 200
    hop_length: int = 80
    width: int = 12
    cmn: bool = True

    def to_dict(self) -> dict[str, int | bool]:
        """The config as a plain mapping (for the weights file)."""
        return asdict(self)


class LogSpectrum(nn.Module):
    """Waveform ``(batch, samples)`` to level-normalised log power ``(batch, 1, freq, time)``.

    With ``cmn`` each frequency bin's mean over the window is removed: a fixed filter (a
    handset, a studio, a codec's tilt) adds a constant per bin in the log domain, so the
    network sees how the spectrum moves rather than the recording chain's colour.
    """

    def __init__(self, config: CnnConfig) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("window", torch.hann_window(config.win_length), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Compute the features; the waveform is scaled to unit RMS first (gain invariance)."""
        x = x / (x.pow(2).mean(dim=1, keepdim=True).sqrt() + 1e-4)
        c = self.config
        spec = torch.stft(
            x, c.n_fft, c.hop_length, c.win_length, self.window, return_complex=True
        )
        logp = torch.log(spec.real.pow(2) + spec.imag.pow(2) + 1e-5)
        if c.cmn:
            logp = logp - logp.mean(dim=2, keepdim=True)
        return logp.unsqueeze(1)


class MaxFeatureMap(nn.Module):
    """Halve the channels by taking the element-wise max of the two halves."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the max-feature-map activation."""
        a, b = x.chunk(2, dim=1)
        return torch.maximum(a, b)


def _mfm_conv(c_in: int, c_out: int, kernel: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, 2 * c_out, kernel, padding=kernel // 2), MaxFeatureMap())


class DeepVoiceCnn(nn.Module):
    """LCNN: ``(batch, samples)`` at 8 kHz to one logit per clip (positive = synthetic)."""

    def __init__(self, config: CnnConfig | None = None) -> None:
        super().__init__()
        self.config = config or CnnConfig()
        w = self.config.width
        self.features = LogSpectrum(self.config)
        self.body = nn.Sequential(
            _mfm_conv(1, w, 5), nn.MaxPool2d(2),
            _mfm_conv(w, w, 1), nn.BatchNorm2d(w), _mfm_conv(w, 2 * w, 3), nn.MaxPool2d(2),
            nn.BatchNorm2d(2 * w), _mfm_conv(2 * w, 2 * w, 1), nn.BatchNorm2d(2 * w),
            _mfm_conv(2 * w, 2 * w, 3), nn.MaxPool2d(2),
            nn.BatchNorm2d(2 * w), _mfm_conv(2 * w, w, 3), nn.MaxPool2d(2),
        )
        freq = self.config.n_fft // 2 + 1
        for _ in range(4):
            freq //= 2
        self.head = nn.Sequential(
            nn.Linear(2 * w * freq, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch,)`` for waveforms ``(batch, samples)``."""
        return self.classify(self.features(x))

    def classify(self, spec: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch,)`` for features ``(batch, 1, freq, time)`` (training masks these)."""
        h = self.body(spec)  # (batch, w, freq', time')
        h = h.flatten(1, 2)  # (batch, w * freq', time')
        pooled = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        return self.head(pooled).squeeze(1)
