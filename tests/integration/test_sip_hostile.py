"""Malformed and hostile input: CallWarden keeps running and answers the next call."""

from __future__ import annotations

import random
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cw_calls import screened_call
from cw_sip_support import (
    UaProcess,
    reinvite_storm,
    run_sipp,
    sdp,
    sipp_command,
    start_ua,
    tone_ulaw,
    ulaw_file,
)

pytestmark = pytest.mark.integration

PCMU = "m=audio [media_port] RTP/AVP 0"
OFFERS = {
    "broken_sdp": ("application/sdp", "v=0\nthis is not SDP at all\nm=audio"),
    "unknown_codec_only": (
        "application/sdp",
        sdp("m=audio [media_port] RTP/AVP 99", "a=rtpmap:99 NOSUCHCODEC/8000"),
    ),
    "video_only": (
        "application/sdp",
        sdp("m=video [media_port] RTP/AVP 96", "a=rtpmap:96 VP8/90000"),
    ),
    "audio_port_zero": ("application/sdp", sdp("m=audio 0 RTP/AVP 0")),
    "not_sdp": ("text/plain", "hello"),
}


@pytest.fixture(scope="module")
def ua(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UaProcess]:
    """A UA whose fake detector alarms only on a 1 kHz tone (speech stays uncertain)."""
    proc = start_ua(tmp_path_factory.mktemp("ua-hostile"), ["--tone-hz", "1000"])
    yield proc
    assert proc.stop() == 0, proc.log()[-3000:]


def _alive(ua: UaProcess) -> None:
    assert ua.proc.poll() is None, ua.log()[-3000:]


@pytest.mark.parametrize("name", sorted(OFFERS))
def test_hostile_offer_is_survived(ua: UaProcess, tmp_path: Path, name: str) -> None:
    ctype, body = OFFERS[name]
    subs = {"CTYPE": ctype, "BODY": body, "HOLD_MS": "300"}
    result = run_sipp(tmp_path, "uac_offer", ua.port, subs=subs)
    assert result.rc == 0, result.errors + result.screen[-1500:]
    assert "REJECTED" in result.logs or "ANSWERED" in result.logs
    _alive(ua)


def test_reinvite_storm_is_survived(ua: UaProcess, tmp_path: Path) -> None:
    audio = tone_ulaw(tmp_path, 440.0, 4.0)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "HOLD_MS": "500", "REINVITES": reinvite_storm(20)}
    before = len(ua.events("call_end"))
    result = run_sipp(tmp_path, "uac_storm", ua.port, subs=subs)
    assert result.rc == 0, result.errors + result.screen[-1500:]
    assert len(ua.events("media")) >= 20
    ua.wait_for("call_end", before + 1)
    _alive(ua)


def test_bye_mid_analysis_leaves_a_complete_audit_record(ua: UaProcess, tmp_path: Path) -> None:
    audio = ulaw_file(tmp_path)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "HOLD_MS": "1500"}
    result = run_sipp(tmp_path, "uac_stream", ua.port, subs=subs)
    assert result.rc == 0, result.errors
    call_id = ua.wait_for("probe", 1)[-1]["call_id"]
    time.sleep(0.3)
    events = [r["event"] for r in ua.audit() if r["call_id"] == call_id]
    assert events[0] == "call_start"
    assert events[-2:] == ["verdict_final", "call_end"]
    end = next(r for r in ua.audit() if r["call_id"] == call_id and r["event"] == "call_end")
    assert end["data"]["frames"] > 50 and end["data"]["error"] is None


def test_fifth_call_gets_486(ua: UaProcess, tmp_path: Path) -> None:
    audio = tone_ulaw(tmp_path, 440.0, 6.0)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "HOLD_MS": "4000"}
    cmd, work = sipp_command(
        tmp_path, "uac_stream", ua.port, subs=subs, calls=4, extra=["-l", "4", "-r", "20"]
    )
    started = len(ua.events("call_start"))
    four = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ua.wait_for("call_start", started + 4)
        busy = run_sipp(
            tmp_path,
            "uac_offer",
            ua.port,
            subs={"CTYPE": "application/sdp", "BODY": sdp(PCMU), "HOLD_MS": "100"},
        )
    finally:
        assert four.wait(30) == 0
    assert "REJECTED 486" in busy.logs, busy.logs + busy.errors
    assert "486 Busy Here" in ua.log()
    _alive(ua)


def _garbage(port: int, count: int = 3000) -> None:
    """Random datagrams at an RTP port and its RTCP port: some look like RTP v2 headers."""
    rng = random.Random(7)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for i in range(count):
            body = rng.randbytes(rng.choice([0, 1, 11, 12, 13, 172, 1400, rng.randrange(1500)]))
            if i % 3 == 0 and len(body) >= 12:  # version 2, any flags, CSRC count, PT, SSRC
                body = bytes([0x80 | rng.randrange(64)]) + body[1:]
            sock.sendto(body, ("127.0.0.1", port + (i % 5 == 0)))


def test_rtp_garbage_is_survived(ua: UaProcess, tmp_path: Path) -> None:
    noise = tmp_path / "random.ulaw"  # valid RTP carrying random bytes as payload
    noise.write_bytes(random.Random(1).randbytes(8000 * 4))
    subs = {"AUDIO": str(noise), "LOOPS": "1", "HOLD_MS": "3000"}
    cmd, work = sipp_command(tmp_path, "uac_stream", ua.port, subs=subs)
    before = len(ua.events("call_end"))
    caller = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = _answered_rtp_port(work)
        _garbage(port)
    finally:
        assert caller.wait(30) == 0
    end = ua.wait_for("call_end", before + 1)[-1]
    assert end["status_code"] == 200 and end["tap_frames"] > 100
    stats = [s for s in ua.events("rtp_stats") if s["call_id"] == end["call_id"]]
    assert stats and stats[0]["rtp_discarded"] > 100  # the garbage arrived and was refused
    _alive(ua)


def _answered_rtp_port(work: Path) -> int:
    """CallWarden's RTP port, from the 200 OK SIPp logged."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = "".join(p.read_text(errors="replace") for p in work.glob("*_messages.log"))
        match = re.search(r"SIP/2.0 200 OK.*?m=audio (\d+)", text, re.DOTALL)
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    raise AssertionError("the call was not answered")


def test_tcp_call_is_screened(ua: UaProcess, tmp_path: Path) -> None:
    audio = tone_ulaw(tmp_path, 1000.0, 4.0)
    outcome = screened_call(tmp_path, ua.port, audio, timeout_ms=10000, extra=["-t", "t1"])
    assert outcome.kind == "DROPPED" and outcome.cause == "603", outcome.detail
    assert "TCP message received" in outcome.sipp.messages
    assert "UDP message" not in outcome.sipp.messages


def test_next_call_is_still_answered(ua: UaProcess, tmp_path: Path) -> None:
    audio = tone_ulaw(tmp_path, 1000.0, 4.0)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "TIMEOUT_MS": "10000"}
    result = run_sipp(tmp_path, "uac_drop", ua.port, subs=subs)
    assert result.rc == 0, result.errors + result.screen[-1500:]
    assert "text=CallWarden spoof" in result.logs
