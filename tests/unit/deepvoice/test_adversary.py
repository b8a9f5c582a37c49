"""The voice adversary of ``train_deepvoice.py --adversary``: the head learns to name the
voice while the network it reads is pushed to hide it."""

import argparse

import numpy as np
import torch
from torch import nn

from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn
from corpus.adversary import IGNORED, VoiceAdversary, named_voices, reverse_gradient
from corpus.dataset import Split
from train_deepvoice import train_epoch


def test_reversal_passes_values_and_flips_the_gradient_by_its_scale() -> None:
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = reverse_gradient(x, 0.25)
    assert torch.equal(y, x)
    (y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad is not None
    assert torch.allclose(x.grad, torch.tensor([-0.25, -0.5, -0.75]))


def _voices(n: int) -> tuple[torch.Tensor, np.ndarray]:
    """Inputs whose first dimension says the voice (+1 "a", -1 "b"), the rest noise."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(n, 4, generator=gen)
    voice = np.where(np.arange(n) % 2 == 0, "a", "b")
    x[:, 0] = torch.from_numpy(np.where(voice == "a", 1.0, -1.0).astype(np.float32))
    return x, voice


def _step(encoder: nn.Module, head: VoiceAdversary, which: nn.Module, scale: float) -> float:
    """The adversary's loss after one SGD step on ``which`` alone."""
    x, voice = _voices(64)
    labels = head.labels(voice)
    opt = torch.optim.SGD(which.parameters(), lr=0.1)
    opt.zero_grad()
    head.loss(encoder(x), labels, scale).backward()
    opt.step()
    with torch.no_grad():
        return float(head.loss(encoder(x), labels, scale))


def test_the_head_learns_the_voice_and_the_network_learns_to_hide_it() -> None:
    torch.manual_seed(0)
    encoder, head = nn.Linear(4, 8), VoiceAdversary(8, ["b", "a", "a"])
    assert head.voices == ["a", "b"]
    x, voice = _voices(64)
    with torch.no_grad():
        start = float(head.loss(encoder(x), head.labels(voice), 1.0))
    saved = [{k: v.clone() for k, v in m.state_dict().items()} for m in (encoder, head)]

    def restore() -> None:
        encoder.load_state_dict(saved[0])
        head.load_state_dict(saved[1])

    assert _step(encoder, head, head.guess, 1.0) < start  # the head descends
    restore()
    assert _step(encoder, head, encoder, 1.0) > start  # the network, reversed, ascends
    restore()
    assert _step(encoder, head, encoder, 0.0) == start  # no push at scale 0


def test_training_with_the_adversary_moves_its_head_and_changes_the_network() -> None:
    n = 8
    split = Split(
        audio=np.random.default_rng(0).integers(-3000, 3000, n * 2000).astype(np.int16),
        offsets=np.arange(n + 1, dtype=np.int64) * 2000,
        is_spoof=np.arange(n) % 2 == 1,
        speakers=np.array(["p", "p", "q", "q", "r", "r", "s", "s"]),
        systems=np.array(["-", "world"] * 4),
        utt_ids=np.array([f"u{i}" for i in range(n)]),
    )
    after = []
    for weight in (0.0, 1.0):
        torch.manual_seed(0)
        model = DeepVoiceCnn(CnnConfig(width=4, phase=True))
        head = VoiceAdversary(model.head[0].in_features, split.speakers)
        before = {k: v.clone() for k, v in head.state_dict().items()}
        args = argparse.Namespace(
            steps=2, crop_s=0.2, batch=8, speed=0.0, augment=False, balance="clip",
            noise=0.0, rawboost=0.0, adversary=weight, adversary_head=head if weight else None,
        )  # fmt: skip
        params = [*model.parameters(), *head.parameters()]
        train_epoch(
            model, torch.optim.SGD(params, lr=0.1), split, args, np.random.default_rng(1),
            torch.device("cpu"),
        )  # fmt: skip
        moved = any(not torch.equal(before[k], v) for k, v in head.state_dict().items())
        assert moved == bool(weight)
        after.append(model.state_dict()["body.0.0.weight"].clone())
    assert not torch.equal(after[0], after[1])


def test_voices_the_head_does_not_name_add_nothing_to_its_loss() -> None:
    torch.manual_seed(0)
    split = Split(
        audio=np.zeros(5, np.int16), offsets=np.arange(6, dtype=np.int64),
        is_spoof=np.array([False, True, False, True, True]),
        speakers=np.array(["kde-da", "kde-da", "allison", "espeak-m1", "hibari-heart"]),
        systems=np.array(["-", "world", "-", "espeak", "hibari"]), utt_ids=np.arange(5),
    )  # fmt: skip
    assert sorted(set(named_voices(split, "all"))) == sorted(set(split.speakers))
    head = VoiceAdversary(6, named_voices(split, "real"))
    assert head.voices == ["allison", "kde-da"]  # a real voice's resyntheses keep its name
    labels = head.labels(split.speakers)
    assert labels.tolist() == [1, 1, 0, IGNORED, IGNORED]
    pooled = torch.randn(5, 6, requires_grad=True)
    whole = head.loss(pooled, labels, 1.0)
    assert torch.allclose(whole, head.loss(pooled[:3], labels[:3], 1.0))
    whole.backward()
    assert pooled.grad is not None and not pooled.grad[3:].any() and pooled.grad[:3].any()
    only_tts = head.loss(pooled[3:], labels[3:], 1.0)  # nothing to name: no loss, no NaN
    assert float(only_tts.detach()) == 0.0
