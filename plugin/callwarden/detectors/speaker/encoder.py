"""The GE2E d-vector encoder (Wan et al. 2018) with the weights shipped in resemblyzer.

The network is 3 LSTM layers (40 mel -> 256) and a linear layer with ReLU whose output is
L2-normalised; resemblyzer's ``pretrained.pt`` holds its state dict. It was trained on
16 kHz speech in 1.6 s partials (160 mel frames); a longer window is cut into partials
that overlap by half and their embeddings are averaged, a shorter one runs as it is.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

import librosa
import numpy as np
import numpy.typing as npt
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from callwarden.errors import WeightsError
from callwarden.frames import Samples
from callwarden.weights import resolve_weights, sha256_of

Embeddings = npt.NDArray[np.float32]

SAMPLE_RATE_HZ = 16000
EMBEDDING_DIM = 256
MEL_CHANNELS = 40
MEL_WINDOW_S = 0.025
MEL_HOP_S = 0.010
PARTIAL_FRAMES = 160  # 1.6 s, the partial length GE2E was trained on
PARTIAL_STEP_FRAMES = 80
MAX_SINGLE_FRAMES = PARTIAL_FRAMES * 5 // 4
TARGET_DBFS = -30.0  # resemblyzer raises quieter audio to this level (never lowers it)
_EPS = 1e-8


class Ge2eNet(nn.Module):
    """3-layer LSTM + linear + ReLU + L2 norm, named as in resemblyzer's state dict."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(MEL_CHANNELS, EMBEDDING_DIM, num_layers=3, batch_first=True)
        self.linear = nn.Linear(EMBEDDING_DIM, EMBEDDING_DIM)
        self.relu = nn.ReLU()

    def forward(self, mels: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Embed a zero-padded batch of mel partials.

        Args:
            mels: ``(batch, max_frames, 40)`` float32 mel power spectra.
            lengths: ``(batch,)`` int64 number of valid frames of each partial.

        Returns:
            ``(batch, 256)`` non-negative, L2-normalised embeddings.
        """
        packed = pack_padded_sequence(mels, lengths, batch_first=True, enforce_sorted=False)
        _, (hidden, _) = self.lstm(packed)
        raw: torch.Tensor = self.relu(self.linear(hidden[-1]))
        norm: torch.Tensor = torch.linalg.vector_norm(raw, dim=1, keepdim=True)
        return raw / (norm + _EPS)


def mel_frames(samples: Samples) -> npt.NDArray[np.float32]:
    """Mel power spectrogram as resemblyzer computes it, after raising quiet audio.

    Args:
        samples: ``(n,)`` float32 speech at 16 kHz.

    Returns:
        ``(frames, 40)`` float32, one frame per 10 ms.
    """
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    gain_db = TARGET_DBFS - 20.0 * np.log10(max(rms, _EPS))
    wav = samples * np.float32(10.0 ** (gain_db / 20.0)) if gain_db > 0 else samples
    mel = librosa.feature.melspectrogram(
        y=np.ascontiguousarray(wav, dtype=np.float32),
        sr=SAMPLE_RATE_HZ,
        n_fft=int(SAMPLE_RATE_HZ * MEL_WINDOW_S),
        hop_length=int(SAMPLE_RATE_HZ * MEL_HOP_S),
        n_mels=MEL_CHANNELS,
    )
    return np.asarray(mel.T, dtype=np.float32)


def partial_spans(n_frames: int) -> list[tuple[int, int]]:
    """``(start, stop)`` frames of each partial: half-overlapping, the last one ending last.

    Up to 1.25 partials' worth of frames stays one partial, so a 1.6 s window is one.
    """
    if n_frames <= MAX_SINGLE_FRAMES:
        return [(0, n_frames)]
    last = n_frames - PARTIAL_FRAMES
    starts = [*range(0, last, PARTIAL_STEP_FRAMES), last]
    return [(start, start + PARTIAL_FRAMES) for start in starts]


class SpeakerEncoder:
    """Turns windows of speech into 256-d speaker embeddings (d-vectors).

    Attributes:
        sample_rate_hz: the rate windows must have (16 kHz).
        version: ``ge2e-`` plus the first 12 hex digits of the weights' sha256.
    """

    sample_rate_hz = SAMPLE_RATE_HZ
    dim = EMBEDDING_DIM

    def __init__(self, net: Ge2eNet, version: str) -> None:
        self._net = net.eval()
        self.version = version

    @property
    def net(self) -> Ge2eNet:
        """The loaded network, in eval mode (for tools that look inside it)."""
        return self._net

    @classmethod
    def load(cls, models_dir: Path) -> SpeakerEncoder:
        """Load the checksummed GE2E weights named ``ge2e`` in ``models_dir``'s manifest.

        Raises:
            WeightsError: missing, corrupt or mismatching weights.
        """
        path = resolve_weights(models_dir, "ge2e")
        try:
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
            state = {k: v for k, v in checkpoint["model_state"].items() if "similarity" not in k}
            net = Ge2eNet()
            net.load_state_dict(state)
        except (
            OSError,
            RuntimeError,
            KeyError,
            TypeError,
            ValueError,
            pickle.UnpicklingError,
        ) as exc:
            raise WeightsError(f"cannot load the GE2E weights {path}: {exc}") from exc
        return cls(net, f"ge2e-{sha256_of(path)[:12]}")

    def embed(self, windows: Sequence[Samples]) -> Embeddings:
        """Embed each window (its partials averaged and re-normalised), in one batch.

        Args:
            windows: ``n`` float32 arrays of speech at 16 kHz, each ``(samples,)``, any
                length from a few tenths of a second up.

        Returns:
            ``(n, 256)`` float32 L2-normalised embeddings.
        """
        if not windows:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        partials: list[npt.NDArray[np.float32]] = []
        owner: list[int] = []
        for index, window in enumerate(windows):
            mel = mel_frames(window)
            for start, stop in partial_spans(len(mel)):
                partials.append(mel[start:stop])
                owner.append(index)
        per_partial = self._run(partials)
        sums = np.zeros((len(windows), EMBEDDING_DIM), dtype=np.float64)
        np.add.at(sums, np.asarray(owner), per_partial)
        norms = np.linalg.norm(sums, axis=1, keepdims=True) + _EPS
        return np.asarray(sums / norms, dtype=np.float32)

    def _run(self, partials: list[npt.NDArray[np.float32]]) -> Embeddings:
        """``(p, 256)`` embeddings of ``p`` mel partials of up to 200 frames each."""
        lengths = torch.tensor([len(p) for p in partials], dtype=torch.int64)
        batch = torch.zeros((len(partials), int(lengths.max()), MEL_CHANNELS))
        for row, mel in enumerate(partials):
            batch[row, : len(mel)] = torch.from_numpy(mel)
        with torch.inference_mode():
            out = self._net(batch, lengths)
        return np.asarray(out.numpy(), dtype=np.float32)
