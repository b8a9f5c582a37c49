"""``train_deepvoice.py --train-voices N``: N real voices with their resyntheses, all TTS;
and the learning curve over N (``plot_voice_curve.py``)."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from corpus.augment import voice_subset
from corpus.dataset import Split

VOICES = ["allison", "carlo", "es_co", "kde-da", "kde-el", "kde-en", "kde-lt", "kde-ru"]


def _split() -> Split:
    rows = [(v, s) for v in VOICES for s in ("-", "griffinlim")] + [("espeak-m1", "espeak")]
    n = len(rows)
    return Split(
        audio=np.zeros(10 * n, np.int16),
        offsets=np.arange(n + 1, dtype=np.int64) * 10,
        is_spoof=np.array([s != "-" for _, s in rows]),
        speakers=np.array([v for v, _ in rows]),
        systems=np.array([s for _, s in rows]),
        utt_ids=np.array([f"{s}_{v}" for v, s in rows]),
    )


def test_kept_voices_bring_their_resyntheses_and_every_tts_clip_stays() -> None:
    sub, kept = voice_subset(_split(), 4, np.random.default_rng(0))
    assert len(kept) == 4
    assert set(sub.speakers.tolist()) == {*kept, "espeak-m1"}
    for v in kept:  # its real clip and its resynthesis
        assert sorted(sub.systems[sub.speakers == v].tolist()) == ["-", "griffinlim"]


def test_each_kind_of_voice_keeps_its_share() -> None:
    for seed in range(20):
        _, kept = voice_subset(_split(), 4, np.random.default_rng(seed))
        kde = sum(k.startswith("kde-") for k in kept)
        assert kde in (2, 3)  # 5 of 8 are KDE voices: 2.5 of 4
    draws = {tuple(voice_subset(_split(), 4, np.random.default_rng(s))[1]) for s in range(20)}
    assert len(draws) > 5  # the seed draws the voices


def test_more_voices_than_the_split_has_is_refused() -> None:
    with pytest.raises(SystemExit, match="has 8 real voices"):
        voice_subset(_split(), 9, np.random.default_rng(0))


def test_the_learning_curve_reads_each_networks_voice_count_and_averages_by_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plot_voice_curve import main

    rows = []
    for k, (voices, eer) in enumerate([(3, 0.30), (3, 0.20), (12, 0.10)]):
        weights = tmp_path / f"m{k}.pt"
        command = f"python scripts/train_deepvoice.py --train-voices {voices} --seed {k}"
        torch.save({"meta": {"command": command}}, weights)
        rows.append({"name": str(weights), "unseen_voices_4s": eer, "unseen_tts_4s": 0.4})
    table = tmp_path / "select.json"
    table.write_text(json.dumps({"baseline": {}, "candidates": rows, "pick": None}))
    png = tmp_path / "curve.png"
    assert main([str(table), "--out", str(png)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["3", "2", "25.00", "40.00"]
    assert lines[2].split() == ["12", "1", "10.00", "40.00"]
    assert png.read_bytes()[:4] == b"\x89PNG"
    torch.save({"meta": {"command": "python scripts/train_deepvoice.py"}}, tmp_path / "m0.pt")
    with pytest.raises(SystemExit, match="not trained with --train-voices"):
        main([str(table), "--out", str(png)])
