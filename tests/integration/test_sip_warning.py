"""``actions.warning_wav``: the caller hears the warning, then the action follows."""

from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from cw_sip_support import HERE, PYTHON, SOUNDS, start_ua

pytestmark = pytest.mark.integration

WARNING_HZ = 600.0
WARNING_S = 1.5


def _tone_wav(path: Path) -> Path:
    t = np.arange(int(WARNING_S * 8000)) / 8000
    samples = (0.4 * 32767 * np.sin(2 * np.pi * WARNING_HZ * t)).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(samples.tobytes())
    return path


def _heard(path: Path) -> tuple[float, float]:
    """Seconds of the recording loud enough to be the warning, and its peak frequency."""
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        x = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64)
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    loud = np.sqrt((frames**2).mean(axis=1)) > 3000
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(loud.sum() * 160 / rate), float(np.argmax(spec) * rate / len(x))


def test_warning_plays_then_the_call_is_dropped(tmp_path: Path) -> None:
    actions = {"warning_wav": str(_tone_wav(tmp_path / "warning.wav"))}
    ua = start_ua(tmp_path, ["--any-speech", "--alarm", "spoof"], actions=actions)
    heard = tmp_path / "heard.wav"
    try:
        uri = f"sip:screen@127.0.0.1:{ua.port}"
        cmd = [PYTHON, str(HERE / "cw_pj_caller.py"), uri, str(SOUNDS / "vm-intro.wav")]
        cmd += ["--hold-s", "15", "--record", str(heard)]
        done = subprocess.run(cmd, capture_output=True, timeout=60, check=False, cwd=tmp_path)
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    seen = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert seen["bye_reason"].startswith('Reason: SIP ;cause=603 ;text="CallWarden spoof'), seen
    steps = [(e["action"], e["ok"]) for e in ua.events("action")]
    assert steps == [("warning", True), ("drop", True)]
    loud_s, peak_hz = _heard(heard)
    assert abs(peak_hz - WARNING_HZ) < 10
    assert WARNING_S - 0.3 <= loud_s <= WARNING_S + 0.1  # all of it, then the BYE
    records = [r for r in ua.audit() if r["event"] == "action"]
    assert [r["data"]["action"] for r in records] == ["warning", "drop"]
    gap_s = records[1]["data"]["at_s"] - records[0]["data"]["at_s"]
    assert WARNING_S - 0.05 <= gap_s <= WARNING_S + 0.3
