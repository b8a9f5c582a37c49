"""The GE2E speaker encoder's view of a clip, for a back end that tells synthetic speech.

Round 26 of the deep-voice history: the one speech network here pretrained on thousands of
real speakers is the speaker detector's GE2E encoder. For each clip's first ``d`` seconds,
raised from 8 to 16 kHz by the pipeline's resampler, two views:

- ``dvec``: the d-vector, as the speaker detector computes it (``SpeakerEncoder.embed``);
- ``lstm``: the mean and standard deviation over time of each of the encoder's three LSTM
  layers' outputs (``3 * 2 * 256`` values).

d-vectors are voiceprints: the cache (``cached_views``) holds them for the corpus's
voices only, under the ignored data folder, and is for research, never for subscribers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn
from tqdm import tqdm

from callwarden.audio.resample import resample
from callwarden.detectors.speaker.encoder import Ge2eNet, SpeakerEncoder, mel_frames

from .dataset import RATE_HZ, Split, cached_by_clip

VIEWS = ("dvec", "lstm")
_LSTM_PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def layer_lstms(net: Ge2eNet) -> list[nn.LSTM]:
    """The encoder's 3-layer LSTM as three 1-layer LSTMs with its weights, to see each layer."""
    deep = net.lstm
    layers = []
    for k in range(deep.num_layers):
        one = nn.LSTM(deep.input_size if k == 0 else deep.hidden_size, deep.hidden_size)
        one.load_state_dict({f"{name}_l0": getattr(deep, f"{name}_l{k}") for name in _LSTM_PARAMS})
        layers.append(one.eval())
    return layers


def pooled_layers(layers: Sequence[nn.LSTM], mels: Sequence[np.ndarray]) -> np.ndarray:
    """``(n, 6 * 256)``: per layer, the mean then the std over each clip's frames.

    Args:
        layers: ``layer_lstms``' output.
        mels: ``n`` arrays ``(frames, 40)``, of any lengths.
    """
    lengths = torch.tensor([len(m) for m in mels])
    x = torch.zeros((int(lengths.max()), len(mels), mels[0].shape[1]))
    for i, m in enumerate(mels):
        x[: len(m), i] = torch.from_numpy(m)
    valid = (torch.arange(x.shape[0])[:, None] < lengths[None, :]).float()[..., None]
    pooled = []
    with torch.inference_mode():
        for layer in layers:
            x, _ = layer(x)  # outputs at valid frames do not see the padding after them
            mean = (x * valid).sum(0) / lengths[:, None]
            var = (((x - mean) * valid) ** 2).sum(0) / lengths[:, None]
            pooled += [mean, var.sqrt()]
    return torch.cat(pooled, dim=1).numpy()


def views(
    encoder: SpeakerEncoder, split: Split, duration_s: float, batch: int = 64
) -> dict[str, np.ndarray]:
    """Both views of every clip's first ``duration_s`` seconds: ``{"dvec", "lstm"}``."""
    layers = layer_lstms(encoder.net)
    dvec, lstm = [], []
    for start in tqdm(
        range(0, len(split), batch), desc=f"GE2E view {duration_s:g} s", unit="batch"
    ):
        clips = [
            resample(split.clip(i)[: int(duration_s * RATE_HZ)], RATE_HZ, encoder.sample_rate_hz)
            for i in range(start, min(start + batch, len(split)))
        ]
        dvec.append(encoder.embed(clips))
        lstm.append(pooled_layers(layers, [mel_frames(c) for c in clips]))
    return {"dvec": np.concatenate(dvec), "lstm": np.concatenate(lstm)}


def cached_views(
    models_dir: Path, split: Split, durations_s: Sequence[float], path: Path
) -> dict[str, np.ndarray]:
    """``{f"{view}_{d:g}": features}`` for each duration, computed once into ``path``."""

    def compute() -> dict[str, np.ndarray]:
        encoder = SpeakerEncoder.load(models_dir)
        return {
            f"{name}_{d:g}": x for d in durations_s for name, x in views(encoder, split, d).items()
        }

    return cached_by_clip(path, split, compute)


def back_end() -> Pipeline:
    """Standardised features into a class-balanced L2 logistic regression (C = 1)."""
    return make_pipeline(
        StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000)
    )


def standardise(scores: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``scores`` in units of ``reference``'s standard deviation about its mean."""
    return (scores - reference.mean()) / reference.std()
