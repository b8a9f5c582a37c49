"""SIPp callers with real RTP into the screening UA: drop with 603 and a Reason header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cw_sip_support import UaProcess, run_sipp, start_ua, ulaw_file

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ua(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UaProcess]:
    """One UA whose fake detector alarms (spoof) on any speech."""
    proc = start_ua(tmp_path_factory.mktemp("ua-drop"), ["--any-speech", "--alarm", "spoof"])
    yield proc
    assert proc.stop() == 0, proc.log()[-3000:]


def test_speech_call_is_dropped_with_603_and_reason(ua: UaProcess, tmp_path: Path) -> None:
    audio = ulaw_file(tmp_path)
    subs = {"AUDIO": str(audio), "LOOPS": "2", "TIMEOUT_MS": "15000"}
    result = run_sipp(tmp_path, "uac_drop", ua.port, subs=subs)
    assert result.rc == 0, result.errors + result.screen[-2000:]
    assert "REASON" in result.logs and "cause=603" in result.logs
    assert "text=CallWarden spoof" in result.logs
    bye = result.messages.split("BYE sip:", 1)[1]
    assert 'Reason: SIP ;cause=603 ;text="CallWarden spoof:' in bye
