"""Which clips training crops (both classes alike, spoof systems by clip count or alike)
and the fresh noise mixed into them."""

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn
from corpus.augment import (
    clip_weights,
    distort,
    mix_noise,
    random_crops,
    random_firs,
    rawboost,
    twin_pairs,
)
from corpus.dataset import Split
from corpus.losses import anchor_loss
from train_deepvoice import collapsed, train_epoch


def _split(systems: list[str]) -> Split:
    n = len(systems)
    is_spoof = np.array([s != "-" for s in systems])
    audio = np.concatenate([np.full(800, 100 * i, np.int16) for i in range(n)])  # clip i: 100i
    return Split(
        audio=audio,
        offsets=np.arange(n + 1, dtype=np.int64) * 800,
        is_spoof=is_spoof,
        speakers=np.array(["x"] * n),
        systems=np.array(systems),
        utt_ids=np.array([f"u{i}" for i in range(n)]),
    )


# 4 real clips; Griffin-Lim has 9 clips, the neural voice 1
SPLIT = _split(["-"] * 4 + ["griffinlim"] * 9 + ["hibari"])


def _share(weights: np.ndarray, system: str) -> float:
    return float(weights[SPLIT.systems == system].sum())


@pytest.mark.parametrize("balance", ["clip", "sqrt", "family"])
def test_real_and_synthetic_clips_are_drawn_equally_often(balance: str) -> None:
    weights = clip_weights(SPLIT, balance)
    assert weights.sum() == pytest.approx(1.0)
    assert _share(weights, "-") == pytest.approx(0.5)


def test_family_balance_gives_a_small_family_as_many_crops_as_a_large_one() -> None:
    by_clip, by_root, by_family = (clip_weights(SPLIT, b) for b in ("clip", "sqrt", "family"))
    assert _share(by_clip, "hibari") == pytest.approx(0.05)  # 1 clip of 10
    assert _share(by_root, "hibari") == pytest.approx(0.5 * 1 / (1 + 3))  # sqrt(1) vs sqrt(9)
    assert _share(by_family, "hibari") == pytest.approx(0.25) == _share(by_family, "griffinlim")


def test_crops_follow_the_weights() -> None:
    rng = np.random.default_rng(0)
    for balance, hibari_share in (("clip", 0.05), ("family", 0.25)):
        weights = clip_weights(SPLIT, balance)
        x, picks = random_crops(SPLIT, 4000, 400, rng, speed=0.0, weights=weights)
        y = SPLIT.is_spoof[picks]
        clip = np.rint(x[:, 0] * 32768 / 100).astype(int)
        assert np.all(x == x[:, :1])  # one clip per crop
        assert y.mean() == pytest.approx(0.5, abs=0.03)
        assert np.mean(SPLIT.systems[clip] == "hibari") == pytest.approx(hibari_share, abs=0.03)
        assert np.array_equal(picks, clip)


def _snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    noise = noisy - clean
    return float(10 * np.log10(np.mean(clean**2) / np.mean(noise**2)))


def test_noise_goes_into_the_asked_share_of_crops_at_the_corpus_snrs() -> None:
    rng = np.random.default_rng(1)
    clean = (0.1 * rng.standard_normal((400, 800))).astype(np.float32)
    music = (3000 * np.sin(np.arange(20_000) / 7)).astype(np.int16)
    noisy = mix_noise(clean.copy(), 0.5, np.random.default_rng(2), music)
    touched = np.flatnonzero(np.any(noisy != clean, axis=1))
    assert len(touched) / len(clean) == pytest.approx(0.5, abs=0.08)
    snrs = np.array([_snr_db(clean[r], noisy[r]) for r in touched])
    assert snrs.min() >= 12 - 0.01 and snrs.max() <= 45 + 0.01
    low = snrs < 25  # hold music only
    assert low.mean() == pytest.approx(0.5, abs=0.1)  # half music, half white


def test_share_zero_leaves_every_crop_and_share_one_changes_every_crop() -> None:
    x = (0.1 * np.random.default_rng(3).standard_normal((50, 800))).astype(np.float32)
    music = np.full(5000, 1000, np.int16)
    none = mix_noise(x.copy(), 0.0, np.random.default_rng(4), music)
    every = mix_noise(x.copy(), 1.0, np.random.default_rng(4), music)
    assert np.array_equal(none, x)
    assert np.all(np.any(every != x, axis=1))


def test_rawboost_distorts_the_asked_share_of_crops_and_keeps_their_level() -> None:
    x = (0.1 * np.random.default_rng(6).standard_normal((200, 800))).astype(np.float32)
    assert np.array_equal(rawboost(x.copy(), 0.0, np.random.default_rng(7)), x)
    half = rawboost(x.copy(), 0.5, np.random.default_rng(7))
    touched = np.any(half != x, axis=1)
    assert touched.mean() == pytest.approx(0.5, abs=0.1)
    level = np.sqrt(np.mean(half**2, axis=1))
    assert np.allclose(level, np.sqrt(np.mean(x**2, axis=1)), rtol=1e-3)
    again = rawboost(x.copy(), 0.5, np.random.default_rng(7))
    assert np.array_equal(again, half)  # the seed decides


def test_random_filters_are_linear_phase_and_colour_the_spectrum() -> None:
    h = random_firs(np.random.default_rng(8), 64)
    assert h.shape == (64, 99) and np.allclose(h, h[:, ::-1])  # symmetric: linear phase
    gain_db = 20 * np.log10(np.abs(np.fft.rfft(h, 512, axis=1)) + 1e-9)
    assert np.allclose(gain_db.max(axis=1), 0.0, atol=1e-4)
    assert np.median(gain_db.max(axis=1) - gain_db.min(axis=1)) > 6  # a real colour, not flat


