"""Clear calls handed on: REFER to the called number's destination, or kept (softphone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cw_calls import screened_call
from cw_sip_support import start_ua, ulaw_file

pytestmark = pytest.mark.integration

DESK = "sip:payments@127.0.0.1:5999"


@pytest.mark.parametrize("mode", ["screening", "softphone"])
def test_clear_call_is_handed_on_or_kept(tmp_path: Path, mode: str) -> None:
    sip = {"mode": mode, "destinations": {"screen": DESK, "other": "sip:nobody@127.0.0.1"}}
    ua = start_ua(tmp_path, ["--tone-hz", "1000"], sip=sip)  # speech is clear
    try:
        audio = ulaw_file(tmp_path, seconds=5.0)
        outcome = screened_call(tmp_path, ua.port, audio, timeout_ms=4500)
        verdicts = [v["kind"] for v in ua.wait_for("verdict")]
        if mode == "screening":
            ua.wait_for("transfer_status")
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    assert verdicts[0] == "clear"
    actions = [(a["action"], a["ok"]) for a in ua.events("action")]
    if mode == "softphone":
        assert outcome.kind == "STAYED_UP", outcome.detail
        assert actions == []
        return
    assert outcome.kind == "REFERRED", outcome.detail
    assert outcome.detail.startswith(f"{DESK} header=")
    assert actions == [("hand_on", True)]
    assert ua.events("transfer_status")[0]["status_code"] == 200
    audit = [r["event"] for r in ua.audit()]
    assert "transfer_status" in audit and audit[-1] == "call_end"
