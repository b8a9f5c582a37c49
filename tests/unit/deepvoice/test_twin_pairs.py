"""Resynthesis/twin pairs (``train_deepvoice.py --pairs``): which clips pair, how pairs are
cropped and noised together, and the ranking loss that orders them."""

from pathlib import Path

import numpy as np
import pytest
import torch

from corpus.augment import mix_pair_noise, paired_crops, twin_pairs
from corpus.dataset import Split
from corpus.losses import pair_loss


def _split(ids: list[str], lengths: list[int], audio: list[np.ndarray] | None = None) -> Split:
    clips = audio or [np.full(n, 100 * i, np.int16) for i, n in enumerate(lengths)]
    return Split(
        audio=np.concatenate(clips).astype(np.int16),
        offsets=np.concatenate([[0], np.cumsum([len(c) for c in clips])]).astype(np.int64),
        is_spoof=np.array([not u.startswith(("twin_", "bonafide")) for u in ids]),
        speakers=np.array(["x"] * len(ids)),
        systems=np.array(["-" if u.startswith(("twin_", "bonafide")) else "gl" for u in ids]),
        utt_ids=np.array(ids),
    )


IDS = ["bonafide_a", "griffinlim_a", "twin_griffinlim_a", "world_b", "twin_melgl_x", "twin_world_b"]


def test_each_twin_pairs_with_the_resynthesis_it_was_made_from() -> None:
    pairs = twin_pairs(_split(IDS, [800] * len(IDS)))
    assert pairs.tolist() == [[1, 2], [3, 5]]  # a twin whose resynthesis is absent: none
    assert twin_pairs(_split(IDS[:2], [800, 800])).shape == (0, 2)


def test_both_crops_of_a_pair_come_from_the_same_place_at_the_same_speed() -> None:
    ramp = np.arange(3000, dtype=np.int16)
    # the twin is the resynthesis plus 500, and 400 samples longer (cut to the shorter)
    audio = [ramp, np.concatenate([ramp + 500, np.zeros(400, np.int16)])]
    split = _split(["griffinlim_a", "twin_griffinlim_a"], [3000, 3400], audio)
    x, picks = paired_crops(split, twin_pairs(split), 64, 800, np.random.default_rng(0), 0.2)
    assert x.shape == (128, 800) and picks.tolist() == [0] * 64 + [1] * 64
    assert np.allclose(x[64:] - x[:64], 500 / 32768, atol=1e-5)  # aligned, same speed
    assert len({round(float(r[-1] - r[0]), 4) for r in x[:64]}) > 3  # speeds and places vary
    assert x[:64].max() < 3000 / 32768 + 1e-4  # never the twin's padding beyond the clip


def test_a_pair_gets_the_same_fresh_noise_samples() -> None:
    rng = np.random.default_rng(1)
    x = (0.1 * rng.standard_normal((40, 800))).astype(np.float32)
    music = (3000 * np.sin(np.arange(20_000) / 7)).astype(np.int16)
    noisy = mix_pair_noise(x.copy(), 1.0, np.random.default_rng(2), music)
    added = noisy - x
    assert np.all(np.any(added[:20] != 0, axis=1))  # share 1: every pair
    assert np.allclose(added[20:], added[:20], atol=1e-6)


def test_the_pair_loss_asks_a_resynthesis_to_score_above_its_twin() -> None:
    ordered, reversed_ = torch.tensor([3.0, 2.0, -1.0, 0.0]), torch.tensor([-1.0, 0.0, 3.0, 2.0])
    assert pair_loss(ordered) < 0.1 < 2.0 < pair_loss(reversed_)
    logits = torch.zeros(4, requires_grad=True)
    pair_loss(logits).backward()
    assert logits.grad is not None
    assert (logits.grad[:2] < 0).all() and (logits.grad[2:] > 0).all()  # spoof up, twin down


def test_pairs_without_twins_are_refused_with_the_way_to_build_them(tmp_path: Path) -> None:
    from train_deepvoice import main

    plain = _split(["bonafide_a", "griffinlim_a"], [8000, 8000])
    plain.save(tmp_path / "p0" / "train.npz")
    plain.save(tmp_path / "p0" / "dev.npz")
    with pytest.raises(SystemExit, match=r"build\.py --twins"):
        main(["--packed", str(tmp_path / "p0"), "--pairs", "4", "--out", str(tmp_path / "m.pt")])
