"""Round 32's cross-fitting: dev's never-trained voices dealt into folds, moved into train,
and each scored only by a network that never heard it (``corpus.crossfit``,
``scripts/crossfit_deepvoice.py``)."""

from pathlib import Path

import numpy as np
import pytest

from corpus.crossfit import answer, fold_eers, fold_groups, folds, move_voices, pooled
from corpus.dataset import Split

UNSEEN = [
    "kde-ar",
    "kde-ca",
    "kde-gl",
    "kde-hu",
    "kde-pt",
    "kde-sl",
    "fillets-cs-m",
    "fillets-cs-v",
]
TRAINED = "kde-da"
TTS = "festival-msu_ru"  # a voice only dev has


def _split(rows: list[tuple[str, str]]) -> Split:
    n = len(rows)
    return Split(
        audio=np.arange(10 * n, dtype=np.int16),
        offsets=np.arange(n + 1, dtype=np.int64) * 10,
        is_spoof=np.array([s != "-" for _, s in rows]),
        speakers=np.array([v for v, _ in rows]),
        systems=np.array([s for _, s in rows]),
        utt_ids=np.array([f"{v}_{s}_{i}" for i, (v, s) in enumerate(rows)]),
    )


def _dev() -> Split:
    rows = [(v, s) for v in [*UNSEEN, TRAINED] for s in ("-", "-", "world", "griffinlim")]
    return _split(rows + [(TTS, "festival")] * 3)


def test_voices_are_dealt_in_turn_by_name_and_too_few_is_an_error() -> None:
    dealt = folds(_dev())
    assert dealt == [
        ["fillets-cs-m", "kde-gl"],
        ["fillets-cs-v", "kde-hu"],
        ["kde-ar", "kde-pt"],
        ["kde-ca", "kde-sl"],
    ]
    assert not {TRAINED, TTS} & {v for fold in dealt for v in fold}
    with pytest.raises(ValueError, match="cannot fill 9 folds"):
        folds(_dev(), 9)


def test_moved_voices_take_their_real_clips_and_resyntheses_to_train() -> None:
    train, dev = _split([(TRAINED, "-"), ("espeak-m1", "espeak")]), _dev()
    new_train, new_dev = move_voices(train, dev, ["kde-ar", "kde-ca"])
    assert len(new_train) == 2 + 8 and len(new_dev) == len(dev) - 8
    moved = new_train.subset(np.isin(new_train.speakers, ["kde-ar", "kde-ca"]))
    assert sorted(moved.systems.tolist()) == sorted(["-", "-", "world", "griffinlim"] * 2)
    assert not np.isin(new_dev.speakers, ["kde-ar", "kde-ca"]).any()
    # the audio moves with its labels, clip for clip
    first = int(np.flatnonzero(dev.speakers == "kde-ca")[0])
    assert np.array_equal(new_train.clip(2 + 4), dev.clip(first))


@pytest.mark.parametrize("voice", [TRAINED, TTS, "kde-xx"])
def test_only_never_trained_dev_voices_can_move(voice: str) -> None:
    with pytest.raises(SystemExit, match=f"{voice} not among dev's never-trained voices"):
        move_voices(_split([(TRAINED, "-")]), _dev(), ["kde-ar", voice])


def test_a_folds_groups_score_its_own_voices_and_leave_out_the_trained_ones() -> None:
    dev = _dev()
    groups = fold_groups(dev, ["kde-ar"], ["kde-ca", "kde-gl"])
    real, fake = groups["unseen voices"]
    assert set(dev.speakers[real | fake].tolist()) == {"kde-ar"}
    assert real.sum() == 2 and fake.sum() == 2
    real, fake = groups["unseen TTS"]
    assert not np.isin(dev.speakers[real], ["kde-ca", "kde-gl"]).any()
    assert set(dev.speakers[fake].tolist()) == {TTS}


def _scores(dev: Split, separated: list[str]) -> np.ndarray:
    """Real clips -1, resyntheses +1 for the ``separated`` voices; 0 for all else."""
    s = np.zeros(len(dev))
    mask = np.isin(dev.speakers, separated)
    s[mask] = np.where(dev.is_spoof[mask], 1.0, -1.0)
    return s


def test_each_fold_is_scored_by_its_own_network_and_pooled_alike() -> None:
    dev = _dev()
    dealt = folds(dev)
    # fold k's network separates fold k's voices only; the others' it cannot tell
    nets = [_scores(dev, fold) for fold in dealt]
    per_fold = fold_eers(nets, dev, dealt)
    assert per_fold["unseen voices"] == [0.0] * 4
    blind = fold_eers([nets[1], nets[2], nets[3], nets[0]], dev, dealt)  # the wrong networks
    assert all(x == 0.5 for x in blind["unseen voices"])
    real, fake = pooled(nets, dev, dealt)
    assert len(real) == 16 and len(fake) == 16
    assert (real == -1).all() and (fake == 1).all()


def test_the_rules_answer() -> None:
    controls, guard = [0.10, 0.11, 0.10, 0.12], [0.25] * 4
    assert answer([0.07, 0.08], controls, [0.26, 0.27], guard) == "yes"
    assert answer([0.07, 0.105], controls, [0.26, 0.26], guard) == "weak yes"  # overlapping
    assert answer([0.07, 0.08], controls, [0.28, 0.28], guard) == "no"  # the guard: 3 points
    assert answer([0.10, 0.10], controls, [0.20, 0.20], guard) == "no"  # under a point
    assert answer([0.0875, 0.1075], controls, guard, guard) == "weak yes"  # exactly a point


def test_the_report_answers_picks_and_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import crossfit_deepvoice as script

    dev = _dev()
    dealt = folds(dev)
    fold_nets = {tmp_path / f"cf_f{k}_s1.pt": _scores(dev, fold) for k, fold in enumerate(dealt)}
    nets = {
        **fold_nets,
        tmp_path / "ctl.pt": np.zeros(len(dev)),  # hears nothing
        tmp_path / "all.pt": _scores(dev, [*UNSEEN, TRAINED]),  # better on dev 2 s
        tmp_path / "base.pt": _scores(dev, UNSEEN),
    }
    for path in nets:
        path.write_bytes(b"")
    monkeypatch.setattr(script, "load_split", lambda *a: dev)
    monkeypatch.setattr(script, "scored", lambda p, *a: {2.0: nets[p], 4.0: nets[p]})
    table = tmp_path / "r.json"
    argv = ["--treated", str(tmp_path / "cf_f{k}_s1.pt"), "--controls", str(tmp_path / "ctl.pt")]
    argv += ["--candidates", str(tmp_path / "all.pt"), "--baseline", str(tmp_path / "base.pt")]
    assert script.main([*argv, "--json", str(table)]) == 0
    out = capsys.readouterr().out
    assert "the question: yes" in out
    assert f"pick: {tmp_path / 'all.pt'}; cross-fitted threshold: logit -1.000" in out
    assert '"answer": "yes"' in table.read_text()
    with pytest.raises(SystemExit, match=r"missing networks: .*cf_f3_s9\.pt"):
        script.main(["--treated", str(tmp_path / "cf_f{k}_s9.pt"), *argv[2:4]])
