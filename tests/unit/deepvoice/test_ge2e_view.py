"""``corpus.ge2e_view``: the GE2E encoder seen layer by layer, pooled over valid frames."""

import numpy as np
import torch

from callwarden.detectors.speaker.encoder import Ge2eNet
from corpus.ge2e_view import layer_lstms, pooled_layers


def test_the_layers_one_by_one_are_the_encoders_lstm() -> None:
    torch.manual_seed(0)
    net = Ge2eNet().eval()
    x = torch.randn(2, 30, 40)
    with torch.inference_mode():
        deep, _ = net.lstm(x)
        h = x.transpose(0, 1)
        for layer in layer_lstms(net):
            h, _ = layer(h)
    torch.testing.assert_close(h.transpose(0, 1), deep)


def test_pooling_sees_each_clips_own_frames_only() -> None:
    torch.manual_seed(0)
    layers = layer_lstms(Ge2eNet().eval())
    rng = np.random.default_rng(0)
    short = rng.random((20, 40), dtype=np.float32)
    long = rng.random((50, 40), dtype=np.float32)
    alone = pooled_layers(layers, [short])
    padded = pooled_layers(layers, [long, short])
    assert alone.shape == (1, 6 * 256)
    np.testing.assert_allclose(padded[1], alone[0], rtol=1e-4, atol=1e-6)
    assert not np.allclose(padded[0], alone[0], atol=1e-3)  # a different clip differs
    # the std halves are spreads over time: positive where the layer's output moves
    assert (alone[0, 256:512] >= 0).all() and alone[0, 256:512].max() > 0
