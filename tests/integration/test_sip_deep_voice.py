"""Live calls through the shipped deep-voice model: ``callwarden run``, SIPp, real RTP.

Only the deep-voice detector is on. One caller streams espeak-ng speech (A-law); it is
dropped with 603 and a Reason naming the detector. The other streams June (u-law), a real
voice the model never trained on; her call stays up. The audit holds each call's
``deep_voice`` score.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cw_calls import g711, screened_calls_at_once
from cw_sip_support import CALLERS, start_ua

from callwarden.settings import DeepVoiceSettings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]

TEXT = "Hi Mum, it's me. I lost my phone and I need your help. Please send the money today."


def _synthetic(tmp: Path) -> Path:
    wav, out = tmp / "tts.wav", tmp / "tts.al"
    cmd = ["espeak-ng", "-v", "en-us+m3", "-s", "160", "-w", str(wav), TEXT]
    subprocess.run(cmd, check=True, capture_output=True)
    cmd = ["sox", str(wav), "-r", "8000", "-c", "1", "-e", "a-law", "-t", "al", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


def test_synthetic_caller_is_dropped_and_real_voice_stays_up(tmp_path: Path) -> None:
    sections = {"detectors": {"speaker": {"enabled": False}, "deep_voice": {"enabled": True}}}
    ua = start_ua(tmp_path, ["--real"], **sections)
    try:
        calls = [
            (_synthetic(tmp_path), CALLERS[0], 15000),
            (g711(tmp_path, "fr_CA_f_June", "vm-intro", law="u"), CALLERS[1], 9000),
        ]
        outcomes = screened_calls_at_once(tmp_path, ua.port, calls)
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    dropped, kept = outcomes
    assert dropped.kind == "DROPPED", dropped.detail
    assert dropped.cause == "603" and "text=CallWarden spoof: deep_voice score" in dropped.detail
    assert kept.kind == "STAYED_UP", kept.detail
    finals = {}
    for record in ua.audit():
        if record["event"] == "verdict_final":
            data = record["data"]
            finals[data["kind"]] = data["evidence"]["deep_voice"]
    assert set(finals) == {"spoof", "clear"}
    assert finals["spoof"] > DeepVoiceSettings().threshold > 0.5 > finals["clear"]
