"""SIP over TLS: ``callwarden run`` with ``sip.tls`` answers and screens a call on 127.0.0.1.

The certificate is a throwaway self-signed one made with the ``openssl`` command; the
caller is the pjsua2 caller process with a TLS transport that does not verify it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cw_sip_support import HERE, PYTHON, SOUNDS, free_port, start_ua

pytestmark = pytest.mark.integration


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    cmd = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    cmd += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    cmd += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_tls_call_is_answered_and_screened(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    tls_port = free_port()
    tls = {"port": tls_port, "cert_file": str(cert), "key_file": str(key)}
    ua = start_ua(tmp_path, ["--real"], sip={"tls": tls})
    try:
        uri = f"sip:screen@127.0.0.1:{tls_port};transport=tls"
        wav = str(SOUNDS / "vm-intro.wav")
        cmd = [PYTHON, str(HERE / "cw_pj_caller.py"), uri, wav, "--hold-s", "3"]
        done = subprocess.run(
            [*cmd, "--transport", "tls"], capture_output=True, timeout=30, check=False
        )
        for _ in range(50):  # the call_end record follows the caller's BYE
            if any(r["event"] == "call_end" for r in ua.audit()):
                break
            time.sleep(0.1)
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    seen = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert seen["status"] == 200 and seen["state"] == "UP", seen  # answered, held to the end
    records = ua.audit()
    events = [r["event"] for r in records]
    assert events[0] == "call_start" and events[-1] == "call_end", events
    assert "verdict_final" in events
    assert len({r["call_id"] for r in records}) == 1
    start, end = records[0]["data"], records[-1]["data"]
    assert start["caller"] == "sip:+15557654321@127.0.0.1", start
    assert end["frames"] > 50 and end["error"] is None, end
    assert "SIP endpoint started" in ua.log() and "Traceback" not in ua.log()
