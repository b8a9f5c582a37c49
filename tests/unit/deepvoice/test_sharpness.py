"""``corpus.sharpness``: SAM's gradient is the gradient at the perturbed weights."""

import argparse

import numpy as np
import torch
from torch import nn

from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn
from corpus.dataset import Split
from corpus.losses import step_loss
from corpus.sharpness import frozen_batch_norm, sam_gradients
from train_deepvoice import train_epoch


def test_sam_takes_the_gradient_where_the_loss_rises_and_returns_to_the_weights() -> None:
    w = nn.Parameter(torch.tensor([1.0, 2.0]))
    model = nn.Module()
    model.w = w

    def loss() -> torch.Tensor:
        return (w**4).sum()  # gradient 4 w^3: it changes with w

    loss().backward()
    g = 4 * torch.tensor([1.0, 8.0])
    rho = 0.1
    sam_gradients(model, [w], rho, loss)

    expected_at = torch.tensor([1.0, 2.0]) + rho * g / g.norm()
    torch.testing.assert_close(w.detach(), torch.tensor([1.0, 2.0]))  # back at w
    assert w.grad is not None
    torch.testing.assert_close(w.grad, 4 * expected_at**3)
    assert not torch.allclose(w.grad, g)  # not plain descent


def test_the_second_pass_leaves_batch_norm_statistics_alone() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)).train()
    x = torch.randn(16, 3)

    def loss() -> torch.Tensor:
        return model(x).square().mean()

    loss().backward()
    norm = model[1]
    before = (norm.running_mean.clone(), norm.running_var.clone(), norm.momentum)
    sam_gradients(model, list(model.parameters()), 0.05, loss)
    torch.testing.assert_close(norm.running_mean, before[0])
    torch.testing.assert_close(norm.running_var, before[1])
    assert norm.momentum == before[2]
    with frozen_batch_norm(model):
        assert norm.momentum == 0.0
    model(x)  # outside, a forward pass updates them again
    assert not torch.allclose(norm.running_mean, before[0])


def _args(sam: float) -> argparse.Namespace:
    return argparse.Namespace(
        steps=3, crop_s=0.25, batch=8, speed=0.0, augment=True, balance="clip", noise=0.0,
        rawboost=0.0, sam=sam,
    )  # fmt: skip


def _split() -> Split:
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(8 * 4000) * 3000).astype(np.int16)
    return Split(
        audio=audio, offsets=np.arange(9, dtype=np.int64) * 4000,
        is_spoof=np.arange(8) % 2 == 1, speakers=np.array(["x"] * 8),
        systems=np.array(["-", "world"] * 4), utt_ids=np.array([f"u{i}" for i in range(8)]),
    )  # fmt: skip


def test_a_seeded_batch_is_scored_twice_with_the_same_spec_augment_masks() -> None:
    torch.manual_seed(0)
    model = DeepVoiceCnn(CnnConfig(width=4, phase=True)).eval()
    x = np.random.default_rng(1).standard_normal((4, 2000)).astype(np.float32) * 0.1
    batch = (x, np.array([0, 1, 0, 1], np.float32), x, np.array(["x"] * 4))
    args, cpu = _args(0.05), torch.device("cpu")
    assert step_loss(model, args, batch, 7, cpu) == step_loss(model, args, batch, 7, cpu)
    rng = np.random.default_rng(7)
    assert step_loss(model, args, batch, rng, cpu) != step_loss(model, args, batch, rng, cpu)


def test_training_with_sam_takes_other_steps_than_without() -> None:
    after = []
    for sam in (0.0, 0.05):
        torch.manual_seed(0)
        model = DeepVoiceCnn(CnnConfig(width=4, phase=True))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        train_epoch(model, opt, _split(), _args(sam), np.random.default_rng(1), torch.device("cpu"))
        after.append({k: v.clone() for k, v in model.state_dict().items()})
    weight = "body.0.0.weight"
    assert not torch.equal(after[0][weight], after[1][weight])
    assert all(torch.isfinite(v).all() for v in after[1].values() if v.is_floating_point())
