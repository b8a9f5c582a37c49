"""The one-class cosine head (``--cosine-head``, OC-softmax's margins; round 31)."""

from pathlib import Path

import torch

from callwarden.detectors.deep_voice import load_model
from callwarden.detectors.deep_voice.model import (
    COSINE_CENTRE,
    COSINE_SCALE,
    CnnConfig,
    DeepVoiceCnn,
)
from corpus.losses import labelled
from train_deepvoice import build_model, parse_args

CONFIG = CnnConfig(width=4, phase=True)


def _pooled(model: DeepVoiceCnn, n: int) -> torch.Tensor:
    return torch.randn(n, model.head[0].in_features)


def test_a_cosine_head_scores_the_scaled_cosine_and_ignores_the_last_bias() -> None:
    torch.manual_seed(0)
    model = DeepVoiceCnn(CnnConfig(width=4, phase=True, cosine_head=True)).eval()
    pooled = _pooled(model, 8)
    logits = model.decide(pooled)
    torch.testing.assert_close(logits, COSINE_SCALE * (model.cosine(pooled) + COSINE_CENTRE))
    assert logits.min() >= COSINE_SCALE * (COSINE_CENTRE - 1) - 1e-4
    assert logits.max() <= COSINE_SCALE * (COSINE_CENTRE + 1) + 1e-4
    with torch.no_grad():
        model.head[-1].bias.fill_(100.0)
    torch.testing.assert_close(model.decide(pooled), logits)


def test_training_the_head_packs_real_clips_and_pushes_synthetic_ones_away() -> None:
    torch.manual_seed(1)
    model = DeepVoiceCnn(CnnConfig(width=4, phase=True, cosine_head=True)).train()
    pooled = _pooled(model, 64)
    y = (torch.arange(64) % 2).float()  # random vectors: the head must learn the labels
    optimiser = torch.optim.Adam(model.head.parameters(), lr=1e-2)
    for _ in range(300):
        optimiser.zero_grad()
        labelled(model, pooled, y)[1].backward()
        optimiser.step()
    cos = model.eval().cosine(pooled).detach()
    assert cos[y == 0].median() < -0.85  # real: near the opposite of the direction
    assert cos[y == 1].median() > -0.15  # synthetic: away from the real
    logits = model.decide(pooled)
    assert (logits[y == 1].min() > logits[y == 0].max()).item()


def test_without_the_flag_the_loss_is_the_plain_cross_entropy_of_one_head_run() -> None:
    model = DeepVoiceCnn(CONFIG).train()
    pooled, y = _pooled(model, 16), (torch.arange(16) % 2).float()
    torch.manual_seed(2)
    logits, loss = labelled(model, pooled, y)
    torch.manual_seed(2)
    expected = model.decide(pooled)  # the same dropout draw: the head ran once
    torch.testing.assert_close(logits, expected)
    torch.testing.assert_close(
        loss, torch.nn.functional.binary_cross_entropy_with_logits(expected, y)
    )


def test_a_plain_network_fine_tunes_as_a_cosine_one_and_loads_in_the_plugin(
    tmp_path: Path,
) -> None:
    torch.manual_seed(3)
    plain = DeepVoiceCnn(CONFIG)
    init = tmp_path / "plain.pt"
    torch.save({"config": CONFIG.to_dict(), "state_dict": plain.state_dict()}, init)
    model = build_model(parse_args(["--init", str(init), "--cosine-head"]))
    assert model.config.cosine_head and model.training
    for name, value in plain.state_dict().items():
        torch.testing.assert_close(model.state_dict()[name], value)  # the same weights
    saved = tmp_path / "cosine.pt"
    torch.save({"config": model.config.to_dict(), "state_dict": model.state_dict()}, saved)
    loaded = load_model(saved)
    audio = torch.randn(2, 8000)
    assert loaded.config.cosine_head
    torch.testing.assert_close(loaded(audio), model.eval()(audio))
    assert not torch.allclose(loaded(audio), plain.eval()(audio))  # read as cosines now
