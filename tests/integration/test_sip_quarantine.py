"""Quarantine as the caller sees it: recvonly re-INVITE, hold, REFER and release."""

from __future__ import annotations

from pathlib import Path

import pytest
from cw_sip_support import run_sipp, start_ua, ulaw_file

pytestmark = pytest.mark.integration

# mode -> (direction CallWarden offers, direction SIPp answers)
REINVITES = {"listen_only": ("recvonly", "sendonly"), "hold": ("sendonly", "recvonly")}


@pytest.mark.parametrize("mode", sorted(REINVITES))
def test_quarantine_reinvite(tmp_path: Path, mode: str) -> None:
    offer, answer = REINVITES[mode]
    ua = start_ua(
        tmp_path, ["--any-speech", "--alarm", "mismatch"], actions={"quarantine_mode": mode}
    )
    try:
        subs = {"AUDIO": str(ulaw_file(tmp_path)), "LOOPS": "1", "TIMEOUT_MS": "10000"}
        subs |= {"OFFER_DIR": offer, "ANSWER_DIR": answer, "HOLD_MS": "1500"}
        result = run_sipp(tmp_path, "uac_quarantine", ua.port, subs=subs)
        assert result.rc == 0, result.errors + result.screen[-1500:]
        assert f"REINVITE a={offer} {offer}" in result.logs
        action = ua.wait_for("action")[0]
        assert action["action"] == "quarantine" and action["ok"]
        if mode == "listen_only":  # screening goes on: the tap still hears the caller
            ua.wait_for("call_end")
            assert ua.events("media")[-1]["media"][0].endswith("dir=2")
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    records = [r["event"] for r in ua.audit()]
    assert records[0] == "call_start" and "action" in records and records[-1] == "call_end"


def test_quarantine_transfer_refers_and_releases(tmp_path: Path) -> None:
    desk = "sip:security-desk@127.0.0.1:5999"
    actions = {"quarantine_mode": "transfer", "quarantine_uri": desk}
    ua = start_ua(tmp_path, ["--any-speech", "--alarm", "duress"], actions=actions)
    try:
        subs = {"AUDIO": str(ulaw_file(tmp_path)), "LOOPS": "1", "TIMEOUT_MS": "10000"}
        result = run_sipp(tmp_path, "uac_transfer", ua.port, subs=subs)
        assert result.rc == 0, result.errors + result.screen[-1500:]
        assert f"REFER {desk}" in result.logs
        status = ua.wait_for("transfer_status")[0]
        assert status["status_code"] == 200
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
