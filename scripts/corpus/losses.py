"""Training objectives (``scripts/train_deepvoice.py``): a batch's whole loss, and its terms."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from callwarden.detectors.deep_voice.model import (
    COSINE_CENTRE,
    COSINE_MARGINS,
    COSINE_SCALE,
    DeepVoiceCnn,
)

from .adversary import VoiceAdversary
from .augment import spec_augment


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


def labelled(
    model: DeepVoiceCnn, pooled: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """The logits of ``embed``'s vectors and their cross-entropy against the labels.

    The head runs once (one dropout draw). A cosine head (``--cosine-head``) is held to
    OC-softmax's margins: a real clip is scored at ``COSINE_SCALE * (cos + 0.9)`` and a
    synthetic one at ``COSINE_SCALE * (cos + 0.2)``, so a real clip costs until its cosine
    is well below -0.9 (real speech packed tight) and a synthetic one until it is well
    above -0.2 (anywhere away from the real).
    """
    if not model.config.cosine_head:
        logits = model.decide(pooled)
        return logits, nn.functional.binary_cross_entropy_with_logits(logits, y)
    cos = model.cosine(pooled)
    margin = COSINE_MARGINS["spoof"] * y + COSINE_MARGINS["real"] * (1 - y)
    loss = nn.functional.binary_cross_entropy_with_logits(COSINE_SCALE * (cos + margin), y)
    return COSINE_SCALE * (cos + COSINE_CENTRE), loss


def step_loss(
    model: DeepVoiceCnn,
    args: argparse.Namespace,
    batch: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    masks: np.random.Generator | int,
    device: torch.device,
) -> torch.Tensor:
    """One batch's loss: ``(audio after noise and gain, labels, audio before noise, voices)``.

    SpecAugment draws its masks from ``masks``, or from a fresh generator seeded with it
    (``--sam`` scores a batch twice, with the same masks).
    """
    x, y, before, voices = batch
    masks = np.random.default_rng(masks) if isinstance(masks, int) else masks
    teachers = getattr(args, "teachers_loaded", None)
    adversary: VoiceAdversary | None = getattr(args, "adversary_head", None)
    spec = model.features(torch.from_numpy(x).to(device))
    pooled = model.embed(spec_augment(spec, masks) if args.augment else spec)
    logits, loss = labelled(model, pooled, torch.from_numpy(y).to(device))
    if teachers:
        pull = anchor_loss(logits, teachers, torch.from_numpy(before).to(device))
        loss = (1 - args.anchor) * loss + args.anchor * pull
    if getattr(args, "twin_pairs", None) is not None and args.pairs:
        loss = loss + args.pair_weight * pair_loss(logits[args.batch :])
    if adversary is not None:
        loss = loss + adversary.loss(pooled, adversary.labels(voices), args.adversary)
    return loss
