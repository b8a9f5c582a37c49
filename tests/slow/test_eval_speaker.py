"""The speaker evaluation script runs end to end and its EER is in a sane range."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/usr/share/asterisk/sounds/en_US_f_Allison").is_dir(), reason="no sounds"
    ),
]


def test_eval_speaker_prints_an_eer_table() -> None:
    cmd = [sys.executable, str(ROOT / "scripts" / "eval_speaker.py"), "--clips-per-speaker", "60"]
    cmd += ["--draws", "1", "--enrol-clips", "3", "--call-speech-s", "4", "--threads", "1"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=900).stdout
    rows = [line.split() for line in out.splitlines() if line.startswith("plain    3")]
    assert rows, out
    eer = float(rows[0][5])
    assert 0.0 <= eer < 10.0, out
