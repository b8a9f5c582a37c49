"""DeepDetection's closed-set protocol over our corpus, and window sampling for training.

Classes are the bona fide speakers (the "users") plus ``deep_voice``. The held-out
speakers of the corpus are users too, so half of their eval clips (even positions) are
enrolment data for training and the other half are test clips; every eval spoof is a test
clip, so unseen generators (the piper family among them) are tested as in the LCNN's
protocol.
"""

from __future__ import annotations

import numpy as np

from .dataset import Split, concat

DEEP_VOICE = "deep_voice"


def enrol_mask(split: Split) -> np.ndarray:
    """Eval bona fide clips at even positions within their speaker."""
    keep = np.zeros(len(split), dtype=bool)
    for speaker in set(split.speakers[~split.is_spoof].tolist()):
        idx = np.flatnonzero((split.speakers == speaker) & ~split.is_spoof)
        keep[idx[::2]] = True
    return keep


def labels_of(split: Split, users: tuple[str, ...]) -> np.ndarray:
    """Class index per clip: a user's index for bona fide, ``len(users)`` for spoof."""
    index = {u: i for i, u in enumerate(users)}
    return np.array(
        [
            len(users) if s else index[str(sp)]
            for s, sp in zip(split.is_spoof, split.speakers, strict=True)
        ]
    )


def train_and_test(
    train: Split, dev: Split, evaluation: Split | None, enrol: Split | None
) -> tuple[Split, Split | None, tuple[str, ...]]:
    """(training clips, test clips or None, class labels)."""
    enrolled = enrol if enrol is not None else evaluation.subset(enrol_mask(evaluation))  # type: ignore[union-attr]
    training = concat([train, enrolled])
    users = tuple(sorted(set(training.speakers[~training.is_spoof].tolist())))
    test = None
    if evaluation is not None:
        test = concat([dev, evaluation.subset(~enrol_mask(evaluation))])
    return training, test, (*users, DEEP_VOICE)


def slice_batch(
    split: Split, labels: np.ndarray, n_windows: int, rng: np.random.Generator, window: int = 8000
) -> tuple[np.ndarray, np.ndarray]:
    """Slices ``(n_windows * 8, 1000)`` of random windows, classes drawn uniformly, with labels."""
    from callwarden.detectors.deepdetection.split import slice_window

    classes = np.unique(labels)
    out, ys = [], []
    for c in rng.choice(classes, size=n_windows):
        i = int(rng.choice(np.flatnonzero(labels == c)))
        x = split.clip(i)
        if len(x) < window:
            x = np.tile(x, window // max(len(x), 1) + 1)
        start = int(rng.integers(0, len(x) - window + 1))
        slices = slice_window(x[start : start + window])
        out.append(slices)
        ys.append(np.full(len(slices), c))
    return np.concatenate(out), np.concatenate(ys)
