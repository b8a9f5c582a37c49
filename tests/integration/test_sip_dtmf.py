"""Routing by an account number keyed in by DTMF (RFC 2833 and SIP INFO).

The caller's identity matches no subscriber, so the fake detector (which, like speaker
verification, screens only calls that claim a subscriber) stays idle until the digits
name one; then it alarms on the caller's speech and the call is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cw_calls import info_digits, rfc2833_digits, screened_call
from cw_sip_support import UaProcess, start_ua, ulaw_file

pytestmark = pytest.mark.integration

ACCOUNT = "1357"
STRANGER = "+15550009999"


@pytest.fixture(scope="module")
def ua(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UaProcess]:
    entries = {"acct": {"caller_ids": ["+4477*"], "account_number": ACCOUNT}}
    proc = start_ua(
        tmp_path_factory.mktemp("ua-dtmf"),
        ["--any-speech", "--alarm", "spoof", "--needs-subscriber"],
        subscribers={"entries": entries},
    )
    yield proc
    assert proc.stop() == 0, proc.log()[-3000:]


@pytest.mark.parametrize("method", ["rfc2833", "info"])
def test_account_number_routes_the_call(ua: UaProcess, tmp_path: Path, method: str) -> None:
    keyed = rfc2833_digits(ACCOUNT) if method == "rfc2833" else info_digits(ACCOUNT)
    before = len(ua.events("routed"))
    audio = ulaw_file(tmp_path, seconds=4.0)
    outcome = screened_call(tmp_path, ua.port, audio, STRANGER, timeout_ms=8000, before=keyed)
    assert outcome.kind == "DROPPED" and outcome.cause == "603", ua.log()[-3000:] + outcome.detail
    routed = ua.events("routed")[before:]
    assert [(r["subscriber"], r["method"]) for r in routed] == [("acct", method)]
    record = next(
        r for r in ua.audit() if r["event"] == "routed" and r["call_id"] == routed[0]["call_id"]
    )
    assert record["data"]["ok"] and record["data"]["by"] == "dtmf"
