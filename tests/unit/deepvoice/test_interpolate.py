"""Blending two checkpoints of one line of training, parameter by parameter."""

from pathlib import Path

import pytest
import torch

from callwarden.detectors.deep_voice import load_model
from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn
from interpolate_deepvoice import interpolate, main


def _save(path: Path, config: CnnConfig, seed: int) -> Path:
    torch.manual_seed(seed)
    model = DeepVoiceCnn(config)
    torch.save({"config": config.to_dict(), "state_dict": model.state_dict()}, path)
    return path


CONFIG = CnnConfig(width=4, phase=True)


def test_blend_is_the_weighted_mean_and_loads_as_a_detector(tmp_path: Path) -> None:
    a, b = _save(tmp_path / "a.pt", CONFIG, 0), _save(tmp_path / "b.pt", CONFIG, 1)
    out = tmp_path / "mid.pt"
    assert main([str(a), str(b), "0.25", str(out)]) == 0
    mid = load_model(out).state_dict()
    pa, pb = load_model(a).state_dict(), load_model(b).state_dict()
    moved = 0
    for k, v in mid.items():
        if v.is_floating_point():
            assert torch.allclose(v, 0.75 * pa[k] + 0.25 * pb[k], atol=1e-6)
            moved += int(not torch.equal(pa[k], pb[k]))
    assert moved > 0  # the two networks really differ, so the check above can fail


def test_ends_give_back_each_checkpoint(tmp_path: Path) -> None:
    a, b = _save(tmp_path / "a.pt", CONFIG, 0), _save(tmp_path / "b.pt", CONFIG, 1)
    for alpha, want in ((0.0, a), (1.0, b)):
        state = interpolate(a, b, alpha)["state_dict"]
        assert isinstance(state, dict)
        for k, v in load_model(want).state_dict().items():
            assert torch.equal(state[k], v)


def test_different_networks_or_a_bad_alpha_are_refused(tmp_path: Path) -> None:
    a = _save(tmp_path / "a.pt", CONFIG, 0)
    wide = _save(tmp_path / "wide.pt", CnnConfig(width=8, phase=True), 0)
    with pytest.raises(SystemExit, match="different configs"):
        interpolate(a, wide, 0.5)
    with pytest.raises(SystemExit, match="between 0 and 1"):
        interpolate(a, a, 1.5)


def test_a_parent_without_the_fine_tunes_attention_is_grafted_before_blending(
    tmp_path: Path,
) -> None:
    a = _save(tmp_path / "a.pt", CONFIG, 0)
    attending = CnnConfig(width=4, phase=True, attention=True)
    b = _save(tmp_path / "b.pt", attending, 1)
    blob = torch.load(b, weights_only=True)
    blob["state_dict"]["attend.weight"] = torch.ones_like(blob["state_dict"]["attend.weight"])
    torch.save(blob, b)
    out = tmp_path / "mid.pt"
    assert main([str(a), str(b), "0.25", str(out)]) == 0
    mid = load_model(out)
    assert mid.config.attention
    assert torch.allclose(mid.state_dict()["attend.weight"], torch.full((1, 32), 0.25))
    assert torch.allclose(
        mid.state_dict()["body.0.0.weight"],
        0.75 * load_model(a).state_dict()["body.0.0.weight"]
        + 0.25 * load_model(b).state_dict()["body.0.0.weight"],
        atol=1e-6,
    )
