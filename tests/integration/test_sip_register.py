"""Registering with a PBX as an extension (``sip.account``): digest auth against SIPp."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cw_sip_support import collect_sipp, free_port, sipp_command, start_ua

pytestmark = pytest.mark.integration


def test_account_registers_with_digest_auth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registrar = free_port()
    subs = {"USER": "7001", "PASSWORD": "s3cret"}
    cmd, work = sipp_command(tmp_path, "uas_register", registrar, subs=subs)
    cmd = [c for c in cmd if c != f"127.0.0.1:{registrar}"]  # a server: no remote
    cmd[cmd.index("-p") + 1] = str(registrar)
    pbx = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    monkeypatch.setenv("CW_TEST_SIP_PASSWORD", "s3cret")
    account = {
        "registrar_uri": f"sip:127.0.0.1:{registrar}",
        "user": "7001",
        "password_env": "CW_TEST_SIP_PASSWORD",
        "realm": "pbx.test",
    }
    ua = start_ua(tmp_path, ["--no-detector"], sip={"account": account})
    try:
        screen = pbx.communicate(timeout=20)[0].decode(errors="replace")
    finally:
        pbx.kill()
        assert ua.stop() == 0, ua.log()[-3000:]
    seen = collect_sipp(work, pbx.returncode, screen)
    assert "REGISTERED" in seen.logs, seen.logs + seen.errors + seen.messages[-2000:]
    register = seen.messages.split("Authorization: Digest", 1)[1]
    assert 'username="7001"' in register and 'realm="pbx.test"' in register
