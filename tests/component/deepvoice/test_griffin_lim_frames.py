"""``griffin_lim_frames``: the frame length each Griffin-Lim clip was made with, replayed."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import generators  # noqa: E402
from corpus.build import SEED, griffin_lim_frames, make  # noqa: E402
from corpus.dataset import build  # noqa: E402
from corpus.plan import plan  # noqa: E402
from corpus.protocol import Item  # noqa: E402


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed")
@pytest.mark.skipif(
    not Path("/usr/share/asterisk/sounds/en_US_f_Allison").is_dir(),
    reason="Asterisk voices not installed",
)
def test_the_replay_gives_the_stft_size_each_clip_was_made_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "flac").mkdir()
    (tmp_path / "meta").mkdir()
    jobs = [j for j in plan(SEED, scale=0.03) if j.family == "griffinlim"][:6]
    used: list[int] = []
    draw = generators.griffin_lim_draw

    def recording(rng: np.random.Generator) -> generators.GriffinLimDraw:
        used.append(draw(rng).n_fft)
        return generators.GriffinLimDraw(used[-1], 1, 0.5, 0)  # one iteration: quick

    monkeypatch.setattr(generators, "griffin_lim_draw", recording)
    for job in jobs:
        make(job, SEED, tmp_path, small=True)  # a --small corpus's clips
    monkeypatch.undo()
    assert len(used) == len(jobs) and len(set(used)) > 1  # the sizes vary from clip to clip
    ids = [j.utt_id for j in jobs]
    flac = [tmp_path / "flac" / f"{u}.flac" for u in ids]
    # a clip whose id this code does not plan: same audio, another name
    items = [Item("x", u, "griffinlim", "spoof", f) for u, f in zip(ids, flac, strict=True)]
    items.append(Item("x", "griffinlim_not_planned_0000", "griffinlim", "spoof", flac[0]))
    split = build(items, tmp_path / "cache.npz")
    assert griffin_lim_frames(split).tolist() == [*used, 0]
    # a replay that does not give the clip's length is not trusted: a cut cache, another seed
    assert griffin_lim_frames(split.cropped(0.5)).tolist() == [0] * (len(ids) + 1)
    assert griffin_lim_frames(split, seed=SEED + 1).tolist() == [0] * (len(ids) + 1)
