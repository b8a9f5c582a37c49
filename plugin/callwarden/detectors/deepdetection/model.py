"""DeepDetection's networks (Kang et al., Applied Sciences 12(21) 11109, 2022).

A Conv1d autoencoder over 1000-sample slices (1 -> 16 -> 8 channels, max-pool 6) whose
encoder runs on the tap side, and a 1D-CNN (conv 32, 64, 32, 8 channels, kernel 15; dense
64; N users + 1 "deep voice" classes) that sees only the encoder's latent features.
"""

from __future__ import annotations

import torch
from torch import nn

SLICE = 1000
LATENT_CHANNELS = 8
POOL = 6
LATENT_LENGTH = SLICE // POOL  # 166
KERNEL = 15


class Encoder(nn.Module):
    """Slices ``(batch, 1, 1000)`` to latent features ``(batch, 8, 166)``."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, KERNEL, padding=KERNEL // 2),
            nn.ReLU(),
            nn.Conv1d(16, LATENT_CHANNELS, KERNEL, padding=KERNEL // 2),
            nn.ReLU(),
            nn.MaxPool1d(POOL),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode slices."""
        z: torch.Tensor = self.net(x)
        return z


class Decoder(nn.Module):
    """Latent ``(batch, 8, 166)`` back to slices ``(batch, 1, 1000)`` (training only)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Upsample(size=SLICE),
            nn.Conv1d(LATENT_CHANNELS, 16, KERNEL, padding=KERNEL // 2),
            nn.ReLU(),
            nn.Conv1d(16, 1, KERNEL, padding=KERNEL // 2),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Decode latent features."""
        x: torch.Tensor = self.net(z)
        return x


class LatentCnn(nn.Module):
    """Latent ``(batch, 8, 166)`` to class logits ``(batch, n_classes)``."""

    def __init__(self, n_classes: int) -> None:
        super().__init__()
        pad = KERNEL // 2
        self.body = nn.Sequential(
            nn.Conv1d(LATENT_CHANNELS, 32, KERNEL, padding=pad),
            nn.ReLU(),
            nn.Conv1d(32, 64, KERNEL, padding=pad),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(64, 32, KERNEL, padding=pad),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(32, 8, KERNEL, padding=pad),
            nn.ReLU(),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(8 * (LATENT_LENGTH // 4), 64),
            nn.ReLU(),
            nn.Dropout(0.3),
            nn.Linear(64, n_classes),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Classify latent features."""
        logits: torch.Tensor = self.head(self.body(z))
        return logits
