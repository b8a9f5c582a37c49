"""``build.py --twins``: each train resynthesis gets the real audio it was made from, through
the very same channel."""

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from corpus import build  # noqa: E402
from corpus import generators as gen  # noqa: E402
from corpus.plan import Job, plan  # noqa: E402

SEED = 20240604
pytestmark = [
    pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed"),
    pytest.mark.skipif(
        not Path("/usr/share/asterisk/sounds/en_US_f_Allison").is_dir(),
        reason="Asterisk voices not installed",
    ),
]


def _noisy_griffin_lim_job() -> Job:
    """A train Griffin-Lim utterance whose channel adds noise (so the noise is shared)."""
    jobs = [j for j in plan(SEED, scale=0.03) if j.split == "train" and j.family == "griffinlim"]
    return next(j for j in jobs if build._first_draws(j, SEED, True)[2].noise != "none")


def _out(root: Path) -> Path:
    for sub in ("flac", "meta"):
        (root / sub).mkdir(parents=True)
    return root


def _audio(out: Path, utt: str) -> np.ndarray:
    return np.asarray(sf.read(str(out / "flac" / f"{utt}.flac"))[0])


def test_twins_are_the_train_resyntheses_only() -> None:
    jobs = plan(SEED, scale=0.03)
    twins = build.twin_jobs(jobs)
    assert twins and {j.split for j in twins} == {"train"}
    assert {j.family for j in twins} == {"world", "griffinlim", "melgl"}
    assert len(twins) == sum(
        j.split == "train" and j.family in ("world", "griffinlim", "melgl") for j in jobs
    )


def test_a_twin_is_its_clip_without_the_resynthesis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _noisy_griffin_lim_job()
    out = _out(tmp_path / "real")
    [clip] = build.make(job, SEED, out, small=True)
    twin = build.make_twin(job, SEED, out, small=True)
    assert twin["utt_id"] == f"twin_{job.utt_id}"
    assert (twin["label"], twin["family"], twin["split"]) == ("bonafide", "bonafide", "train")
    same = ("speaker", "voice", "codec", "noise", "snr_db", "duration_s")
    assert [twin[k] for k in same] == [clip[k] for k in same]
    assert not np.allclose(_audio(out, twin["utt_id"]), _audio(out, job.utt_id))
    stamp = (out / "flac" / f"{twin['utt_id']}.flac").stat().st_mtime_ns
    assert build.make_twin(job, SEED, out, small=True) == twin  # resumable: read back
    assert (out / "flac" / f"{twin['utt_id']}.flac").stat().st_mtime_ns == stamp

    # With a resynthesis that changes nothing (but draws as Griffin-Lim does), the clip and
    # its twin are bit for bit equal: same recordings, level, noise samples and codec.
    def unchanged(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        gen.griffin_lim_draw(rng)
        return x

    monkeypatch.setattr(gen, "griffin_lim", unchanged)
    out = _out(tmp_path / "identity")
    build.make(job, SEED, out, small=True)
    build.make_twin(job, SEED, out, small=True)
    assert np.array_equal(_audio(out, f"twin_{job.utt_id}"), _audio(out, job.utt_id))
