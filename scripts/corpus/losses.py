"""Training objectives beside the labels' cross-entropy (``scripts/train_deepvoice.py``)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def anchor_loss(
    logits: torch.Tensor, teachers: Sequence[nn.Module], before: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy of ``logits`` against the teachers' probability (``--anchor``).

    The teacher is the ``--init`` network, frozen, unless ``--teachers`` names others;
    several teachers speak as one, the mean of their logits (an ensemble distilled into
    the student). They score the crops as they were before fresh noise was added. On
    clean crops the student is held to what the teacher already did (its strengths, piper
    among them, kept as a function rather than by blending weights afterwards); on noisy
    crops it is asked to say what the teacher says when it hears the clip clearly.
    """
    with torch.no_grad():
        target = torch.sigmoid(torch.stack([t(before) for t in teachers]).mean(dim=0))
    return nn.functional.binary_cross_entropy_with_logits(logits, target)


def pair_loss(logits: torch.Tensor) -> torch.Tensor:
    """How often a resynthesis scores below its own real twin (``--pairs``), smoothly.

    ``logits`` holds ``paired_crops``'s rows: the resyntheses, then their twins. The
    logistic loss of each difference (a pairwise ranking loss) asks only that a crop
    score above the same words, voice and channel without the resynthesis: the
    within-voice ordering that new voices' misses lack (a voice's identity cancels).
    """
    spoof, real = logits.chunk(2)
    return nn.functional.softplus(real - spoof).mean()
