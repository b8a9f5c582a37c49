"""A voice adversary for training (``train_deepvoice.py --adversary W``).

A small head guesses which training voice a crop came from, reading the network's pooled
vector (``DeepVoiceCnn.embed``) through a gradient reversal: the head learns to name the
voice and the network learns to make that hard (domain-adversarial training, Ganin and
Lempitsky 2015, with voices as the domains). Every real voice set also trains as its own
resyntheses, so the voice never gives the label away; the question is whether a network
whose vector carries less of who is speaking finds never-heard real voices less strange.
The head exists only in training; the saved weights are the network alone.

Which voices it names is the caller's choice (``--adversary-on``): every voice of train,
or only the real ones (their recordings and resyntheses). For a TTS voice, who speaks and
what gives it away are one thing, so hiding the first may hide the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from .dataset import Split


class _Reverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, scale: float) -> torch.Tensor:
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.scale * grad, None


def reverse_gradient(x: torch.Tensor, scale: float = 1.0) -> torch.Tensor:
    """``x`` unchanged going forward; its gradient times ``-scale`` coming back."""
    out: torch.Tensor = _Reverse.apply(x, scale)
    return out


IGNORED = -100  # cross_entropy's ignore_index: a crop of a voice the head does not name


def named_voices(split: Split, which: str) -> np.ndarray:
    """The voices the head names: all of ``split``'s, or those with real clips (``real``)."""
    return split.speakers if which == "all" else split.speakers[~split.is_spoof]


class VoiceAdversary(nn.Module):
    """Names the voice of a pooled vector; its loss pushes the network the other way."""

    def __init__(self, dim: int, voices: Sequence[str]) -> None:
        super().__init__()
        self.voices = sorted(set(voices))
        self._index = {voice: i for i, voice in enumerate(self.voices)}
        self.guess = nn.Sequential(nn.Linear(dim, 64), nn.ReLU(), nn.Linear(64, len(self.voices)))

    def labels(self, speakers: np.ndarray) -> torch.Tensor:
        """Each crop's voice as an index into ``voices`` (``IGNORED`` for any other voice)."""
        return torch.tensor([self._index.get(str(s), IGNORED) for s in speakers])

    def loss(self, pooled: torch.Tensor, labels: torch.Tensor, scale: float) -> torch.Tensor:
        """Cross-entropy of the head's guesses; the network's gradient is reversed and scaled.

        Added to the task loss as it is: the head descends it, and the network, through the
        reversal, ascends it ``scale`` times as steeply.
        """
        named = labels != IGNORED
        if not bool(named.any()):
            return pooled.sum() * 0.0
        logits = self.guess(reverse_gradient(pooled[named.to(pooled.device)], scale))
        return nn.functional.cross_entropy(logits, labels[named].to(logits.device))
