"""Real softphones calling CallWarden: a pjsua2 caller process, baresip, a pjsua2 host."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cw_baresip import dial
from cw_baresip import write_config as baresip_config
from cw_calls import screened_call
from cw_sip_support import (
    HERE,
    PYTHON,
    SOUNDS,
    audit_records,
    free_port,
    run_sipp,
    start_ua,
    ulaw_file,
    write_config,
)

pytestmark = pytest.mark.integration


def test_pjsua2_caller_is_dropped_with_603(tmp_path: Path) -> None:
    ua = start_ua(tmp_path, ["--any-speech", "--alarm", "spoof"])
    try:
        uri = f"sip:screen@127.0.0.1:{ua.port}"
        wav = str(SOUNDS / "vm-intro.wav")
        cmd = [PYTHON, str(HERE / "cw_pj_caller.py"), uri, wav, "--hold-s", "15"]
        done = subprocess.run(cmd, capture_output=True, timeout=60, check=False, cwd=tmp_path)
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    seen = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert seen["state"] == "DISCONNECTED"
    assert seen["bye_reason"].startswith('Reason: SIP ;cause=603 ;text="CallWarden spoof'), seen
    assert [e["action"] for e in ua.events("action")] == ["drop"]


def test_baresip_call_is_dropped_with_603(tmp_path: Path) -> None:
    ua = start_ua(tmp_path, ["--any-speech", "--alarm", "spoof"])
    try:
        folder = baresip_config(tmp_path / "baresip", SOUNDS / "vm-intro.wav", "+15551230001")
        seen = dial(folder, f"sip:screen@127.0.0.1:{ua.port}")
        ua.wait_for("call_end")
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    assert seen.terminated, seen.output[-3000:]
    bye = seen.received("BYE")
    assert 'Reason: SIP ;cause=603 ;text="CallWarden spoof:' in bye, seen.output[-3000:]
    assert "Call established" in seen.output
    assert [e["action"] for e in ua.events("action")] == ["drop"]
    end = ua.events("call_end")[0]
    assert end["tap_frames"] > 20 and ua.events("call_start")[0]["subscriber"] is None


@contextmanager
def example_host(tmp: Path, detector: list[str], **sections: dict[str, Any]) -> Iterator[int]:
    """``scripts/hook_example.py`` running as a host; yields its SIP port."""
    port = free_port()
    config = write_config(tmp, port, **sections)
    script = HERE.parents[1] / "scripts" / "hook_example.py"
    cmd = [PYTHON, str(script), "--config", str(config), "--port", str(port), *detector]
    log = tmp / "host.log"
    with log.open("wb") as out:
        host = subprocess.Popen([*cmd, "--duration-s", "25"], stdout=out, stderr=out, cwd=tmp)
    try:
        for _ in range(300):
            if "screening user agent ready" in log.read_text(errors="replace"):
                break
            assert host.poll() is None, log.read_text(errors="replace")[-2000:]
            time.sleep(0.1)
        yield port
    finally:
        host.send_signal(signal.SIGINT)  # Ctrl-C: the host hangs up and shuts down cleanly
        code = host.wait(20)
    assert code == 0, log.read_text(errors="replace")[-2000:]  # (after a passing body only)


def test_hook_example_host_drops_a_spoofed_call(tmp_path: Path) -> None:
    with example_host(tmp_path, ["--fake-detector"]) as port:
        subs = {"AUDIO": str(ulaw_file(tmp_path)), "LOOPS": "2", "TIMEOUT_MS": "15000"}
        result = run_sipp(tmp_path, "uac_drop", port, subs=subs)
    log = (tmp_path / "host.log").read_text(errors="replace")
    assert result.rc == 0, result.errors + log[-2000:]
    assert "text=CallWarden spoof" in result.logs


def test_hook_example_host_hands_a_clear_call_on_and_releases_it(tmp_path: Path) -> None:
    desk = "sip:payments@127.0.0.1:5999"
    sip = {"destinations": {"screen": desk}}
    with example_host(tmp_path, ["--fake-tone-hz", "1000"], sip=sip) as port:  # speech: clear
        outcome = screened_call(tmp_path, port, ulaw_file(tmp_path, seconds=5.0), timeout_ms=4500)
        for _ in range(100):  # the host releases its leg after the transfer's final NOTIFY
            if any(e["event"] == "call_end" for e in audit_records(tmp_path / "audit.jsonl")):
                break
            time.sleep(0.1)
    assert outcome.kind == "REFERRED", outcome.detail
    assert outcome.detail.startswith(f"{desk} header=")
    events = audit_records(tmp_path / "audit.jsonl")
    names = [e["event"] for e in events]
    assert "transfer_status" in names and names[-1] == "call_end", names
    status = next(e for e in events if e["event"] == "transfer_status")
    assert status["data"]["status_code"] == 200
