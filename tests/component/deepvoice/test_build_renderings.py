"""``build.py --renderings K``: the same synthesis through K channels, train only."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus.build import main, make, rendering_ids  # noqa: E402
from corpus.plan import Job, plan  # noqa: E402

SEED = 20240604


def _one(split: str, family: str) -> Job:
    return next(j for j in plan(SEED, scale=0.03) if j.split == split and j.family == family)


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed")
@pytest.mark.skipif(
    not Path("/usr/share/asterisk/sounds/en_US_f_Allison").is_dir(),
    reason="Asterisk voices not installed",
)
def test_extra_renderings_share_the_speech_and_draw_their_own_channels(
    tmp_path: Path,
) -> None:
    one, three = tmp_path / "one", tmp_path / "three"
    for out in (one, three):
        (out / "flac").mkdir(parents=True)
        (out / "meta").mkdir()
    train, dev = _one("train", "bonafide"), _one("dev", "bonafide")
    assert rendering_ids(train, 3) == [train.utt_id, f"{train.utt_id}_r1", f"{train.utt_id}_r2"]
    assert rendering_ids(dev, 3) == [dev.utt_id]  # dev and eval keep one channel

    [single] = make(train, SEED, one, small=True)
    metas = make(train, SEED, three, small=True, renderings=3)
    assert [m["utt_id"] for m in metas] == rendering_ids(train, 3)
    audio = [sf.read(str(three / "flac" / f"{m['utt_id']}.flac"))[0] for m in metas]
    # rendering 0 is bit for bit the clip a one-channel corpus has
    assert np.array_equal(audio[0], sf.read(str(one / "flac" / f"{train.utt_id}.flac"))[0])
    assert metas[0] | {"rendering": 0} == single | {"rendering": 0}
    # the same words of the same voice (same length), through other channels
    assert len({len(a) for a in audio}) == 1
    assert {(m["speaker"], m["family"], m["voice"], m["label"]) for m in metas} == {
        (train.speaker, "bonafide", train.voice, "bonafide")
    }
    channels = {(m["codec"], m["noise"], m["snr_db"]) for m in metas}
    assert len(channels) == 3 and not np.allclose(audio[1], audio[2])
    assert [m["rendering"] for m in metas] == [0, 1, 2]
    assert len(make(dev, SEED, three, small=True, renderings=3)) == 1

    # resumable: a second call reads the three back and writes nothing
    stamps = {p: p.stat().st_mtime_ns for p in (three / "flac").iterdir()}
    assert make(train, SEED, three, small=True, renderings=3) == metas
    assert {p: p.stat().st_mtime_ns for p in (three / "flac").iterdir()} == stamps


def test_renderings_below_one_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--renderings", "0", "--out", "/nonexistent/never-written"])
    assert "--renderings must be at least 1" in capsys.readouterr().err
