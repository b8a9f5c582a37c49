import numpy as np
import pytest
import torch

from callwarden.detectors.speaker.encoder import Ge2eNet, SpeakerEncoder, partial_spans


@pytest.fixture(scope="module")
def random_encoder() -> SpeakerEncoder:
    torch.manual_seed(0)
    return SpeakerEncoder(Ge2eNet(), "random")


@pytest.mark.parametrize("seconds", [0.5, 1.6, 2.4, 30.0])
def test_windows_from_half_a_second_to_thirty_seconds(
    random_encoder: SpeakerEncoder, seconds: float
) -> None:
    x = (0.1 * np.random.default_rng(0).standard_normal(int(seconds * 16000))).astype(np.float32)
    out = random_encoder.embed([x, x[: len(x) // 2 or 1]])
    assert out.shape == (2, 256) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_batching_does_not_change_embeddings(random_encoder: SpeakerEncoder) -> None:
    rng = np.random.default_rng(1)
    xs = [(0.1 * rng.standard_normal(n)).astype(np.float32) for n in (8000, 25600, 48000)]
    together = random_encoder.embed(xs)
    alone = np.vstack([random_encoder.embed([x]) for x in xs])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_empty_batch(random_encoder: SpeakerEncoder) -> None:
    assert random_encoder.embed([]).shape == (0, 256)


def test_partials_cover_the_window() -> None:
    assert partial_spans(161) == [(0, 161)]
    assert partial_spans(200) == [(0, 200)]
    spans = partial_spans(401)
    assert spans[0] == (0, 160) and spans[-1] == (241, 401)
    assert all(b - a == 160 for a, b in spans)
