"""The real thing: ``callwarden run`` with the default settings and the GE2E speaker model.

A subscriber is enrolled from three recordings of Allison's voice; two SIPp calls claim
her caller ID and stream real recordings not used to enrol: Allison (u-law) stays up,
Carlo (A-law) is a mismatch, which this config maps to drop: BYE 603 with the Reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cw_calls import g711, screened_calls_at_once
from cw_enrol import ALLISON, enrol
from cw_sip_support import CALLERS, start_ua

pytestmark = pytest.mark.integration

SUBSCRIBER = "allison"


def _by_caller(records: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    calls: dict[str, list[dict[str, object]]] = {}
    for record in records:
        calls.setdefault(str(record["call_id"]), []).append(record)
    return calls


def test_enrolled_voice_stays_up_and_impostor_is_dropped(tmp_path: Path) -> None:
    sections = {
        "actions": {"on_verdict": {"mismatch": "drop"}},
        "subscribers": {"entries": {SUBSCRIBER: {"caller_ids": [CALLERS[0]]}}},
    }
    ua = start_ua(tmp_path, ["--real"], **sections)  # loads the model while we enrol
    try:
        enrol(tmp_path / "store.db", SUBSCRIBER, tmp_path)
        genuine = g711(tmp_path, ALLISON, "demo-congrats", law="u")
        impostor = g711(tmp_path, "it_IT_m_Carlo", "vm-intro", law="a")
        calls = [(genuine, CALLERS[0], 9000), (impostor, CALLERS[0], 15000)]
        outcomes = screened_calls_at_once(tmp_path, ua.port, calls)
    finally:
        assert ua.stop() == 0, ua.log()[-3000:]
    kept, dropped = outcomes
    assert kept.kind == "STAYED_UP", kept.detail
    assert dropped.kind == "DROPPED", dropped.detail
    assert dropped.cause == "603" and "text=CallWarden mismatch: speaker score" in dropped.detail
    bye = dropped.sipp.messages.split("BYE sip:", 1)[1]
    assert 'Reason: SIP ;cause=603 ;text="CallWarden mismatch: speaker score' in bye
    calls = _by_caller(ua.audit())
    assert len(calls) == 2
    finals = {}
    for records in calls.values():
        start = records[0]["data"]
        assert isinstance(start, dict) and start["subscriber"] == SUBSCRIBER
        final = next(r["data"] for r in records if r["event"] == "verdict_final")
        actions = [r["data"] for r in records if r["event"] == "action"]
        assert isinstance(final, dict)
        finals[final["kind"]] = actions
    assert finals["clear"] == []
    assert [a["action"] for a in finals["mismatch"]] == ["drop"]  # type: ignore[index]