def test_distortion_adds_harmonics_to_a_pure_tone() -> None:
    t = np.arange(4000) / 8000
    tone = np.tile(0.5 * np.sin(2 * np.pi * 500 * t), (32, 1)).astype(np.float32)
    freqs = np.fft.rfftfreq(4000, 1 / 8000)

    def power_near(x: np.ndarray, hz: tuple[float, ...]) -> np.ndarray:
        power = np.abs(np.fft.rfft(x * np.hanning(4000), axis=1)) ** 2
        near = np.any([np.abs(freqs - f) <= 10 for f in hz], axis=0)
        return np.asarray(power[:, near].sum(axis=1))

    bent = distort(tone, np.random.default_rng(9))
    harmonics = power_near(bent, (1000.0, 1500.0))  # what a square and a cube add
    between = power_near(bent, (1250.0, 1750.0))  # what clicks alone would add too
    assert np.median(harmonics / between) > 10


def test_a_constant_scorer_is_reported_as_collapsed_and_a_real_one_is_not() -> None:
    assert collapsed(np.full(50, 0.3))
    assert collapsed(np.full(50, 0.3) + 1e-6 * np.arange(50) / 50)  # float noise only
    assert not collapsed(np.linspace(-2.0, 3.0, 50))
    assert not collapsed(np.array([]))


class _Spy(torch.nn.Module):
    """A teacher that records what it was shown and scores each crop by its mean level."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(x.clone())
        return 10 * x.mean(dim=1)


def test_anchor_loss_is_least_where_the_student_says_what_the_teacher_says() -> None:
    teacher, before = _Spy(), torch.linspace(-0.5, 0.5, 4 * 800).reshape(4, 800)
    agree = teacher(before).requires_grad_()
    anchor_loss(agree, [teacher], before).backward()
    assert agree.grad is not None and torch.allclose(agree.grad, torch.zeros(4), atol=1e-7)
    apart = (teacher(before) + 2.0).requires_grad_()
    anchor_loss(apart, [teacher], before).backward()
    assert apart.grad is not None and (apart.grad > 0).all()  # pulled back towards it


class _Shifted(_Spy):
    def __init__(self, shift: float) -> None:
        super().__init__()
        self.shift = shift

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x) + self.shift


def test_several_teachers_speak_as_the_mean_of_their_logits() -> None:
    before = torch.linspace(-0.5, 0.5, 4 * 800).reshape(4, 800)
    low, high = _Shifted(-3.0), _Shifted(1.0)
    middle = (_Spy()(before) - 1.0).requires_grad_()  # the mean logit, not the mean probability
    anchor_loss(middle, [low, high], before).backward()
    assert middle.grad is not None and torch.allclose(middle.grad, torch.zeros(4), atol=1e-7)
    assert len(low.seen) == len(high.seen) == 1  # each heard the crops once


def test_the_teacher_hears_each_crop_before_its_fresh_noise() -> None:
    torch.manual_seed(0)
    model = DeepVoiceCnn(CnnConfig(width=4, phase=True))
    teacher = _Spy()
    args = argparse.Namespace(
        steps=1, crop_s=0.25, batch=16, speed=0.0, augment=False, balance="clip",
        noise=1.0, music_audio=np.full(5000, 3000, np.int16), teachers_loaded=[teacher],
        anchor=0.5,
        rawboost=1.0,
    )  # fmt: skip
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    train_epoch(model, opt, SPLIT, args, np.random.default_rng(5), torch.device("cpu"))
    (heard,) = teacher.seen
    # clip i is the constant 100 i / 32768: the teacher got the crops without added noise
    # or distortion
    levels = heard * 32768 / 100
    assert torch.allclose(levels, levels.round(), atol=1e-3)
    assert torch.allclose(heard.std(dim=1), torch.zeros(16), atol=1e-6)


def test_a_batch_gains_its_twin_pairs_after_its_usual_crops() -> None:
    ids = np.array(["bonafide_a", "griffinlim_a", "world_b", "twin_griffinlim_a", "twin_world_b"])
    split = replace(_split(["-", "griffinlim", "world", "-", "-"]), utt_ids=ids)
    teacher = _Spy()
    args = argparse.Namespace(
        steps=1, crop_s=0.25, batch=16, speed=0.0, augment=False, balance="clip",
        noise=0.0, music_audio=None, teachers_loaded=[teacher], anchor=0.5, rawboost=0.0,
        pairs=6, pair_weight=1.0, twin_pairs=twin_pairs(split),
    )  # fmt: skip
    model = DeepVoiceCnn(CnnConfig(width=4, phase=True))
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    train_epoch(model, opt, split, args, np.random.default_rng(5), torch.device("cpu"))
    (heard,) = teacher.seen
    clips = (heard[:, 0] * 32768 / 100).round().int().tolist()  # clip i: the constant 100 i
    assert len(clips) == 16 + 2 * 6  # the usual crops, then six resyntheses and their twins
    pairs = set(zip(clips[16:22], clips[22:], strict=True))
    assert pairs and pairs <= {(1, 3), (2, 4)}


def test_anchor_without_a_network_to_anchor_to_is_refused_before_any_data_loads(
    tmp_path: Path,
) -> None:
    from train_deepvoice import main

    with pytest.raises(SystemExit, match="--init network or --teachers"):
        main(["--anchor", "0.5", "--data", str(tmp_path / "nowhere")])
    with pytest.raises(SystemExit, match="give --anchor"):
        main(["--teachers", "a.pt", "--data", str(tmp_path / "nowhere")])
