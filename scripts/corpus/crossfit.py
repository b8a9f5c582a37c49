"""Cross-fitting over dev's never-trained voices (round 32).

Dev's never-trained real voices (``DEV_SPEAKERS``) are what the selection rule and the
threshold measure unheard callers on, so no shipped network has trained on them. Round 23
says more real voices is the lever. Cross-fitting lets those voices train and still be
measured: the voices are dealt into ``N_FOLDS`` folds, and the network of fold ``k``
trains on every dev voice but fold ``k``'s, which it is then scored on. Pooled over the
folds, every voice is scored by a network that never heard it.

``move_voices`` moves the named voices' dev clips (real ones and their resyntheses) into
train (``train_deepvoice.py --dev-voices-train``); ``folds`` deals the voices;
``fold_groups`` gives, for one fold, the masks its comparisons are scored on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .dataset import Split, concat
from .metrics import eer

N_FOLDS = 4


def dev_voices(dev: Split) -> list[str]:
    """Dev's never-trained real voices that this dev holds, sorted."""
    from .voices import DEV_SPEAKERS

    return sorted(set(dev.speakers[~dev.is_spoof].tolist()) & DEV_SPEAKERS)


def folds(dev: Split, n: int = N_FOLDS) -> list[list[str]]:
    """The voices dealt in turn, sorted by name, into ``n`` folds (fixed, not tuned)."""
    voices = dev_voices(dev)
    if len(voices) < n:
        raise ValueError(f"{len(voices)} never-trained dev voices cannot fill {n} folds")
    return [voices[k::n] for k in range(n)]


def move_voices(train: Split, dev: Split, voices: Sequence[str]) -> tuple[Split, Split]:
    """(train, dev) with ``voices``' dev clips, real and resynthesised, moved to train.

    Only never-trained dev voices can move; anything else is a clear error, since a
    training voice's dev clips or a dev-only TTS voice would break what dev measures.
    """
    held = set(dev_voices(dev))
    unknown = sorted(set(voices) - held)
    if unknown:
        raise SystemExit(
            f"--dev-voices-train: {', '.join(unknown)} not among dev's never-trained voices "
            f"({', '.join(sorted(held))})"
        )
    moving = np.isin(dev.speakers, sorted(voices))
    return concat([train, dev.subset(moving)]), dev.subset(~moving)


def fold_groups(
    dev: Split, held_out: Sequence[str], trained: Sequence[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(real, spoof) masks of one fold's comparisons at 4 s.

    ``unseen voices``: the fold's held-out voices against their own resyntheses;
    ``unseen TTS``: dev's real clips, less the dev voices the fold's network trained on,
    against the TTS voices only in dev.
    """
    from .plan import DEV_TTS_SPEAKERS

    held = np.isin(dev.speakers, sorted(held_out))
    kept = ~np.isin(dev.speakers, sorted(trained))
    real, spoof = ~dev.is_spoof, dev.is_spoof
    return {
        "unseen voices": (held & real, held & spoof),
        "unseen TTS": (kept & real, np.isin(dev.speakers, sorted(DEV_TTS_SPEAKERS))),
    }


def fold_eers(
    scores: Sequence[np.ndarray], dev: Split, fold_voices: Sequence[Sequence[str]]
) -> dict[str, list[float]]:
    """Per fold, one network's 4 s EERs: ``unseen voices`` and the ``unseen TTS`` guard.

    ``scores[k]`` are the dev scores of the network scored on fold ``k`` (a fold's own
    network, or one control network repeated), which trained on every dev voice outside
    fold ``k`` (a fold network) or on none (a control; its guard then keeps the same real
    clips, so the two are scored alike).
    """
    out: dict[str, list[float]] = {"unseen voices": [], "unseen TTS": []}
    for k, held_out in enumerate(fold_voices):
        trained = [v for j, fold in enumerate(fold_voices) if j != k for v in fold]
        groups = fold_groups(dev, held_out, trained)
        for name in out:
            real, fake = groups[name]
            out[name].append(eer(scores[k][real], scores[k][fake])[0])
    return out


def pooled(
    scores: Sequence[np.ndarray], dev: Split, fold_voices: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """(real, resynthesis) scores of every fold's voices, each by its fold's network."""
    real, fake = [], []
    for k, held_out in enumerate(fold_voices):
        held = np.isin(dev.speakers, sorted(held_out))
        real.append(scores[k][held & ~dev.is_spoof])
        fake.append(scores[k][held & dev.is_spoof])
    return np.concatenate(real), np.concatenate(fake)


def answer(
    treated: Sequence[float],
    controls: Sequence[float],
    treated_guard: Sequence[float],
    control_guard: Sequence[float],
) -> str:
    """Round 32's question, as its rule words it (per-seed means over the folds).

    ``yes``: every treated seed below every control seed on the unseen voices, and the
    treated mean on the TTS guard at most two points worse; ``weak yes``: the treated mean
    at least a point below the control mean, the guard holding; else ``no``.
    """
    guard = float(np.mean(treated_guard)) - float(np.mean(control_guard)) <= 0.02 + 1e-9
    if guard and max(treated) < min(controls):
        return "yes"
    if guard and float(np.mean(treated)) <= float(np.mean(controls)) - 0.01 + 1e-9:
        return "weak yes"
    return "no"
