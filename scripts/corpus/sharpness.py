"""Sharpness-aware minimisation (Foret et al., ICLR 2021) for ``train_deepvoice.py --sam``.

Plain training follows the gradient at the weights ``w``. SAM follows the gradient at
``w + rho * g / |g|``, the nearby point where the loss rises fastest, so the optimiser
prefers weights whose whole neighbourhood has a low loss.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn


@contextmanager
def frozen_batch_norm(model: nn.Module) -> Iterator[None]:
    """BatchNorm layers still normalise by the batch but leave their running statistics."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in norms]
    for m in norms:
        m.momentum = 0.0  # running = (1 - momentum) * running + momentum * batch
    try:
        yield
    finally:
        for m, momentum in zip(norms, saved, strict=True):
            m.momentum = momentum


def sam_gradients(
    model: nn.Module, params: Sequence[nn.Parameter], rho: float, loss: Callable[[], torch.Tensor]
) -> None:
    """Replace ``params``' gradients by the loss's gradient at the perturbed weights.

    Call after ``loss().backward()`` at ``w``; the weights are back at ``w`` on return,
    holding SAM's gradient for the optimiser's step.

    Args:
        model: the network ``loss`` runs (its BatchNorm statistics are left alone).
        params: the parameters the optimiser steps.
        rho: the neighbourhood's radius, in the parameters' own units.
        loss: the same batch's loss, recomputed (same inputs, same random masks).
    """
    live = [p for p in params if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in live]))
    scale = rho / (norm + 1e-12)
    with torch.no_grad():
        steps = [p.grad * scale for p in live]  # type: ignore[operator]
        for p, e in zip(live, steps, strict=True):
            p.add_(e)
    for p in params:
        p.grad = None
    with frozen_batch_norm(model):
        loss().backward()
    with torch.no_grad():
        for p, e in zip(live, steps, strict=True):
            p.sub_(e)
