"""The network's front end: which channels it computes and what they measure."""

import copy
from pathlib import Path

import pytest
import torch

from callwarden.detectors.deep_voice import load_model
from callwarden.detectors.deep_voice.model import CnnConfig, DeepVoiceCnn, LogSpectrum, MaxPool2x2

ROOT = Path(__file__).resolve().parents[3]

HOP = 40


def impulse(at: int, n: int = 8000) -> torch.Tensor:
    x = torch.zeros(1, n)
    x[0, at] = 1.0
    return x


def test_group_delay_is_zero_for_an_impulse_at_the_frame_centre_and_shifts_with_it() -> None:
    config = CnnConfig(256, 200, HOP, 16, cmn=True, phase=True, group_delay=True)
    feats = LogSpectrum(config)(impulse(4000))
    assert feats.shape == (1, 3, 129, 8000 // HOP + 1)
    frame = 4000 // HOP  # torch.stft centres frame t on sample t * hop
    assert feats[0, 2, :, frame].abs().max() < 1e-5
    # one hop later the impulse sits 40 samples early: a steady step of 2 pi 40 / 256 per bin
    assert torch.allclose(feats[0, 2, :, frame + 1], torch.full((129,), HOP / 128), atol=1e-4)


def test_the_shipped_config_still_builds_two_channels_with_a_5x5_first_layer() -> None:
    # checkpoints written before group delay lack its keys: they get the old network
    old = {"n_fft": 256, "win_length": 200, "hop_length": 40, "width": 16, "cmn": True}
    config = CnnConfig(**old, phase=True)
    assert config.channels == 2
    assert DeepVoiceCnn(config).body[0][0].kernel_size == (5, 5)


def test_group_delay_adds_an_input_channel_and_the_first_kernel_is_set() -> None:
    config = CnnConfig(256, 200, HOP, 16, phase=True, group_delay=True, first_kernel=3)
    model = DeepVoiceCnn(config).eval()
    assert model.body[0][0].in_channels == 3 and model.body[0][0].kernel_size == (3, 3)
    assert model(torch.randn(2, 8000)).shape == (2,)


def test_widening_a_trained_network_with_group_delay_changes_nothing_until_it_trains() -> None:
    from corpus.grafts import with_group_delay

    torch.manual_seed(0)
    trained = DeepVoiceCnn(CnnConfig(256, 200, HOP, 8, phase=True)).eval()
    wider = with_group_delay(trained).eval()
    assert wider.config.group_delay and wider.config.channels == 3
    x = torch.randn(3, 8000)
    with torch.no_grad():
        assert torch.allclose(wider(x), trained(x), atol=1e-6)
        wider.body[0][0].weight[:, 2] += 0.1  # once the channel has weight, it counts
        assert not torch.allclose(wider(x), trained(x), atol=1e-3)


def test_grafting_attention_changes_nothing_until_it_trains_and_then_weights_frames() -> None:
    from corpus.grafts import grafted

    torch.manual_seed(0)
    trained = DeepVoiceCnn(CnnConfig(256, 200, HOP, 8, phase=True)).eval()
    attending = grafted(trained, group_delay=False, attention=True).eval()
    assert attending.config.attention and not attending.config.group_delay
    x = torch.randn(3, 16000)
    x[:, 8000:] *= 0.01  # a loud second then a quiet one: frames that differ
    with torch.no_grad():
        assert torch.allclose(attending(x), trained(x), atol=1e-6)
        attending.attend.weight.normal_()  # once frames are scored, the pooling moves
        assert not torch.allclose(attending(x), trained(x), atol=1e-3)


def test_a_fresh_attention_network_starts_as_the_plain_mean() -> None:
    torch.manual_seed(1)
    plain = DeepVoiceCnn(CnnConfig(256, 200, HOP, 8, phase=True)).eval()
    attending = DeepVoiceCnn(CnnConfig(256, 200, HOP, 8, phase=True, attention=True)).eval()
    attending.load_state_dict(plain.state_dict(), strict=False)
    x = torch.randn(2, 12000)
    with torch.no_grad():
        assert torch.allclose(attending(x), plain(x), atol=1e-6)


def test_the_fast_pool_is_torchs_max_pool_in_values_and_gradients() -> None:
    torch.manual_seed(0)
    for shape in [(2, 3, 129, 201), (1, 4, 64, 100), (1, 2, 5, 4)]:
        x = torch.randn(shape)
        with torch.inference_mode():
            assert torch.equal(MaxPool2x2()(x), torch.nn.MaxPool2d(2)(x))
        a, b = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
        fast, ref = MaxPool2x2()(a), torch.nn.MaxPool2d(2)(b)
        assert torch.equal(fast, ref)
        fast.sum().backward()
        ref.sum().backward()
        assert a.grad is not None and b.grad is not None and torch.equal(a.grad, b.grad)


def test_the_shipped_network_scores_as_it_did_with_torchs_max_pool() -> None:
    model = load_model(ROOT / "models/deepvoice_cnn.pt")
    reference = copy.deepcopy(model)
    pools = [i for i, layer in enumerate(reference.body) if isinstance(layer, MaxPool2x2)]
    assert len(pools) == 4
    for i in pools:
        reference.body[i] = torch.nn.MaxPool2d(2)
    x = torch.randn(3, 8000, generator=torch.Generator().manual_seed(1)) * 0.1
    with torch.inference_mode():
        assert torch.equal(model(x), reference(x))


def tone(freq_hz: float, n: int = 8000) -> torch.Tensor:
    t = torch.arange(n, dtype=torch.float64) / 8000
    return torch.sin(2 * torch.pi * freq_hz * t).float().unsqueeze(0)


def test_a_long_window_adds_log_power_and_phase_at_the_same_bins_and_frames() -> None:
    config = CnnConfig(256, 200, HOP, 16, phase=True, long_window=512)
    assert config.channels == 4
    feats = LogSpectrum(config)(tone(1000.0))  # bin 32 of a 256-point STFT
    assert feats.shape == (1, 4, 129, 8000 // HOP + 1)
    middle = slice(20, 180)  # frames clear of the clip's edges
    assert int(feats[0, 0, :, 100].argmax()) == int(feats[0, 2, :, 100].argmax()) == 32
    # a steady sinusoid at a bin centre advances its phase as expected at either length
    assert feats[0, 1, 32, middle].abs().max() < 1e-3
    assert feats[0, 3, 32, middle].abs().max() < 1e-3


def test_the_long_window_resolves_frequency_more_finely() -> None:
    config = CnnConfig(256, 200, HOP, 16, cmn=False, phase=True, long_window=512)
    feats = LogSpectrum(config)(tone(1000.0))  # no mean removal: a steady tone would vanish
    short, long = feats[0, 0, :, 100], feats[0, 2, :, 100]
    # two bins (62.5 Hz) from the tone, the 64 ms window leaks far less than the 25 ms one
    assert float(long[32] - long[34]) > float(short[32] - short[34]) + 10


def test_a_long_window_must_be_a_longer_multiple_of_the_fft() -> None:
    for bad in (256, 300, 128):
        with pytest.raises(ValueError, match="long_window"):
            CnnConfig(256, 200, HOP, 16, phase=True, long_window=bad)


def test_grafting_a_long_window_changes_nothing_until_it_trains() -> None:
    from corpus.grafts import grafted, with_group_delay

    torch.manual_seed(0)
    trained = DeepVoiceCnn(CnnConfig(256, 200, HOP, 8, phase=True)).eval()
    longer = grafted(trained, group_delay=False, attention=False, long_window=512).eval()
    assert longer.config.long_window == 512 and longer.config.channels == 4
    x = torch.randn(3, 8000)
    with torch.no_grad():
        assert torch.allclose(longer(x), trained(x), atol=1e-6)
        longer.body[0][0].weight[:, 2:] += 0.1  # once the new channels have weight, they count
        assert not torch.allclose(longer(x), trained(x), atol=1e-3)
    with pytest.raises(ValueError, match="before the long window"):
        with_group_delay(longer)
    with pytest.raises(ValueError, match="long window is 512"):
        grafted(longer, group_delay=False, attention=False, long_window=1024)
