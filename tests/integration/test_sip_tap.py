"""What CallWarden hears: tap frames at 8 kHz with the content sent, none lost on 4 calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cw_sip_support import UaProcess, run_sipp, start_ua, tone_ulaw

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ua(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UaProcess]:
    """A UA with no detector: the probe reports what the tap delivered."""
    proc = start_ua(tmp_path_factory.mktemp("ua-tap"), ["--no-detector"])
    yield proc
    assert proc.stop() == 0, proc.log()[-3000:]


def _stream(ua: UaProcess, tmp: Path, freq_hz: float, hold_ms: int, calls: int = 1) -> None:
    audio = tone_ulaw(tmp, freq_hz, hold_ms / 1000 + 1)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "HOLD_MS": str(hold_ms)}
    extra = ["-l", str(calls), "-r", "20"]
    result = run_sipp(tmp, "uac_stream", ua.port, subs=subs, calls=calls, extra=extra)
    assert result.rc == 0, result.errors + result.screen[-2000:]


def test_tone_is_recovered_at_its_frequency(ua: UaProcess, tmp_path: Path) -> None:
    before = len(ua.events("probe"))
    _stream(ua, tmp_path, 1200.0, 2000)
    probe = ua.wait_for("probe", before + 1)[-1]
    assert probe["rates"] == [8000]
    assert abs(probe["peak_hz"] - 1200.0) < 10
    assert probe["rms"] > 0.1
    assert 80 <= probe["chunks"] <= 130  # 2 s of 20 ms frames, give or take set-up


def test_four_concurrent_calls_lose_no_frames(ua: UaProcess, tmp_path: Path) -> None:
    before = len(ua.events("call_end"))
    _stream(ua, tmp_path, 700.0, 4000, calls=4)
    ends = ua.wait_for("call_end", before + 4)[before:]
    assert len(ends) == 4
    for end in ends:
        assert end["tap_dropped"] == 0
        assert end["tap_frames"] >= 190  # 4 s at 50 frames/s
    stats = ua.wait_for("rtp_stats", 1)
    assert all(s["rtp_lost"] == 0 for s in stats)
